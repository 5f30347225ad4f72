/**
 * Item keys of the one clustershift table. Fleet-wide items share a partition (`fleet#<fleet>`);
 * per-execution items share `exec#<executionId>`, so each is one GetItem or one Query away.
 */
export const fleetPk = (fleet: string): string => `fleet#${fleet}`;
export const execPk = (executionId: string): string => `exec#${executionId}`;

export const SK = {
  lock: 'lock',
  control: 'control',
  plan: 'plan',
  history: 'history',
  freeze: 'freeze',
  lastFailover: 'lastFailover',
  tagInventory: 'tags',
} as const;

/**
 * The shared ELBv2 describe pacer's one item (aws/store-pacer.ts). ELBv2 throttles per account and
 * region, so the key names the region; it has a partition of its own so that IAM can let a read-only
 * function write this item and no other (dynamodb:LeadingKeys).
 */
export const elbv2PacerPk = (region: string): string => `pacer#elbv2#${region}`;
export const ELBV2_PACER_SK = 'describe';

/** Chunk sort keys sort in chunk order: `plan#0000`, `plan#0001` … */
export const chunkSk = (prefix: string, index: number): string =>
  `${prefix}#${String(index).padStart(4, '0')}`;
export const baselineSk = (cluster: string): string => `baseline#${cluster}`;
/** Baseline chunks carry the execution id, so a competing writer can never overwrite another's chunks. */
export const baselineChunkPrefix = (cluster: string, executionId: string): string =>
  `baseline#${cluster}#${executionId}`;
/** ISO timestamps sort by time, so a reverse query lists history newest first. */
export const historySk = (startedAt: Date, executionId: string): string =>
  `history#${startedAt.toISOString()}#${executionId}`;

const DAY = 86_400;
/** The tag inventory lives 30 days after a discovery last changed it: a fleet idle longer reads tags live. */
export const TTL_DAYS = { control: 30, plan: 90, history: 400, tagInventory: 30 } as const;

export const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);
/** Value for the table's `ttl` attribute: DynamoDB deletes the item some time after it. */
export const ttlAfter = (at: Date, days: number): number => epochSeconds(at) + days * DAY;
export const ttlAfterEpoch = (epoch: number, days: number): number => epoch + days * DAY;
