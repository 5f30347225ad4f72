import type { BucketLimit } from './aws-limits';

/**
 * A token bucket shared by several processes that lease its tokens in small batches (see
 * aws/shared-pacer.ts): the pure arithmetic of one lease, so that every process computes the same
 * next state from what it read, whatever process wrote it.
 *
 * Tokens may be taken ahead (the level goes negative): a taken token is due when the bucket would
 * have refilled it, so leases queue in the order they were written and nobody polls. A leased token
 * is good for `leaseMs` after it is due and then lapses; the bucket holds `leaseMs` of refill less
 * than its share, so that calls *started* (not only tokens taken) in any window t stay within
 * capacity + rate × t even when a holder spends a token late.
 */
export interface SharedBucketState {
  /** Tokens at `at` (negative: taken ahead of the refill). */
  readonly tokens: number;
  /** Pacing-clock ms of the last lease. */
  readonly at: number;
  /** Refill rate now, tokens per second (cut on throttling, won back on successes). */
  readonly rate: number;
  /** When the rate was last cut (absent: never, or forgotten). */
  readonly cutAt?: number;
}

export interface LeaseRules {
  /** Most tokens the shared bucket holds (its share of the capacity, less `leaseMs` of refill). */
  readonly capacity: number;
  readonly maxRate: number;
  readonly minRate: number;
  /** The rate is multiplied by this on throttling, at most once per `decreaseEveryMs`. */
  readonly decrease: number;
  /** Added to the rate per success reported. */
  readonly increase: number;
  /** Most tokens one lease takes. */
  readonly batch: number;
  /** How long a leased token stays good after it is due. */
  readonly leaseMs: number;
  readonly decreaseEveryMs: number;
  /** A throttle-free stretch this long and the rate is back to its maximum. */
  readonly forgetAfterMs: number;
}

/** What a process reports with its next lease: what happened to the calls since its last one. */
export interface LeaseReport {
  readonly throttled: boolean;
  readonly successes: number;
}

export interface Lease {
  readonly next: SharedBucketState;
  /** When each leased token may be spent (pacing-clock ms), earliest first. */
  readonly dueAts: readonly number[];
}

const DEFAULT_BATCH = 4;
const DEFAULT_LEASE_MS = 500;

/**
 * The rules for spending `share` of an AWS bucket, with the defaults of aws/pacer.ts's
 * TokenBucketPacer (halve on throttling once a second at most, win back a twentieth of the rate per
 * success, forget after a quiet minute). A batch is at most a quarter of the shared capacity, and the
 * lease time at most what keeps one token in the bucket.
 */
export const leaseRulesFor = (
  bucket: BucketLimit,
  share: number,
  options: { readonly batch?: number; readonly leaseMs?: number } = {},
): LeaseRules => {
  if (!(share > 0 && share <= 1)) throw new RangeError(`pacer share must be in (0, 1], got ${share}`);
  const sharedCapacity = bucket.capacity * share;
  const maxRate = bucket.refillPerSecond * share;
  const leaseMs = Math.max(
    0,
    Math.min(options.leaseMs ?? DEFAULT_LEASE_MS, ((sharedCapacity - 1) / maxRate) * 1000),
  );
  const capacity = sharedCapacity - (maxRate * leaseMs) / 1000;
  return {
    capacity,
    maxRate,
    minRate: maxRate / 10,
    decrease: 0.5,
    increase: maxRate / 20,
    batch: Math.max(1, Math.min(options.batch ?? DEFAULT_BATCH, Math.floor(capacity / 4))),
    leaseMs,
    decreaseEveryMs: 1_000,
    forgetAfterMs: 60_000,
  };
};

/** A bucket nobody has leased from yet: full, at the full rate. */
export const freshBucket = (now: number, rules: LeaseRules): SharedBucketState => ({
  tokens: rules.capacity,
  at: now,
  rate: rules.maxRate,
});

/**
 * Leases from `state` (undefined: a fresh bucket) at `now`: refills it (a clock behind the last
 * writer's refills nothing, never a negative amount), applies the report (a throttle empties the
 * bucket and cuts the rate; successes win rate back), then takes a batch, each token due when the
 * bucket has refilled it.
 */
export const lease = (
  state: SharedBucketState | undefined,
  now: number,
  rules: LeaseRules,
  report: LeaseReport,
): Lease => {
  const from = state ?? freshBucket(now, rules);
  // Rates and capacity are clamped to the rules: the item may have been written under other ones.
  let rate = Math.min(rules.maxRate, Math.max(rules.minRate, from.rate));
  let level = Math.min(rules.capacity, from.tokens + (Math.max(0, now - from.at) / 1000) * rate);
  let cutAt = from.cutAt;
  if (cutAt !== undefined && now - cutAt > rules.forgetAfterMs) {
    rate = rules.maxRate;
    cutAt = undefined;
  }
  rate = Math.min(rules.maxRate, rate + rules.increase * report.successes);
  if (report.throttled) {
    if (cutAt === undefined || now - cutAt >= rules.decreaseEveryMs) {
      rate = Math.max(rules.minRate, rate * rules.decrease);
      cutAt = now;
    }
    // AWS's bucket is empty: so is ours (tokens already taken ahead keep their places).
    level = Math.min(level, 0);
  }
  // A whole batch even when the bucket is short: those tokens are due later, and a busy process
  // makes one store call per batch instead of one per call.
  const take = rules.batch;
  const dueAts = Array.from(
    { length: take },
    (_, index) => now + (Math.max(0, index + 1 - level) / rate) * 1000,
  );
  return {
    next: { tokens: level - take, at: now, rate, ...(cutAt === undefined ? {} : { cutAt }) },
    dueAts,
  };
};
