/** The longest delay one Node timer waits (a longer one fires after 1 ms). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The twin's clock. `timeScale` compresses time: at 30, one real second is thirty twin seconds, so
 * a 60 s bake takes 2 s. Wait states, bake loops, leases, metric timestamps and the Date header all
 * read this one clock, which is what keeps them consistent with each other. `advance` jumps ahead
 * (a lease that expires, a cooldown that passes) without waiting.
 */
export class TwinClock {
  private offsetMs = 0;
  private readonly realStart: number;
  private readonly twinStart: number;

  constructor(
    readonly timeScale = 1,
    private readonly realNow: () => number = Date.now,
    start?: number,
  ) {
    if (!(timeScale > 0) || !Number.isFinite(timeScale))
      throw new Error(`timeScale must be > 0, got ${timeScale}`);
    this.realStart = realNow();
    this.twinStart = start ?? this.realStart;
  }

  /** Twin time, epoch milliseconds. */
  now(): number {
    return this.twinStart + (this.realNow() - this.realStart) * this.timeScale + this.offsetMs;
  }

  date(): Date {
    return new Date(this.now());
  }

  /** Jump twin time forward without waiting. */
  advance(twinMs: number): void {
    if (!(twinMs >= 0)) throw new Error(`advance takes a non-negative duration, got ${twinMs}`);
    this.offsetMs += twinMs;
  }

  /** Real milliseconds that `twinMs` of twin time takes. */
  realMs(twinMs: number): number {
    return twinMs / this.timeScale;
  }

  /** Wait `twinMs` of twin time; resolves early (without throwing) when `signal` aborts. */
  sleep(twinMs: number, signal?: AbortSignal): Promise<void> {
    let remaining = Math.max(0, this.realMs(twinMs));
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve();
      };
      // Node fires a timer of more than 2^31 - 1 ms after 1 ms: a long wait is a chain of shorter ones.
      const wait = (): void => {
        const chunk = Math.min(remaining, MAX_TIMER_MS);
        remaining -= chunk;
        timer = setTimeout(() => {
          if (remaining > 0) return wait();
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, chunk);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      wait();
    });
  }
}
