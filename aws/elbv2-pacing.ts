import { type BucketLimit, ELBV2_API_BUCKETS } from '../core/aws-limits';
import { type Pacer, type PacerClock, REAL_CLOCK, TokenBucketPacer } from './pacer';
import type { RetryOptions } from './retry';
import { localPacerAtShare, SharedTokenBucketPacer } from './shared-pacer';
import type { Table } from './store-db';
import { DynamoBucketStore } from './store-pacer';

/**
 * One pacer per ELBv2 bucket for the whole process: every read (DescribeRules, DescribeTargetHealth
 * …) shares the describe pacer and every weight write (ModifyRule, ModifyListener) the mutating one,
 * whichever module makes the call, because AWS counts them per account and not per client. The
 * describe pacer is the one configured (configureElbv2DescribePacing: shared by every clustershift
 * process through the table, at the fleet's share); until then, the documented bucket.
 */
let clock: PacerClock = REAL_CLOCK;
const pacers = new Map<'describe' | 'mutating', TokenBucketPacer>();
let describe: { readonly key: string; readonly pacer: Pacer } | undefined;

export const elbv2Pacer = (bucket: 'describe' | 'mutating'): Pacer => {
  if (bucket === 'describe' && describe !== undefined) return describe.pacer;
  let pacer = pacers.get(bucket);
  if (pacer === undefined) {
    pacer = new TokenBucketPacer({ ...ELBV2_API_BUCKETS[bucket], clock: () => clock });
    pacers.set(bucket, pacer);
  }
  return pacer;
};

/** The clock the ELBv2 pacers wait on. */
const pacingClock = (): PacerClock => clock;

/**
 * The handlers' clock for pacing: on the local twin time is compressed, and a pacer on real time
 * would spread writes over minutes of twin time (longer than a lock lease).
 */
export const setElbv2PacingClock = (next: PacerClock): void => {
  clock = next;
};

export interface DescribePacing {
  /** Share of the describe bucket every clustershift process spends together, in (0, 1]. */
  readonly share: number;
  readonly bucket: BucketLimit;
  /** The fleet's region: ELBv2 throttles per account and region, so the shared bucket is per region. */
  readonly region: string;
  /**
   * The clustershift table holding the shared bucket; a function when finding it takes calls (the
   * CLI asks CloudFormation). Without one, the process paces alone at the share.
   */
  readonly table?: Omit<Table, 'retry'> | (() => Promise<Omit<Table, 'retry'>>);
  /** Told when the shared pacer falls back to the local one (the store failed or was too slow). */
  readonly onFallback?: (error: unknown) => void;
}

/**
 * Makes the process's describe pacer spend at most `share` of the bucket, paced with every other
 * clustershift process through the table when it has one. Called on every invocation: the same
 * settings keep the pacer (and what it has leased and learned); other settings replace it.
 */
export const configureElbv2DescribePacing = (pacing: DescribePacing): Pacer => {
  const tableName = typeof pacing.table === 'object' ? pacing.table.tableName : undefined;
  const key = JSON.stringify([
    pacing.share,
    pacing.bucket.capacity,
    pacing.bucket.refillPerSecond,
    pacing.region,
    pacing.table === undefined ? 'local' : (tableName ?? 'found'),
  ]);
  if (describe?.key === key) return describe.pacer;
  const { table } = pacing;
  const pacer =
    table === undefined
      ? localPacerAtShare(pacing.bucket, pacing.share, pacingClock)
      : new SharedTokenBucketPacer({
          bucket: pacing.bucket,
          share: pacing.share,
          clock: pacingClock,
          store:
            typeof table === 'function'
              ? async () => new DynamoBucketStore(await table(), pacing.region)
              : new DynamoBucketStore(table, pacing.region),
          ...(pacing.onFallback === undefined ? {} : { onFallback: pacing.onFallback }),
        });
  describe = { key, pacer };
  return pacer;
};

/** Back to the documented describe bucket (the CLI after a command: its table and share go with it). */
export const clearElbv2DescribePacing = (): void => {
  describe = undefined;
};

/** Forget what the pacers learned, and any describe pacing configured (tests). */
export const resetElbv2Pacers = (): void => {
  pacers.clear();
  describe = undefined;
};

/** A paced ELBv2 read: the process's describe pacer unless the caller brings its own. */
export const elbv2ReadRetry = (retry: RetryOptions | undefined): RetryOptions => ({
  ...retry,
  pacer: retry?.pacer ?? elbv2Pacer('describe'),
});
