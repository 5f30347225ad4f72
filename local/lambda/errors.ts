/**
 * A function invocation that failed, in the shape Lambda reports it (the invoke response payload of a
 * failed invocation): `errorType` is the thrown error's name, which is what a Step Functions Retry or
 * Catch matches.
 */
export interface LambdaErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: readonly string[];
}

export class LambdaInvokeError extends Error implements LambdaErrorPayload {
  override readonly name = 'LambdaInvokeError';
  readonly trace: readonly string[];

  constructor(
    readonly errorType: string,
    readonly errorMessage: string,
    trace: readonly string[] = [],
  ) {
    super(`${errorType}: ${errorMessage}`);
    this.trace = trace;
  }

  /** The payload Lambda returns for a failed invocation (`FunctionError: Unhandled`). */
  toPayload(): LambdaErrorPayload {
    return { errorType: this.errorType, errorMessage: this.errorMessage, trace: this.trace };
  }
}

/** What the Node.js runtime reports for a thrown value: Errors by name, anything else by its type. */
export const fromThrown = (thrown: unknown): LambdaInvokeError => {
  if (thrown instanceof LambdaInvokeError) return thrown;
  if (thrown instanceof Error) {
    const trace = (thrown.stack ?? '').split('\n').filter((line) => line.trim() !== '');
    return new LambdaInvokeError(thrown.name || 'Error', thrown.message, trace);
  }
  return new LambdaInvokeError(typeof thrown, String(thrown));
};
