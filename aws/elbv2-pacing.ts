import { ELBV2_API_BUCKETS } from '../core/aws-limits';
import { type PacerClock, REAL_CLOCK, TokenBucketPacer } from './pacer';
import type { RetryOptions } from './retry';

/**
 * One pacer per ELBv2 bucket for the whole process: every read (DescribeRules, DescribeTargetHealth
 * …) shares the describe pacer and every weight write (ModifyRule, ModifyListener) the mutating one,
 * whichever module makes the call, because AWS counts them per account and not per client.
 */
let clock: PacerClock = REAL_CLOCK;
const pacers = new Map<'describe' | 'mutating', TokenBucketPacer>();

export const elbv2Pacer = (bucket: 'describe' | 'mutating'): TokenBucketPacer => {
  let pacer = pacers.get(bucket);
  if (pacer === undefined) {
    pacer = new TokenBucketPacer({ ...ELBV2_API_BUCKETS[bucket], clock: () => clock });
    pacers.set(bucket, pacer);
  }
  return pacer;
};

/**
 * The handlers' clock for pacing: on the local twin time is compressed, and a pacer on real time
 * would spread writes over minutes of twin time (longer than a lock lease).
 */
export const setElbv2PacingClock = (next: PacerClock): void => {
  clock = next;
};

/** Forget what the pacers learned (tests). */
export const resetElbv2Pacers = (): void => {
  pacers.clear();
};

/** A paced ELBv2 read: the process's describe pacer unless the caller brings its own. */
export const elbv2ReadRetry = (retry: RetryOptions | undefined): RetryOptions => ({
  ...retry,
  pacer: retry?.pacer ?? elbv2Pacer('describe'),
});
