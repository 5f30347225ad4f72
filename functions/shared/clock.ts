/**
 * The handlers' clock; the core never reads one. `setClockSource` is the seam the local twin uses to
 * compress time (Wait states, bakes and metric timestamps on one virtual clock) and tests use to
 * step time without waiting. Lambda never calls it.
 */
let source: () => number = () => Date.now();

export const now = (): Date => new Date(source());

export const setClockSource = (next: () => number): void => {
  source = next;
};
