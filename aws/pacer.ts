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

export class AdaptivePacer implements Pacer {
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

/** What withRetry needs of a pacer. */
export interface Pacer {
  /** Waits for this call's turn. */
  acquire(): Promise<void>;
  succeeded(): void;
  throttled(): void;
}

/** The pacer's time: real on Lambda, the twin's (compressed) time when the handlers run on the twin. */
export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const REAL_CLOCK: PacerClock = { now: () => Date.now(), sleep: defaultSleep };

export interface TokenBucketPacerOptions {
  /** The service's documented bucket: the most this pacer ever lets through. */
  readonly capacity: number;
  readonly refillPerSecond: number;
  /** Share of the documented refill rate this pacer spends at most (others share the bucket). Default 1. */
  readonly share?: number;
  /** Lowest refill rate it cuts to on throttling, calls per second. Default a tenth of its maximum. */
  readonly minRate?: number;
  /** The refill rate is multiplied by this on throttling (at most once a second). Default 0.5. */
  readonly decrease?: number;
  /** Added to the refill rate on each success, calls per second. Default a twentieth of its maximum. */
  readonly increase?: number;
  /** Read on every call, so a handler can hand it the twin's clock after the pacer exists. */
  readonly clock?: () => PacerClock;
}

/**
 * Paces calls to an API whose throttling AWS documents as a token bucket shared by the whole
 * account (ELBv2): the pacer keeps a bucket of its own with the documented capacity and refill rate,
 * so clustershift alone never runs into the limit, and a call waits for a token instead of being
 * refused. Others spend the same bucket (the Load Balancer Controllers, the console), so a throttle
 * still happens: then the bucket is taken as empty and the refill rate halves (once per second at
 * most), and each success wins a little of it back, up to the documented rate. A throttled call
 * acquires again: it waits for the next token, it does not count attempts. Hand-written: the SDK's
 * adaptive retry mode paces only the retries of one client, not every caller of a process.
 */
export class TokenBucketPacer implements Pacer {
  private tokens: number;
  private updatedAt: number;
  private rate: number;
  private readonly maxRate: number;
  private readonly minRate: number;
  private readonly decrease: number;
  private readonly increase: number;
  private lastDecrease = Number.NEGATIVE_INFINITY;
  private readonly clock: () => PacerClock;

  constructor(private readonly options: TokenBucketPacerOptions) {
    const share = options.share ?? 1;
    if (!(share > 0 && share <= 1)) throw new Error(`pacer share must be in (0, 1], got ${share}`);
    this.maxRate = options.refillPerSecond * share;
    this.minRate = Math.min(this.maxRate, options.minRate ?? this.maxRate / 10);
    this.decrease = options.decrease ?? 0.5;
    this.increase = options.increase ?? this.maxRate / 20;
    this.clock = options.clock ?? (() => REAL_CLOCK);
    this.rate = this.maxRate;
    this.tokens = options.capacity;
    this.updatedAt = this.clock().now();
  }

  /** Calls per second it refills at now. */
  get currentRate(): number {
    return this.rate;
  }

  /** Tokens in its bucket now (negative: calls already waiting for tokens to come). */
  get level(): number {
    this.refill();
    return this.tokens;
  }

  async acquire(): Promise<void> {
    this.refill();
    // A throttle-free minute says the others have gone quiet: back to the documented rate.
    if (this.clock().now() - this.lastDecrease > FORGET_AFTER_MS) this.rate = this.maxRate;
    // Taking the token before waiting reserves it: waiting calls go in the order they came.
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    await this.clock().sleep((-this.tokens / this.rate) * 1000);
  }

  succeeded(): void {
    this.rate = Math.min(this.maxRate, this.rate + this.increase);
  }

  throttled(): void {
    this.refill();
    const now = this.clock().now();
    if (now - this.lastDecrease >= DECREASE_EVERY_MS) {
      this.rate = Math.max(this.minRate, this.rate * this.decrease);
      this.lastDecrease = now;
    }
    // The service's bucket is empty: so is ours (calls already waiting keep their places).
    this.tokens = Math.min(this.tokens, 0);
  }

  private refill(): void {
    const now = this.clock().now();
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.options.capacity, this.tokens + (elapsed / 1000) * this.rate);
    this.updatedAt = now;
  }
}
