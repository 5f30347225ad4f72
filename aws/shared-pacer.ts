import type { BucketLimit } from '../core/aws-limits';
import { type LeaseRules, lease, leaseRulesFor } from '../core/token-lease';
import { type Pacer, type PacerClock, REAL_CLOCK, TokenBucketPacer } from './pacer';
import type { BucketStore, VersionedBucket } from './store-pacer';

/** A store call that took longer than the pacer waits: the pacer stops waiting, and falls back. */
export class PacerStoreTimeoutError extends Error {
  override readonly name = 'PacerStoreTimeout';
}

export interface SharedPacerOptions {
  /** The account's bucket (AWS's figures unless Support raised them). */
  readonly bucket: BucketLimit;
  /** Share of it that every process leasing from the store spends together, in (0, 1]. */
  readonly share: number;
  /** Where the bucket lives; a function when finding it takes a call (the CLI's table). */
  readonly store: BucketStore | (() => Promise<BucketStore>);
  /** Read on every call, like TokenBucketPacer's: the handlers set the twin's clock after import. */
  readonly clock?: () => PacerClock;
  /** Most tokens per lease (core/token-lease.ts caps it to a quarter of the shared capacity). */
  readonly batch?: number;
  /** How long a leased token stays good after it is due, pacing-clock ms. */
  readonly leaseMs?: number;
  /** Longest wait for one store call, real ms: a slow store must not hold up the describes. Default 1 s. */
  readonly storeTimeoutMs?: number;
  /** After a store failure the local pacer stands in this long (pacing-clock ms). Default a minute. */
  readonly retryStoreAfterMs?: number;
  /** Told each time the pacer falls back to the local one, with why. */
  readonly onFallback?: (error: unknown) => void;
  readonly random?: () => number;
}

/** What the pacer did, for logs and for measuring its overhead. */
export interface SharedPacerStats {
  /** Leases written (each a batch of tokens). */
  leases: number;
  /** Store calls made (reads and conditional writes). */
  storeCalls: number;
  /** Conditional writes refused because another process leased first. */
  conflicts: number;
  /** Times it fell back to the local pacer. */
  fallbacks: number;
}

/**
 * Paces one AWS bucket across every process that leases from the same store (every clustershift
 * Lambda and CLI of a fleet), so that together they spend at most `share` of it: a token bucket of
 * share × capacity refilling at share × rate kept in one DynamoDB item, from which a process leases
 * a few tokens at a time with a conditional write (core/token-lease.ts has the arithmetic). A throttle
 * or the successes seen are reported with the next lease, so the shared rate is cut and won back as
 * TokenBucketPacer's is. If the store cannot be reached in time, a local TokenBucketPacer at the
 * share stands in for a while (said through onFallback): pacing never waits on a broken store.
 *
 * Hand-written: rate limiters on npm (bottleneck, limiter, p-throttle …) pace one process, or share
 * their state through Redis; none keeps a token bucket in DynamoDB, and the lapsing leases that keep
 * the bound on calls started (not only tokens taken) are particular to this use.
 */
export class SharedTokenBucketPacer implements Pacer {
  readonly stats: SharedPacerStats = { leases: 0, storeCalls: 0, conflicts: 0, fallbacks: 0 };
  readonly #rules: LeaseRules;
  readonly #local: TokenBucketPacer;
  readonly #clock: () => PacerClock;
  readonly #source: SharedPacerOptions['store'];
  readonly #timeoutMs: number;
  readonly #retryAfterMs: number;
  readonly #onFallback: ((error: unknown) => void) | undefined;
  readonly #random: () => number;
  #store: BucketStore | undefined;
  /** The item as this process last wrote or saw it: a lease needs no read while nobody else writes. */
  #known: VersionedBucket | undefined;
  /** Leased tokens not yet spent: when each is due, earliest first. */
  #due: number[] = [];
  #throttles = 0;
  #successes = 0;
  #leasing: Promise<void> | undefined;
  #localUntil = Number.NEGATIVE_INFINITY;

  constructor(options: SharedPacerOptions) {
    this.#rules = leaseRulesFor(options.bucket, options.share, {
      ...(options.batch === undefined ? {} : { batch: options.batch }),
      ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
    });
    this.#clock = options.clock ?? (() => REAL_CLOCK);
    this.#local = localPacerAtShare(options.bucket, options.share, this.#clock);
    this.#source = options.store;
    this.#timeoutMs = options.storeTimeoutMs ?? 1_000;
    this.#retryAfterMs = options.retryStoreAfterMs ?? 60_000;
    this.#onFallback = options.onFallback;
    this.#random = options.random ?? Math.random;
  }

  /** The rules it leases by (shared capacity, rates, batch, lease time). */
  get rules(): LeaseRules {
    return this.#rules;
  }

  /** Whether the local pacer stands in for the store now. */
  get local(): boolean {
    return this.#clock().now() < this.#localUntil;
  }

  async acquire(): Promise<void> {
    for (;;) {
      const now = this.#clock().now();
      if (now < this.#localUntil) return this.#local.acquire();
      // A token not spent within its lease lapses: spent later, it could crowd a window.
      while ((this.#due[0] ?? Number.POSITIVE_INFINITY) + this.#rules.leaseMs < now) this.#due.shift();
      const due = this.#due.shift();
      if (due !== undefined) {
        if (due > now) await this.#clock().sleep(due - now);
        return;
      }
      // One lease at a time per process: calls waiting meanwhile share its batch.
      this.#leasing ??= this.#lease().finally(() => {
        this.#leasing = undefined;
      });
      await this.#leasing;
    }
  }

  succeeded(): void {
    this.#successes += 1;
    this.#local.succeeded();
  }

  throttled(): void {
    this.#throttles += 1;
    // AWS's bucket is empty: tokens leased before the throttle are no good (calls already waiting on
    // theirs keep their places, as in TokenBucketPacer).
    this.#due = [];
    this.#local.throttled();
  }

  async #lease(): Promise<void> {
    try {
      this.#store ??= typeof this.#source === 'function' ? await this.#call(this.#source) : this.#source;
      const store = this.#store;
      for (let conflicts = 0; ; conflicts++) {
        const known = this.#known ?? (await this.#call(() => store.read()));
        const report = { throttled: this.#throttles > 0, successes: this.#successes };
        const throttles = this.#throttles;
        const { next, dueAts } = lease(known?.state, this.#clock().now(), this.#rules, report);
        const written = await this.#call(() => store.write(next, known?.version));
        if (written.ok) {
          this.#known = { state: next, version: (known?.version ?? -1) + 1 };
          this.#throttles -= throttles;
          this.#successes -= report.successes;
          this.#due = [...this.#due, ...dueAts].sort((a, b) => a - b);
          this.stats.leases += 1;
          return;
        }
        this.stats.conflicts += 1;
        this.#known = written.current;
        // The refusal brought the winner's item: try again at once, with a little jitter once the
        // others keep winning.
        if (conflicts >= 2) await this.#clock().sleep(this.#random() * 20 * conflicts);
      }
    } catch (error) {
      this.#known = undefined;
      this.#store = undefined;
      this.#localUntil = this.#clock().now() + this.#retryAfterMs;
      this.stats.fallbacks += 1;
      this.#onFallback?.(error);
    }
  }

  /** One store call, given up after the timeout (the call itself is left to finish or fail alone). */
  #call<T>(work: () => Promise<T>): Promise<T> {
    this.stats.storeCalls += 1;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new PacerStoreTimeoutError(`pacer store gave no answer within ${this.#timeoutMs} ms`)),
        this.#timeoutMs,
      );
      timer.unref?.();
      work().then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
}

/** The per-process pacer at a share: its capacity and refill rate both cut to the share. */
export const localPacerAtShare = (
  bucket: BucketLimit,
  share: number,
  clock?: () => PacerClock,
): TokenBucketPacer =>
  new TokenBucketPacer({
    capacity: bucket.capacity * share,
    refillPerSecond: bucket.refillPerSecond,
    share,
    ...(clock === undefined ? {} : { clock }),
  });
