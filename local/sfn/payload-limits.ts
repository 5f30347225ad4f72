import type { AslState } from './definition';
import type { EngineEvent } from './history-recorder';
import { StatesError } from './states-error';

/**
 * Step Functions' payload quota: 262,144 bytes (256 KiB) of UTF-8 JSON for an execution's input and
 * output and for every state's input and output ("Step Functions service quotas"; the history's
 * StateExitedEventDetails.output has the same maximum length).
 */
export const MAX_PAYLOAD_BYTES = 262_144;
export const DATA_LIMIT_EXCEEDED = 'States.DataLimitExceeded';

export const payloadBytes = (value: unknown): number =>
  Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');

const names = (rules: readonly { ErrorEquals?: readonly string[] }[] | undefined): boolean =>
  (rules ?? []).some((rule) => rule.ErrorEquals?.includes(DATA_LIMIT_EXCEEDED) === true);

/**
 * `States.DataLimitExceeded` as the engine matches it. Step Functions ("Handling errors in Step
 * Functions workflows", error names) reports it when a connector's output, a state's output, or a
 * state's input after Parameters is over the quota, and calls it a terminal error that `States.ALL`
 * does not catch; a Retry or Catch that names it does (AWS-validated templates catch it by name). The
 * engine takes `isCatchable`/`isRetryable` for the whole error, so they say whether this state's
 * Catch/Retry names it: ASL puts a `States.ALL` catcher last, so a naming catcher is reached first.
 */
export class DataLimitExceededError extends StatesError {
  override readonly isCatchable: boolean;
  override readonly isRetryable: boolean;

  constructor(state: AslState | undefined, cause: string) {
    super(DATA_LIMIT_EXCEEDED, cause);
    this.isCatchable = names(state?.Catch as { ErrorEquals?: string[] }[] | undefined);
    this.isRetryable = names(state?.Retry as { ErrorEquals?: string[] }[] | undefined);
  }
}

type LocalHandler = (input: unknown) => Promise<unknown>;

/**
 * Each Task's local handler with Step Functions' payload checks around it: its input after
 * Parameters (what the handler receives) before it runs, and the integration's result (the
 * connector output) after. Rewritten Waits pass through: a Wait cannot fail.
 */
export const withPayloadLimits = (
  handlers: Record<string, LocalHandler>,
  states: ReadonlyMap<string, AslState>,
): Record<string, LocalHandler> =>
  Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => {
      const state = states.get(name);
      if (state?.Type !== 'Task') return [name, handler];
      const limited: LocalHandler = async (input) => {
        const inputBytes = payloadBytes(input);
        if (inputBytes > MAX_PAYLOAD_BYTES) {
          throw new DataLimitExceededError(
            state,
            `The state/task '${name}' has an input with a size exceeding the maximum number of bytes service limit (${inputBytes} bytes after Parameters; the limit is ${MAX_PAYLOAD_BYTES}).`,
          );
        }
        const result = await handler(input);
        const resultBytes = payloadBytes(result);
        if (resultBytes > MAX_PAYLOAD_BYTES) {
          throw new DataLimitExceededError(
            state,
            `The state/task '${name}' returned a result with a size exceeding the maximum number of bytes service limit (${resultBytes} bytes; the limit is ${MAX_PAYLOAD_BYTES}).`,
          );
        }
        return result;
      };
      return [name, limited];
    }),
  );

/**
 * A state input or output over the quota in one of the engine's events, as the failure Step
 * Functions reports. The engine computes a state's output (ResultSelector, ResultPath, OutputPath)
 * where no handler sees it, so the execution checks it as the event goes by and ends the run; a
 * Catch cannot take this one in the twin (Step Functions would let a catcher naming it do so).
 */
export const oversizedState = (event: EngineEvent): { error: string; cause: string } | undefined => {
  const state = event.state;
  if (state === undefined) return undefined;
  const [what, value] =
    event.type === 'StateExited'
      ? ['output', state.output]
      : event.type === 'StateEntered'
        ? ['input', state.input]
        : [undefined, undefined];
  if (what === undefined) return undefined;
  const bytes = payloadBytes(value);
  if (bytes <= MAX_PAYLOAD_BYTES) return undefined;
  return {
    error: DATA_LIMIT_EXCEEDED,
    cause: `The state/task '${state.name}' has an ${what} with a size exceeding the maximum number of bytes service limit (${bytes} bytes; the limit is ${MAX_PAYLOAD_BYTES}).`,
  };
};
