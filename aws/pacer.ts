/**
 * Paces calls to an API with an unknown rate limit (ELBv2's ModifyRule limit is per account and not
 * published): additive increase while calls succeed, multiplicative decrease on throttling. Calls
 * then run near the limit instead of bursting into it and backing off at random, which is what a
 * failover over hundreds of routes spends its time on. Hand-written: the SDK's adaptive retry mode
 * paces only inside one client's retries, and we count and retry calls ourselves (aws/retry.ts).
 */
export interface PacerOptions {
  /** Calls per second to start at; unlimited by default, until the first throttle says otherwise. */
  readonly initialRate?: number;
  readonly minRate?: number;
  readonly maxRate?: number;
  /** Added to the rate on each success, calls per second. */
  readonly increase?: number;
  /** The rate is multiplied by this on throttling. */
  readonly decrease?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A minute without throttling and the pacer starts again from its initial rate. */
const FORGET_AFTER_MS = 60_000;

/** At most one cut per second: the throttles of one burst are one signal, not sixteen. */
const DECREASE_EVERY_MS = 1_000;

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class AdaptivePacer {
  private rate: number;
  /** When the next call may start (ms, on `now`). */
  private nextStart = 0;
  /** When the rate was last cut: calls in flight throttled by the same burst cut it once. */
  private lastDecrease = Number.NEGATIVE_INFINITY;
  /** When the calls of the last second succeeded: what the service actually accepted. */
  private readonly recentSuccesses: number[] = [];
  private readonly options: Required<PacerOptions>;

  constructor(options: PacerOptions = {}) {
    this.options = {
      initialRate: options.initialRate ?? Number.POSITIVE_INFINITY,
      minRate: options.minRate ?? 2,
      maxRate: options.maxRate ?? 200,
      increase: options.increase ?? 0.5,
      decrease: options.decrease ?? 0.75,
      now: options.now ?? Date.now,
      sleep: options.sleep ?? defaultSleep,
    };
    this.rate = this.options.initialRate;
  }

  /** Calls per second it lets through now. */
  get currentRate(): number {
    return this.rate;
  }

  /** Waits for this call's turn: calls start at most `rate` per second. */
  async acquire(): Promise<void> {
    const now = this.options.now();
    // A rate learned a while ago says little about now (a warm Lambda keeps it between shifts).
    if (now - this.lastDecrease > FORGET_AFTER_MS) this.rate = this.options.initialRate;
    // Unthrottled (lately): no pacing at all, so a fleet within the limit waits for nothing.
    if (this.rate === Number.POSITIVE_INFINITY) return;
    const start = Math.max(now, this.nextStart);
    this.nextStart = start + 1000 / this.rate;
    if (start > now) await this.options.sleep(start - now);
  }

  succeeded(): void {
    if (this.rate !== Number.POSITIVE_INFINITY) {
      this.rate = Math.min(this.options.maxRate, this.rate + this.options.increase);
    }
    const now = this.options.now();
    this.recentSuccesses.push(now);
    while ((this.recentSuccesses[0] ?? now) <= now - 1000) this.recentSuccesses.shift();
  }

  throttled(): void {
    const now = this.options.now();
    if (now - this.lastDecrease >= DECREASE_EVERY_MS) {
      while ((this.recentSuccesses[0] ?? now) <= now - 1000) this.recentSuccesses.shift();
      // Down to what the service accepted over the last second, or by `decrease` if that is the
      // deeper cut; the first throttle (from unlimited) sets the rate to what was accepted.
      const accepted = this.recentSuccesses.length;
      this.rate = Math.max(
        this.options.minRate,
        Math.min(this.rate * this.options.decrease, Math.max(accepted, 1)),
      );
      this.lastDecrease = now;
    }
    // The calls already scheduled were planned at the old rate: space the next one by the new one.
    this.nextStart = Math.max(this.nextStart, now + 1000 / this.rate);
  }
}
