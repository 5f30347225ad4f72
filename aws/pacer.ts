/** A minute without throttling and a pacer starts again from its full rate. */
const FORGET_AFTER_MS = 60_000;

/** At most one cut per second: the throttles of one burst are one signal, not sixteen. */
const DECREASE_EVERY_MS = 1_000;

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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
  #tokens: number;
  #updatedAt: number;
  #rate: number;
  readonly #maxRate: number;
  readonly #minRate: number;
  readonly #decrease: number;
  readonly #increase: number;
  #lastDecrease = Number.NEGATIVE_INFINITY;
  readonly #clock: () => PacerClock;
  readonly #capacity: number;

  constructor(options: TokenBucketPacerOptions) {
    const share = options.share ?? 1;
    if (!(share > 0 && share <= 1)) throw new Error(`pacer share must be in (0, 1], got ${share}`);
    this.#maxRate = options.refillPerSecond * share;
    this.#minRate = Math.min(this.#maxRate, options.minRate ?? this.#maxRate / 10);
    this.#decrease = options.decrease ?? 0.5;
    this.#increase = options.increase ?? this.#maxRate / 20;
    this.#clock = options.clock ?? (() => REAL_CLOCK);
    this.#rate = this.#maxRate;
    this.#capacity = options.capacity;
    this.#tokens = options.capacity;
    this.#updatedAt = this.#clock().now();
  }

  /** Calls per second it refills at now. */
  get currentRate(): number {
    return this.#rate;
  }

  /** Tokens in its bucket now (negative: calls already waiting for tokens to come). */
  get level(): number {
    this.#refill();
    return this.#tokens;
  }

  async acquire(): Promise<void> {
    this.#refill();
    // A throttle-free minute says the others have gone quiet: back to the documented rate.
    if (this.#clock().now() - this.#lastDecrease > FORGET_AFTER_MS) this.#rate = this.#maxRate;
    // Taking the token before waiting reserves it: waiting calls go in the order they came.
    this.#tokens -= 1;
    if (this.#tokens >= 0) return;
    await this.#clock().sleep((-this.#tokens / this.#rate) * 1000);
  }

  succeeded(): void {
    this.#rate = Math.min(this.#maxRate, this.#rate + this.#increase);
  }

  throttled(): void {
    this.#refill();
    const now = this.#clock().now();
    if (now - this.#lastDecrease >= DECREASE_EVERY_MS) {
      this.#rate = Math.max(this.#minRate, this.#rate * this.#decrease);
      this.#lastDecrease = now;
    }
    // The service's bucket is empty: so is ours (calls already waiting keep their places).
    this.#tokens = Math.min(this.#tokens, 0);
  }

  #refill(): void {
    const now = this.#clock().now();
    const elapsed = Math.max(0, now - this.#updatedAt);
    this.#tokens = Math.min(this.#capacity, this.#tokens + (elapsed / 1000) * this.#rate);
    this.#updatedAt = now;
  }
}
