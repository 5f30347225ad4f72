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

/** Waits `ms` of the handlers' time: real on Lambda, twin time on the twin. */
export const sleep = (ms: number): Promise<void> => {
  const candidate = (globalThis as Record<symbol, unknown>)[TWIN_SLEEP_SYMBOL];
  if (source === undefined && typeof candidate === 'function') {
    return (candidate as (ms: number) => Promise<void>)(ms);
  }
  return new Promise((resolve) => setTimeout(resolve, ms));
};
