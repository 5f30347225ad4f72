import { randomBytes, randomUUID } from 'node:crypto';
import type { DeployedFunction, LambdaCallback, LambdaContext } from './function';

/** `2026/11/23/[$LATEST]0123…`: the stream name format Lambda uses. */
const logStreamName = (now: Date): string => {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
};

/**
 * The context object of one invocation. `getRemainingTimeInMillis` counts down real time to the
 * function's timeout, the same deadline the runtime enforces. The deprecated done/fail/succeed settle
 * the invocation like the callback does, as they still do on Lambda.
 */
export const buildContext = (
  fn: DeployedFunction,
  options: { invokedFunctionArn: string; deadline: number; now: Date; settle: LambdaCallback },
): LambdaContext => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: fn.name,
  functionVersion: '$LATEST',
  invokedFunctionArn: options.invokedFunctionArn,
  memoryLimitInMB: String(fn.memoryMb),
  awsRequestId: randomUUID(),
  logGroupName: fn.logGroupName ?? `/aws/lambda/${fn.name}`,
  logStreamName: logStreamName(options.now),
  getRemainingTimeInMillis: () => Math.max(0, options.deadline - Date.now()),
  done: (error?: Error, result?: unknown) => options.settle(error, result),
  fail: (error: Error | string) => options.settle(error),
  succeed: (result: unknown) => options.settle(undefined, result),
});
