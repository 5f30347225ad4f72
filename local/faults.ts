import * as z from 'zod/mini';
import { TwinError } from './errors';
import { throttlingError } from './services';
import { TWIN_SERVICES, type TwinServiceName } from './services/names';

export { TWIN_SERVICES, type TwinServiceName } from './services/names';

/**
 * Fault injection per service and operation: added latency, a share of calls throttled, a share
 * failed with a given error, and a write rate limit. Decisions come from a seeded generator so a
 * scenario replays the same way. A throttled call answers the service's own throttling error (its
 * descriptor, local/services/).
 */
export const faultSchema = z.object({
  service: z.enum(TWIN_SERVICES),
  /** Operation name (e.g. ModifyRule); omitted means every operation of the service. */
  operation: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  /** Added to every matching call, real milliseconds. */
  latencyMs: z.optional(z.number().check(z.minimum(0), z.maximum(60_000))),
  /** Fraction of matching calls answered with the service's throttling error. */
  throttleRate: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  /** Fraction of matching calls answered with `errorCode`. */
  errorRate: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  errorCode: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  errorStatus: z.optional(z.number().check(z.int(), z.minimum(400), z.maximum(599))),
  /** Calls per second allowed (twin-wide for the matching operations); the rest are throttled. */
  ratePerSecond: z.optional(z.number().check(z.minimum(0.001))),
  /** How many calls the fault applies to before it lifts itself; omitted means until cleared. */
  times: z.optional(z.number().check(z.int(), z.minimum(1))),
});
export type Fault = z.infer<typeof faultSchema>;

interface ActiveFault {
  readonly fault: Fault;
  remaining: number;
  /** Start times (real ms) of the calls admitted in the last second, for ratePerSecond. */
  readonly admitted: number[];
}

/** Mulberry32: tiny, seedable, good enough to decide which calls fail (and to shuffle a bench's traffic). */
export const seeded = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export interface FaultCounts {
  readonly throttled: number;
  readonly failed: number;
  readonly delayed: number;
}

export class FaultInjector {
  private faults: ActiveFault[] = [];
  private random: () => number;
  private counts = { throttled: 0, failed: 0, delayed: 0 };

  constructor(
    seed = 1,
    private readonly realNow: () => number = Date.now,
  ) {
    this.random = seeded(seed);
  }

  /** Validates and adds a fault; returns it as stored. Throws TwinError naming the bad field. */
  add(input: unknown): Fault {
    const parsed = faultSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || 'fault';
      throw new TwinError('ValidationError', `invalid fault: ${where}: ${issue?.message ?? 'invalid'}`);
    }
    const fault = parsed.data;
    if (fault.errorRate !== undefined && fault.errorCode === undefined) {
      throw new TwinError('ValidationError', 'invalid fault: errorRate needs errorCode');
    }
    this.faults.push({ fault, remaining: fault.times ?? Number.POSITIVE_INFINITY, admitted: [] });
    return fault;
  }

  clear(service?: TwinServiceName): void {
    this.faults =
      service === undefined ? [] : this.faults.filter((active) => active.fault.service !== service);
  }

  list(): Fault[] {
    return this.faults.map((active) => active.fault);
  }

  stats(): FaultCounts {
    return { ...this.counts };
  }

  reseed(seed: number): void {
    this.random = seeded(seed);
  }

  /**
   * Applies the faults matching this call: waits out the latency, then throws the throttling or
   * configured error if one is drawn. Called by the router before the operation runs.
   */
  async apply(service: TwinServiceName, operation: string): Promise<void> {
    const matching = this.faults.filter(
      (active) =>
        active.remaining > 0 &&
        active.fault.service === service &&
        (active.fault.operation === undefined || active.fault.operation === operation),
    );
    if (matching.length === 0) return;
    const latency = matching.reduce((sum, active) => sum + (active.fault.latencyMs ?? 0), 0);
    for (const active of matching) active.remaining -= 1;
    this.faults = this.faults.filter((active) => active.remaining > 0);
    if (latency > 0) {
      this.counts.delayed += 1;
      await new Promise((resolve) => setTimeout(resolve, latency));
    }
    for (const active of matching) {
      const { fault } = active;
      if (fault.ratePerSecond !== undefined && !this.admit(active, fault.ratePerSecond)) {
        this.counts.throttled += 1;
        throw throttlingError(service);
      }
      if (fault.throttleRate !== undefined && this.random() < fault.throttleRate) {
        this.counts.throttled += 1;
        throw throttlingError(service);
      }
      if (fault.errorRate !== undefined && fault.errorCode !== undefined && this.random() < fault.errorRate) {
        this.counts.failed += 1;
        const status = fault.errorStatus ?? 500;
        throw new TwinError(
          fault.errorCode,
          `injected fault: ${fault.errorCode}`,
          status,
          status >= 500 ? 'Receiver' : 'Sender',
        );
      }
    }
  }

  private admit(active: ActiveFault, ratePerSecond: number): boolean {
    const now = this.realNow();
    while (active.admitted.length > 0 && (active.admitted[0] ?? 0) <= now - 1000) active.admitted.shift();
    if (active.admitted.length >= ratePerSecond) return false;
    active.admitted.push(now);
    return true;
  }
}
