/**
 * What clustershift remembers of the fleet's tags between runs: for each target group its cluster
 * tag, for each rule or listener the AWS Load Balancer Controller's keys. Tags are the one part of
 * discovery that changes only when someone re-tags a resource (a re-created resource has a new ARN),
 * and reading them is most of discovery's ELBv2 calls (20 resources a DescribeTags call): 1,000
 * target groups and 500 rules are 76 calls, 11 s at half the describe bucket's refill. So a failover
 * reads tags only for resources no earlier discovery saw; every other plan reads them all live and
 * refreshes what is kept.
 */

/** One resource's tags, only the keys clustershift reads. */
export type ResourceTags = Readonly<Record<string, string>>;

export interface TagInventory {
  /** By resource ARN. */
  readonly entries: ReadonlyMap<string, ResourceTags>;
  /** When a discovery last changed it (ISO-8601). */
  readonly learnedAt: string;
}

/** The keys kept of a resource's tags: the fleet's cluster tag and keys with one of `prefixes`. */
export const keptTags = (
  tags: ResourceTags,
  clusterTagKey: string,
  prefixes: readonly string[],
): ResourceTags =>
  Object.fromEntries(
    Object.entries(tags).filter(
      ([key]) => key === clusterTagKey || prefixes.some((prefix) => key.startsWith(prefix)),
    ),
  );

const sameTags = (a: ResourceTags | undefined, b: ResourceTags): boolean => {
  if (a === undefined) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
};

/**
 * The inventory after a discovery: what was kept, with what this discovery read live replacing it.
 * `changed` is false when the reads only confirmed what was kept (nothing to write).
 */
export const mergeTagInventory = (
  kept: ReadonlyMap<string, ResourceTags> | undefined,
  read: ReadonlyMap<string, ResourceTags>,
): { readonly entries: ReadonlyMap<string, ResourceTags>; readonly changed: boolean } => {
  const entries = new Map(kept ?? []);
  let changed = false;
  for (const [arn, tags] of read) {
    if (sameTags(entries.get(arn), tags)) continue;
    entries.set(arn, tags);
    changed = true;
  }
  return { entries, changed };
};
