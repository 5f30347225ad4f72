import type { TwinClock } from './clock';
import type { BucketLimit, Elbv2BucketName } from './limits';
import { SERVICE_DESCRIPTORS, throttlingError } from './services';
import type { TwinServiceName } from './services/names';
import type { ServiceApiLimits } from './services/types';

/**
 * The API rate limits as the twin enforces them; `false` turns throttling off (a twin for unit tests
 * of something else). Each bucket may be given other figures (AWS Support may raise a customer's
 * limits). Today only ELBv2 documents its buckets (its descriptor's `apiLimits`).
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

/** Calls of one operation made through the endpoint (clustershift, the operator), admitted and throttled. */
export interface OperationStats {
  readonly admitted: number;
  readonly throttled: number;
}

/** The statistics' name for client calls made as no principal (the operator, a test, the twin). */
export const NO_PRINCIPAL = '-';

const count = (
  into: Map<string, { admitted: number; throttled: number }>,
  key: string,
  admitted: boolean,
): void => {
  const counts = into.get(key) ?? { admitted: 0, throttled: 0 };
  if (admitted) counts.admitted += 1;
  else counts.throttled += 1;
  into.set(key, counts);
};

interface ServiceBuckets {
  readonly limits: ServiceApiLimits;
  readonly buckets: ReadonlyMap<string, TokenBucket>;
}

/**
 * API throttling per account and Region, for every service whose descriptor declares rate limits
 * (local/services/): every call to the twin's endpoint and every simulated background caller
 * (local/lb-controllers.ts) spends the same buckets. A call over the limit answers the service's
 * own throttling error.
 */
export class ApiThrottle {
  private readonly services = new Map<TwinServiceName, ServiceBuckets>();
  private readonly on: boolean;
  /** Client calls per `service:Operation` (background callers count in their own statistics). */
  private readonly operations = new Map<string, { admitted: number; throttled: number }>();
  /** The same, per calling principal's session (a function's name), `-` for a call as no one. */
  private readonly operationsByPrincipal = new Map<
    string,
    Map<string, { admitted: number; throttled: number }>
  >();

  constructor(clock: TwinClock, option: ApiLimitsOption = {}) {
    this.on = option !== false;
    if (option === false) return;
    const overrides = option as Partial<Record<TwinServiceName, Partial<Record<string, BucketLimit>>>>;
    for (const descriptor of Object.values(SERVICE_DESCRIPTORS)) {
      const limits = descriptor.apiLimits;
      if (limits === undefined) continue;
      const buckets = new Map<string, TokenBucket>();
      for (const [bucket, figures] of Object.entries(limits.buckets)) {
        const limit = { ...figures, ...overrides[descriptor.name]?.[bucket] };
        if (!(limit.capacity >= 1) || !(limit.refillPerSecond > 0)) {
          throw new Error(
            `apiLimits.${descriptor.name}.${bucket}: capacity must be ≥ 1 and refillPerSecond > 0, got ${limit.capacity}/${limit.refillPerSecond}`,
          );
        }
        buckets.set(bucket, new TokenBucket(limit, () => clock.now()));
      }
      this.services.set(descriptor.name, { limits, buckets });
    }
  }

  get enabled(): boolean {
    return this.on;
  }

  /**
   * Spends a token for a call, or answers false when its bucket is empty (always true without
   * limits). `principal` names a client call's caller for the statistics (a function's name).
   */
  tryCall(
    service: TwinServiceName,
    operation: string,
    caller: CallerKind = 'client',
    principal?: string,
  ): boolean {
    const limited = this.services.get(service);
    const bucket = limited?.buckets.get(limited.limits.bucketOf(operation));
    const admitted = bucket === undefined || bucket.take(caller);
    if (caller === 'client') {
      const key = `${service}:${operation}`;
      count(this.operations, key, admitted);
      const who = principal ?? NO_PRINCIPAL;
      const mine = this.operationsByPrincipal.get(who) ?? new Map();
      count(mine, key, admitted);
      this.operationsByPrincipal.set(who, mine);
    }
    return admitted;
  }

  /**
   * Client calls so far per `service:Operation` (e.g. `elbv2:ModifyRule`), whether or not the service
   * has rate limits: a bench takes the difference of two snapshots to count one run's calls.
   */
  operationStats(): Record<string, OperationStats> {
    return Object.fromEntries([...this.operations].map(([key, counts]) => [key, { ...counts }]));
  }

  /**
   * Client calls so far per calling principal (its role session: a function's name; `-` for calls
   * made as no one, such as the operator's or a test's), then per `service:Operation`: which
   * function spent which calls.
   */
  operationStatsByPrincipal(): Record<string, Record<string, OperationStats>> {
    return Object.fromEntries(
      [...this.operationsByPrincipal].map(([who, operations]) => [
        who,
        Object.fromEntries([...operations].map(([key, counts]) => [key, { ...counts }])),
      ]),
    );
  }

  /** Spends a token for a call, or throws the service's own throttling error. */
  admit(
    service: TwinServiceName,
    operation: string,
    caller: CallerKind = 'client',
    principal?: string,
  ): void {
    if (!this.tryCall(service, operation, caller, principal)) throw throttlingError(service);
  }

  /** Spends a token for an ELBv2 action, or answers false when its bucket is empty. */
  tryElbv2(action: string, caller: CallerKind = 'client'): boolean {
    return this.tryCall('elbv2', action, caller);
  }

  /** Spends a token for an ELBv2 action, or throws ELBv2's own throttling error. */
  admitElbv2(action: string, caller: CallerKind = 'client'): void {
    this.admit('elbv2', action, caller);
  }

  /** ELBv2's buckets: tokens, calls admitted and throttled by kind of caller. */
  stats(): BucketStats[] {
    const elbv2 = this.services.get('elbv2');
    if (elbv2 === undefined) return [];
    return [...elbv2.buckets].map(([bucket, state]) => ({
      bucket: bucket as Elbv2BucketName,
      capacity: state.limit.capacity,
      refillPerSecond: state.limit.refillPerSecond,
      tokens: Math.floor(state.level() * 100) / 100,
      admitted: { ...state.admitted },
      throttled: { ...state.throttled },
    }));
  }
}
