import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { InvalidRequestError, isClusterShiftError } from '../../core/errors';
import { toFieldIssues } from '../../core/zod-issues';
import { logger } from './logger';
import { getRuntime, type Runtime } from './runtime';

/** Task input common to every handler: the execution it works for. */
export interface TaskEvent {
  readonly executionId: string;
}

/**
 * Wraps a task: validates the event with zod (InvalidRequest naming the field), sets the logger's
 * persistent keys (fleet, execution; cluster once known) and logs a failure once with its name.
 * The thrown error keeps its `name`: that is what the workflow's Retry/Catch matches.
 */
export const taskHandler = <S extends z.ZodMiniType, R>(
  schema: S,
  task: (event: z.output<S>, runtime: Runtime) => Promise<R>,
) => {
  const run = async (event: unknown, _context: Context): Promise<R> => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) throw new InvalidRequestError(toFieldIssues(parsed.error));
    const runtime = getRuntime();
    const input = parsed.data as z.output<S> & Partial<TaskEvent>;
    logger.appendKeys({ fleet: runtime.config.fleet, execution: input.executionId });
    try {
      return await task(parsed.data, runtime);
    } catch (error) {
      if (isClusterShiftError(error)) {
        logger.warn('task failed', { errorName: error.name, error: error.message, details: error.details });
      } else {
        logger.error('task failed unexpectedly', error as Error);
      }
      throw error;
    }
  };
  return middy(run).use(injectLambdaContext(logger, { resetKeys: true }));
};
