/**
 * An error as the engine (aws-local-stepfunctions) matches it in Retry and Catch: `name` is the ASL
 * error name (`GateFailed`, `Lambda.ResourceNotFoundException`, `States.Runtime`) and `message` the
 * cause. The engine reads `isRetryable`/`isCatchable` (both default true): States.Runtime is neither,
 * as in Step Functions.
 */
export class StatesError extends Error {
  readonly isRetryable: boolean;
  readonly isCatchable: boolean;

  constructor(name: string, cause: string, options: { terminal?: boolean } = {}) {
    super(cause);
    this.name = name;
    this.isRetryable = !options.terminal;
    this.isCatchable = !options.terminal;
  }
}

export const runtimeError = (cause: string): StatesError =>
  new StatesError('States.Runtime', cause, { terminal: true });
