import { TwinClock } from '../../../local/clock';
import type { DeployedFunction, LambdaHandler } from '../../../local/lambda/function';
import { LambdaRuntime } from '../../../local/lambda/runtime';
import { StepFunctionsTwin } from '../../../local/sfn';

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/states`;
export const functionArn = (name: string): string => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

export const deployedFunction = (
  name: string,
  environment: Record<string, string> = {},
): DeployedFunction => ({
  name,
  arn: functionArn(name),
  handler: 'index.handler',
  codeDir: '/nowhere',
  environment,
  timeoutSeconds: 60,
  memoryMb: 256,
});

/** A Step Functions twin whose Lambda runtime runs the given handlers (by function name). */
export const twinWith = (handlers: Record<string, LambdaHandler>, timeScale = 1) => {
  const clock = new TwinClock(timeScale);
  const lambda = new LambdaRuntime({
    clock,
    loadHandler: async (fn) => {
      const handler = handlers[fn.name];
      if (handler === undefined) throw new Error(`no test handler for ${fn.name}`);
      return handler;
    },
  });
  for (const name of Object.keys(handlers)) lambda.register(deployedFunction(name));
  const sfn = new StepFunctionsTwin({ clock, region: REGION, accountId: ACCOUNT, lambda });
  /** Calls an operation as the router would, with the decoded JSON input. */
  const call = async <T = Record<string, unknown>>(
    operation: string,
    input: Record<string, unknown>,
  ): Promise<T> => {
    const run = sfn.operations[operation];
    if (run === undefined) throw new Error(`no operation ${operation}`);
    return (await run(input)) as T;
  };
  const createMachine = async (definition: object, name = 'flow'): Promise<string> => {
    const created = await call<{ stateMachineArn: string }>('CreateStateMachine', {
      name,
      definition: JSON.stringify(definition),
      roleArn: ROLE,
    });
    return created.stateMachineArn;
  };
  const start = async (stateMachineArn: string, input: object = {}, name?: string): Promise<string> => {
    const started = await call<{ executionArn: string }>('StartExecution', {
      stateMachineArn,
      input: JSON.stringify(input),
      ...(name === undefined ? {} : { name }),
    });
    return started.executionArn;
  };
  const history = async (executionArn: string) =>
    (
      await call<{ events: Array<Record<string, unknown> & { type: string; id: number }> }>(
        'GetExecutionHistory',
        {
          executionArn,
          maxResults: 1000,
        },
      )
    ).events;
  return { clock, lambda, sfn, call, createMachine, start, history };
};

/** Waits (polling between event-loop turns) until `check` holds; fails after `limitMs` real ms. */
export const eventually = async (check: () => boolean | Promise<boolean>, limitMs = 5_000): Promise<void> => {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
};

/** The error an awaited call rejects with. */
export const rejection = async (promise: Promise<unknown>): Promise<Error & { code?: string }> => {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a rejection');
};

export const pass = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
/** A machine that waits `$.seconds` then ends. */
export const waiting = {
  StartAt: 'W',
  States: { W: { Type: 'Wait', SecondsPath: '$.seconds', Next: 'Done' }, Done: { Type: 'Succeed' } },
};
