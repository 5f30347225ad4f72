import type { AslState } from './definition';
import type { ExecutionHistory } from './history';
import { readReferencePath } from './reference-path';
import type { TaskAttempt, TaskLedger } from './task-ledger';

/** The engine's (aws-local-stepfunctions) event log entries, as far as the recorder reads them. */
export interface EngineEvent {
  readonly type: string;
  readonly state?: {
    readonly name: string;
    readonly type: string;
    readonly input: unknown;
    readonly output?: unknown;
  };
  readonly parentState?: { readonly name: string };
  readonly index?: number;
  readonly Error?: string;
  readonly Cause?: unknown;
}

const json = (value: unknown): string => JSON.stringify(value ?? null);
const NOT_TRUNCATED = { truncated: false };

/**
 * Turns the engine's state events into Step Functions history events: `StateEntered` of a Task becomes
 * TaskStateEntered, TaskScheduled and TaskStarted (from the ledger's attempt), its `StateExited`
 * TaskSucceeded and TaskStateExited, and so on; rewritten Waits are reported as the Waits they are.
 * The engine's own execution events are left out: the execution writes its first and last events
 * itself, so they are right even when it is stopped or times out.
 */
export const recordEngineEvents = async (
  events: AsyncIterable<EngineEvent>,
  history: ExecutionHistory,
  states: ReadonlyMap<string, AslState>,
  ledger: TaskLedger,
): Promise<void> => {
  const running = new Map<string, TaskAttempt>();
  const failedMaps = new Set<string>();

  const startAttempt = (name: string): void => {
    const attempt = ledger.take(name);
    if (attempt === undefined) return;
    running.set(name, attempt);
    const { resourceType, resource } = attempt;
    if (resourceType === 'lambdaFunction') {
      history.append('LambdaFunctionScheduled', {
        resource,
        input: attempt.parameters,
        inputDetails: NOT_TRUNCATED,
      });
      history.append('LambdaFunctionStarted');
      return;
    }
    history.append('TaskScheduled', { resourceType, resource, parameters: attempt.parameters });
    history.append('TaskStarted', { resourceType, resource });
  };

  const endAttempt = (name: string, error?: { error: string; cause: string }): void => {
    const attempt = running.get(name);
    running.delete(name);
    if (attempt === undefined) return;
    const { resourceType, resource } = attempt;
    const direct = resourceType === 'lambdaFunction';
    if (error === undefined && attempt.output !== undefined) {
      history.append(direct ? 'LambdaFunctionSucceeded' : 'TaskSucceeded', {
        ...(direct ? {} : { resourceType, resource }),
        output: attempt.output,
        outputDetails: NOT_TRUNCATED,
      });
    } else if (error !== undefined) {
      const failure = attempt.failure ?? error;
      const timedOut = attempt.failure === undefined && error.error === 'States.Timeout';
      const type = direct
        ? timedOut
          ? 'LambdaFunctionTimedOut'
          : 'LambdaFunctionFailed'
        : timedOut
          ? 'TaskTimedOut'
          : 'TaskFailed';
      history.append(type, {
        ...(direct ? {} : { resourceType, resource }),
        error: failure.error,
        cause: failure.cause,
      });
    }
  };

  for await (const event of events) {
    const state = event.state;
    const original = state === undefined ? undefined : states.get(state.name);
    const type = original?.Type ?? state?.type ?? '';
    switch (event.type) {
      case 'StateEntered': {
        if (state === undefined) break;
        history.append(`${type}StateEntered`, {
          name: state.name,
          input: json(state.input),
          inputDetails: NOT_TRUNCATED,
        });
        if (type === 'Task') startAttempt(state.name);
        if (type === 'Map') {
          const items = readReferencePath(
            readReferencePath(state.input, original?.InputPath),
            original?.ItemsPath ?? '$',
          );
          history.append('MapStateStarted', { length: Array.isArray(items) ? items.length : undefined });
        }
        if (type === 'Parallel') history.append('ParallelStateStarted', {});
        break;
      }
      case 'StateRetried':
        if (state !== undefined && type === 'Task') startAttempt(state.name);
        break;
      case 'StateFailed': {
        if (state === undefined) break;
        const error = { error: event.Error ?? 'States.Runtime', cause: String(event.Cause ?? '') };
        if (type === 'Task') endAttempt(state.name, error);
        if (type === 'Map') {
          failedMaps.add(state.name);
          history.append('MapStateFailed');
        }
        if (type === 'Parallel') {
          failedMaps.add(state.name);
          history.append('ParallelStateFailed', error);
        }
        break;
      }
      case 'StateExited': {
        if (state === undefined) break;
        if (type === 'Task') endAttempt(state.name);
        if ((type === 'Map' || type === 'Parallel') && !failedMaps.delete(state.name)) {
          history.append(`${type}StateSucceeded`);
        }
        history.append(`${type}StateExited`, {
          name: state.name,
          output: json(state.output),
          outputDetails: NOT_TRUNCATED,
        });
        break;
      }
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        history.append(event.type, { name: event.parentState?.name, index: event.index });
        break;
      default:
        // Execution events (written by the execution itself), StateCaught (Step Functions has no such
        // event: the catcher's Next state just follows) and Parallel branch events.
        break;
    }
  }
};
