import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The deadline of the work in progress (epoch ms, real time): a Lambda invocation's timeout less a
 * margin to record what happened. A throttled call is retried until this deadline, not a fixed
 * number of times: a failover over hundreds of routes keeps writing while AWS is merely busy, and
 * still ends in time to say so. AsyncLocalStorage keeps concurrent invocations of one process (the
 * local twin) apart.
 */
const deadlines = new AsyncLocalStorage<number>();

/** Without a deadline (the CLI, a test), a throttled call is retried for this long. */
export const DEFAULT_THROTTLE_BUDGET_MS = 60_000;

export const withDeadline = <T>(deadline: number, run: () => Promise<T>): Promise<T> =>
  deadlines.run(deadline, run);

export const currentDeadline = (): number | undefined => deadlines.getStore();

/** A Lambda invocation's deadline: its remaining time less a tenth (at least 5 s) to wind up. */
export const invocationDeadline = (remainingMs: number, nowMs: number = Date.now()): number =>
  nowMs + Math.max(0, remainingMs - Math.max(5_000, remainingMs / 10));
