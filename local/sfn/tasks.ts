import { randomUUID } from 'node:crypto';
import type { TwinClock } from '../clock';
import { TwinError } from '../errors';
import { LambdaInvokeError } from '../lambda/errors';
import type { LambdaRuntime } from '../lambda/runtime';
import { isLambdaInvoke } from './definition';
import type { Runnable } from './runnable';
import { sleepUntil } from './sleep';
import { runtimeError, StatesError } from './states-error';
import type { TaskLedger } from './task-ledger';

export interface TaskDependencies {
  readonly lambda: LambdaRuntime;
  readonly clock: TwinClock;
  /** Aborted when the execution stops or times out: sleeping waits wake, no further function runs. */
  readonly signal: AbortSignal;
  readonly ledger: TaskLedger;
}

type LocalHandler = (input: unknown) => Promise<unknown>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A failed invocation as Step Functions reports it: the function's error type is the error name (what
 * Retry/Catch match), the cause the JSON document `{errorType, errorMessage, trace}`; the Lambda
 * service's own errors (unknown function …) are named `Lambda.<code>`.
 */
const asStatesError = (error: unknown): StatesError => {
  if (error instanceof StatesError) return error;
  if (error instanceof LambdaInvokeError)
    return new StatesError(error.errorType, JSON.stringify(error.toPayload()));
  if (error instanceof TwinError) return new StatesError(`Lambda.${error.code}`, error.message);
  return new StatesError('Lambda.ServiceException', error instanceof Error ? error.message : String(error));
};

const recorded = async <T>(
  attempt: { output?: string; failure?: { error: string; cause: string } },
  work: () => Promise<T>,
): Promise<T> => {
  try {
    const output = await work();
    attempt.output = JSON.stringify(output);
    return output;
  } catch (error) {
    const failure = asStatesError(error);
    attempt.failure = { error: failure.name, cause: failure.message };
    throw failure;
  }
};

/** `arn:aws:states:::lambda:invoke`: Parameters FunctionName, Payload, Qualifier, InvocationType. */
const lambdaInvoke =
  (state: string, deps: TaskDependencies): LocalHandler =>
  async (input) => {
    const params = isObject(input) ? input : {};
    const { FunctionName: functionName, Qualifier: qualifier, InvocationType: invocationType } = params;
    if (typeof functionName !== 'string' || functionName === '') {
      throw runtimeError(`state ${state}: the Parameters of a lambda:invoke Task must name a FunctionName`);
    }
    const target = typeof qualifier === 'string' ? `${functionName}:${qualifier}` : functionName;
    const attempt = deps.ledger.scheduled(state, {
      resourceType: 'lambda',
      resource: 'invoke',
      parameters: JSON.stringify(params),
    });
    return recorded(attempt, async () => {
      switch (invocationType ?? 'RequestResponse') {
        case 'RequestResponse': {
          const payload = await deps.lambda.invoke(target, params.Payload, { signal: deps.signal });
          return {
            ExecutedVersion: '$LATEST',
            Payload: payload,
            SdkHttpMetadata: { HttpStatusCode: 200 },
            SdkResponseMetadata: { RequestId: randomUUID() },
            StatusCode: 200,
          };
        }
        case 'Event':
          deps.lambda.find(target);
          // Asynchronous invocation: nobody waits for the result, as with Lambda's event queue.
          void deps.lambda.invoke(target, params.Payload).catch(() => undefined);
          return { Payload: '', StatusCode: 202 };
        case 'DryRun':
          deps.lambda.find(target);
          return { Payload: '', StatusCode: 204 };
        default:
          throw new TwinError(
            'InvalidParameterValueException',
            `InvocationType ${String(invocationType)}: must be RequestResponse, Event or DryRun`,
          );
      }
    });
  };

/** A Task whose Resource is the function ARN: the effective input is the event, the result the output. */
const functionTask =
  (state: string, functionArn: string, deps: TaskDependencies): LocalHandler =>
  async (input) => {
    const attempt = deps.ledger.scheduled(state, {
      resourceType: 'lambdaFunction',
      resource: functionArn,
      parameters: JSON.stringify(input),
    });
    return recorded(attempt, () => deps.lambda.invoke(functionArn, input, { signal: deps.signal }));
  };

/** A rewritten Wait (see runnable.ts): sleeps on the twin clock, then passes its input on. */
const wait =
  (state: string, deps: TaskDependencies): LocalHandler =>
  async (input) => {
    const { seconds, timestamp, input: passThrough } = isObject(input) ? input : {};
    let deadline: number;
    if (seconds !== undefined) {
      if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
        throw runtimeError(
          `state ${state}: the Wait's seconds must be a non-negative integer, got ${JSON.stringify(seconds)}`,
        );
      }
      deadline = deps.clock.now() + seconds * 1000;
    } else {
      const at = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
      if (Number.isNaN(at)) {
        throw runtimeError(
          `state ${state}: the Wait's timestamp must be an ISO 8601 time, got ${JSON.stringify(timestamp)}`,
        );
      }
      deadline = at;
    }
    await sleepUntil(deps.clock, deadline, deps.signal);
    return passThrough ?? null;
  };

/** One local handler per Task (and rewritten Wait) state, by state name, for one execution. */
export const localHandlers = (runnable: Runnable, deps: TaskDependencies): Record<string, LocalHandler> => {
  const handlers: Record<string, LocalHandler> = {};
  for (const [name, state] of runnable.states) {
    if (state.Type === 'Wait') handlers[name] = wait(name, deps);
    else if (state.Type === 'Task') {
      const resource = state.Resource ?? '';
      handlers[name] = isLambdaInvoke(resource)
        ? lambdaInvoke(name, deps)
        : functionTask(name, resource, deps);
    }
  }
  return handlers;
};
