import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { invocationDeadline, withDeadline } from '../../aws/deadline';
import { setElbv2PacingClock } from '../../aws/elbv2-pacing';
import type { ShiftStoreReader } from '../../aws/store';
import type { FleetConfig } from '../../core/config';
import { InvalidRequestError, isClusterShiftError } from '../../core/errors';
import { toFieldIssues } from '../../core/zod-issues';
import { pacingClock } from './clock';
import { logger } from './logger';
import { paceElbv2 } from './pacing';
import { getRuntime, type Runtime } from './runtime';
import { setTaskMetricsFleet, taskMetricsMiddleware } from './task-metrics';

// ELBv2 calls are paced on the handlers' clock: on the twin, compressed time refills AWS's buckets
// faster, and a pacer on real time would spread one step's writes over minutes of twin time.
setElbv2PacingClock(pacingClock);

/** Task input common to every handler: the execution it works for. */
export interface TaskEvent {
  readonly executionId: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The cluster an event names (`cluster`, or a shift request's `request.cluster`), if it is one of
 * the fleet's: the request is not validated yet, and a log key should hold only a real cluster name.
 */
const eventCluster = (event: unknown, config: FleetConfig): string | undefined => {
  if (!isRecord(event)) return undefined;
  const named = event.cluster ?? (isRecord(event.request) ? event.request.cluster : undefined);
  return config.clusters.some((c) => c.name === named) ? (named as string) : undefined;
};

/**
 * Wraps a task: validates the event with zod (InvalidRequest naming the field), sets the logger's
 * keys (fleet, execution; cluster when the event names one, or once the stored plan says), logs a
 * failure once with its name, and in a function that records metrics (see task-metrics.ts) sets
 * their `fleet` dimension and flushes them (EMF) after every invocation. The thrown error keeps its
 * `name`: that is what the workflow's Retry/Catch matches. `runtimeOf` gives the task its runtime
 * (functions/shared/runtime.ts) with the store class it needs: its bundle leaves the rest out.
 */
export const taskHandlerWith = <T extends ShiftStoreReader, S extends z.ZodMiniType, R>(
  runtimeOf: () => Runtime<T>,
  schema: S,
  task: (event: z.output<S>, runtime: Runtime<T>) => Promise<R>,
) => {
  const run = async (event: unknown, context: Context): Promise<R> => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) throw new InvalidRequestError(toFieldIssues(parsed.error));
    const runtime = runtimeOf();
    paceElbv2(runtime);
    const input = parsed.data as z.output<S> & Partial<TaskEvent>;
    const cluster = eventCluster(parsed.data, runtime.config);
    logger.appendKeys({
      fleet: runtime.config.fleet,
      execution: input.executionId,
      ...(cluster === undefined ? {} : { cluster }),
    });
    setTaskMetricsFleet(runtime.config.fleet);
    try {
      // Throttled AWS calls are retried until the invocation's deadline, not a number of times (a
      // test may invoke without a Lambda context: then aws/deadline.ts's default budget applies).
      if (typeof context?.getRemainingTimeInMillis !== 'function') return await task(parsed.data, runtime);
      const deadline = invocationDeadline(context.getRemainingTimeInMillis());
      return await withDeadline(deadline, () => task(parsed.data, runtime));
    } catch (error) {
      if (isClusterShiftError(error)) {
        logger.warn('task failed', { errorName: error.name, error: error.message, details: error.details });
      } else {
        logger.error('task failed unexpectedly', error as Error);
      }
      throw error;
    }
  };
  return middy(run)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(taskMetricsMiddleware());
};

/** A task with the whole store (taskHandlerWith). */
export const taskHandler = <S extends z.ZodMiniType, R>(
  schema: S,
  task: (event: z.output<S>, runtime: Runtime) => Promise<R>,
) => taskHandlerWith(getRuntime, schema, task);
