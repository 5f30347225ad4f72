import type { TwinClock } from './clock';
import { TwinError } from './errors';
import {
  type BucketLimit,
  ELBV2_API_BUCKETS,
  ELBV2_THROTTLING,
  type Elbv2BucketName,
  elbv2BucketOf,
} from './limits';

/**
 * ELBv2's request buckets as the twin enforces them; `false` turns throttling off (a twin for unit
 * tests of something else). Each bucket may be given other figures (AWS Support may raise a
 * customer's limits).
 */
export type ApiLimitsOption = false | { readonly elbv2?: Partial<Record<Elbv2BucketName, BucketLimit>> };

/** Who spent a bucket's tokens, for the statistics: clustershift and the operator, or a background caller. */
export type CallerKind = 'client' | 'background';

export interface BucketStats {
  readonly bucket: Elbv2BucketName;
  readonly capacity: number;
  readonly refillPerSecond: number;
  /** Tokens left now. */
  readonly tokens: number;
  readonly admitted: Readonly<Record<CallerKind, number>>;
  readonly throttled: Readonly<Record<CallerKind, number>>;
}

/**
 * One token bucket on the twin's clock (so time compression speeds refills up exactly as it speeds
 * Wait states up). Tokens refill continuously at `refillPerSecond`: AWS describes a refill "every
 * second"; a continuous refill admits the same calls per second on average and has no phase that a
 * caller could line up with by chance.
 */
class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  readonly admitted: Record<CallerKind, number> = { client: 0, background: 0 };
  readonly throttled: Record<CallerKind, number> = { client: 0, background: 0 };

  constructor(
    readonly limit: BucketLimit,
    private readonly now: () => number,
  ) {
    this.tokens = limit.capacity;
    this.updatedAt = now();
  }

  level(): number {
    const now = this.now();
    // Twin time only moves forward, but a clock advanced by a test refills at once.
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.limit.capacity, this.tokens + (elapsed / 1000) * this.limit.refillPerSecond);
    this.updatedAt = now;
    return this.tokens;
  }

  take(caller: CallerKind): boolean {
    if (this.level() >= 1) {
      this.tokens -= 1;
      this.admitted[caller] += 1;
      return true;
    }
    this.throttled[caller] += 1;
    return false;
  }
}

const bucketNames = Object.keys(ELBV2_API_BUCKETS) as Elbv2BucketName[];

/**
 * ELBv2's API throttling, per account and Region: every call to the twin's ELBv2 endpoint and every
 * simulated background caller (local/lb-controllers.ts) spends the same buckets.
 */
export class ApiThrottle {
  private readonly buckets: ReadonlyMap<Elbv2BucketName, TokenBucket> | undefined;

  constructor(clock: TwinClock, option: ApiLimitsOption = {}) {
    if (option === false) return;
    this.buckets = new Map(
      bucketNames.map((name) => {
        const limit = { ...ELBV2_API_BUCKETS[name], ...option.elbv2?.[name] };
        if (!(limit.capacity >= 1) || !(limit.refillPerSecond > 0)) {
          throw new Error(
            `apiLimits.elbv2.${name}: capacity must be ≥ 1 and refillPerSecond > 0, got ${limit.capacity}/${limit.refillPerSecond}`,
          );
        }
        return [name, new TokenBucket(limit, () => clock.now())];
      }),
    );
  }

  get enabled(): boolean {
    return this.buckets !== undefined;
  }

  /** Spends a token for an ELBv2 action, or answers false when its bucket is empty. */
  tryElbv2(action: string, caller: CallerKind = 'client'): boolean {
    const bucket = this.buckets?.get(elbv2BucketOf(action));
    return bucket === undefined || bucket.take(caller);
  }

  /** Spends a token for an ELBv2 action, or throws ELBv2's own throttling error. */
  admitElbv2(action: string, caller: CallerKind = 'client'): void {
    if (!this.tryElbv2(action, caller)) {
      throw new TwinError(ELBV2_THROTTLING.code, ELBV2_THROTTLING.message, ELBV2_THROTTLING.status);
    }
  }

  stats(): BucketStats[] {
    if (this.buckets === undefined) return [];
    return [...this.buckets].map(([bucket, state]) => ({
      bucket,
      capacity: state.limit.capacity,
      refillPerSecond: state.limit.refillPerSecond,
      tokens: Math.floor(state.level() * 100) / 100,
      admitted: { ...state.admitted },
      throttled: { ...state.throttled },
    }));
  }
}
