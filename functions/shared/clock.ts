/**
 * The handlers' clock; the core never reads one. The local twin compresses time (Wait states, bakes
 * and metric timestamps on one virtual clock) and runs the bundled handlers from cdk.out, which it
 * cannot reach by import, so the seam is a global registered under a well-known symbol. Lambda
 * never sets it; tests may also call `setClockSource` to step time without waiting.
 */
export const TWIN_CLOCK_SYMBOL = Symbol.for('clustershift.twin.clock');

let source: (() => number) | undefined;

const twinClock = (): (() => number) | undefined => {
  const candidate = (globalThis as Record<symbol, unknown>)[TWIN_CLOCK_SYMBOL];
  return typeof candidate === 'function' ? (candidate as () => number) : undefined;
};

export const now = (): Date => new Date((source ?? twinClock() ?? Date.now)());

export const setClockSource = (next: () => number): void => {
  source = next;
};

/** The twin registers how to wait `ms` of its (compressed) time beside its clock. */
export const TWIN_SLEEP_SYMBOL = Symbol.for('clustershift.twin.sleep');

const twinSleep = (): ((ms: number) => Promise<void>) | undefined => {
  const candidate = (globalThis as Record<symbol, unknown>)[TWIN_SLEEP_SYMBOL];
  return typeof candidate === 'function' ? (candidate as (ms: number) => Promise<void>) : undefined;
};

/** Time the pacers have waited under a test's clock source (see pacingClock). */
let pacedMs = 0;

/**
 * The clock ELBv2 pacing waits on (aws/elbv2-pacing.ts): real time on Lambda, the twin's compressed
 * time on the twin (so AWS's buckets refill as fast for the handlers as for the twin). Under a test's
 * clock source (a virtual clock the test steps), a pacer's wait passes at once on a clock of its own:
 * such tests run against fakes that never throttle, and must not wait out AWS's rates for real.
 */
export const pacingClock = {
  now: (): number => (source !== undefined ? pacedMs : (twinClock() ?? Date.now)()),
  sleep: (ms: number): Promise<void> => {
    if (source !== undefined) {
      pacedMs += Math.max(0, ms);
      return Promise.resolve();
    }
    const sleepOnTwin = twinSleep();
    if (sleepOnTwin !== undefined) return sleepOnTwin(ms);
    return new Promise((resolve) => setTimeout(resolve, ms));
  },
};
