import { ClusterShiftError } from '../core/errors';
import { isThrottlingError, toAwsCallFailed } from './aws-errors';
import type { AdaptivePacer } from './pacer';

export interface RetryOptions {
  /** Total calls, the first included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Paces every attempt; a throttled attempt waits for its next turn instead of a random backoff. */
  pacer?: AdaptivePacer;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `call`, retrying only throttling errors with full-jitter exponential backoff (retrying
 * anything else could repeat a write AWS already applied, or hide a real fault). Every failure
 * leaves as a ClusterShiftError so the workflow's Retry/Catch can match on its name.
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
  for (let attempt = 0; ; attempt++) {
    try {
      await pacer?.acquire();
      const result = await call();
      pacer?.succeeded();
      return result;
    } catch (error) {
      if (error instanceof ClusterShiftError) throw error;
      if (!isThrottlingError(error)) throw toAwsCallFailed(operation, error);
      pacer?.throttled();
      if (attempt + 1 >= maxAttempts) {
        throw new ClusterShiftError('Throttling', `${operation} throttled after ${attempt + 1} attempts`, {
          cause: error,
          details: { operation, attempts: attempt + 1 },
        });
      }
      if (pacer === undefined) await sleep(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt));
    }
  }
};
