/** Splits a list into consecutive batches of at most `size` (AWS APIs cap list lengths). */
export const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
};

export interface BoundedOutcome<R> {
  /** Result per input index, for the calls that succeeded. */
  readonly results: ReadonlyMap<number, R>;
  /** The first failure; once one call fails no further call is started. */
  readonly error?: unknown;
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight. After the first failure no new call
 * starts, but calls already in flight are awaited, so the caller knows exactly what succeeded.
 */
export const settleBounded = async <T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<BoundedOutcome<R>> => {
  const results = new Map<number, R>();
  let failure: { error: unknown } | undefined;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results.set(index, await fn(items[index] as T, index));
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit), items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return failure === undefined ? { results } : { results, error: failure.error };
};

/** Like Promise.all over `fn`, with at most `limit` calls in flight; rejects with the first failure. */
export const mapBounded = async <T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> => {
  const outcome = await settleBounded(items, limit, fn);
  if ('error' in outcome) throw outcome.error;
  return items.map((_, index) => outcome.results.get(index) as R);
};
