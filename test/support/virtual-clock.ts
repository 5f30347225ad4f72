import type { PacerClock } from '../../aws/pacer';

/**
 * Virtual time for a few workers that wait only on it (or on I/O, which takes no virtual time): time
 * moves to the next wake-up once every worker sleeps, so nothing waits on the wall clock and every
 * start is stamped with the virtual time it happened at.
 */
export class VirtualTime {
  now = 1_000_000;
  private readonly timers: { at: number; seq: number; wake: () => void }[] = [];
  private seq = 0;
  private awake: number;

  constructor(workers: number) {
    this.awake = workers;
  }

  readonly clock: PacerClock = {
    now: () => this.now,
    sleep: (ms) =>
      new Promise<void>((wake) => {
        this.timers.push({ at: this.now + Math.max(0, ms), seq: this.seq++, wake });
        this.awake -= 1;
        this.advance();
      }),
  };

  /** A worker is done: it will not sleep again. */
  finished(): void {
    this.awake -= 1;
    this.advance();
  }

  private advance(): void {
    if (this.awake > 0 || this.timers.length === 0) return;
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = this.timers.shift();
    if (next === undefined) return;
    this.now = Math.max(this.now, next.at);
    this.awake += 1;
    next.wake();
  }
}

/**
 * How far the busiest window of `starts` (ms) goes past `capacity + rate × t`: ≤ 0 when every window
 * t holds at most that many starts.
 */
export const worstWindowExcess = (starts: readonly number[], capacity: number, perSecond: number): number => {
  const sorted = [...starts].sort((a, b) => a - b);
  let worst = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < sorted.length; i += 1) {
    for (let j = i; j < sorted.length; j += 1) {
      const allowed = capacity + (perSecond * ((sorted[j] ?? 0) - (sorted[i] ?? 0))) / 1000;
      worst = Math.max(worst, j - i + 1 - allowed);
    }
  }
  return worst;
};
