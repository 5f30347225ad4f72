import { ClusterShiftError } from '../core/errors';
import { isServerError, isThrottlingError, toAwsCallFailed } from './aws-errors';
import { currentDeadline, DEFAULT_THROTTLE_BUDGET_MS } from './deadline';
import type { Pacer } from './pacer';

export interface RetryOptions {
  /** Total calls, the first included (without a pacer; with one, throttling is retried until the deadline). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /**
   * Paces every attempt; a throttled attempt waits for its next turn instead of a random backoff,
   * and is retried until the deadline rather than a number of times.
   */
  pacer?: Pacer;
  /**
   * When a paced call stops retrying throttling (epoch ms, real time). Default: the invocation's
   * deadline (aws/deadline.ts), or DEFAULT_THROTTLE_BUDGET_MS after the first attempt.
   */
  deadline?: number;
  now?: () => number;
  /**
   * Also retry 5xx answers and dropped connections. Only for reads: a write that failed that way
   * may have landed, and the workflow retries a step from a fresh read instead.
   */
  serverErrors?: boolean;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `call`, retrying throttling errors with full-jitter exponential backoff, and for reads
 * (`serverErrors`) 5xx answers too; anything else is not retried (it could repeat a write AWS
 * already applied, or hide a real fault). Every failure leaves as a ClusterShiftError so the
 * workflow's Retry/Catch can match on its name.
 */
export const withRetry = async <T>(
  operation: string,
  call: () => Promise<T>,
  options: RetryOptions = {},
): Promise<T> => {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 6);
  const baseDelayMs = options.baseDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 3_000;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;

  const { pacer } = options;
  const now = options.now ?? Date.now;
  const firstAt = now();
  const deadline = options.deadline ?? currentDeadline() ?? firstAt + DEFAULT_THROTTLE_BUDGET_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      await pacer?.acquire();
      const result = await call();
      pacer?.succeeded();
      return result;
    } catch (error) {
      if (error instanceof ClusterShiftError) throw error;
      if (!isThrottlingError(error)) {
        if (options.serverErrors !== true || !isServerError(error) || attempt + 1 >= maxAttempts) {
          throw toAwsCallFailed(operation, error);
        }
        await sleep(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt));
        continue;
      }
      if (pacer !== undefined) {
        pacer.throttled();
        if (now() < deadline) continue;
        const seconds = Math.round((now() - firstAt) / 100) / 10;
        throw new ClusterShiftError(
          'Throttling',
          `${operation} still throttled at its deadline, after ${attempt + 1} attempts over ${seconds} s`,
          { cause: error, details: { operation, attempts: attempt + 1 } },
        );
      }
      if (attempt + 1 >= maxAttempts) {
        throw new ClusterShiftError('Throttling', `${operation} throttled after ${attempt + 1} attempts`, {
          cause: error,
          details: { operation, attempts: attempt + 1 },
        });
      }
      await sleep(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt));
    }
  }
};

/** withRetry for a read, which may be repeated after a 5xx or a dropped connection. */
export const withReadRetry = <T>(
  operation: string,
  call: () => Promise<T>,
  options: RetryOptions = {},
): Promise<T> => withRetry(operation, call, { ...options, serverErrors: true });
