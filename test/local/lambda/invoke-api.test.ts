import { InvokeCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import type { DeployedFunction, LambdaHandler } from '../../../local/lambda/function';
import { clientConfig, raw, startSeededTwin } from '../server-fixtures';

/**
 * Lambda Invoke on the twin through the real @aws-sdk/client-lambda: what the ChatOps function uses
 * to hand its slow work to the worker.
 */
const ACCOUNT = '000000000000';
const arnOf = (name: string): string => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
const fn = (name: string): DeployedFunction => ({
  name,
  arn: arnOf(name),
  handler: 'index.handler',
  codeDir: '/nowhere',
  environment: {},
  timeoutSeconds: 10,
  memoryMb: 128,
});

const received: unknown[] = [];
const log: string[] = [];
const HANDLERS: Record<string, LambdaHandler> = {
  echo: async (event) => {
    received.push(event);
    return { echoed: event };
  },
  failing: async () => {
    throw new TypeError('the worker could not start');
  },
};

let twin: Awaited<ReturnType<typeof startSeededTwin>>;
let lambda: LambdaClient;

beforeAll(async () => {
  twin = await startSeededTwin({
    log: (line) => log.push(line),
    loadHandler: async (deployed) => HANDLERS[deployed.name] ?? (async () => null),
  });
  twin.lambda.register(fn('echo'));
  twin.lambda.register(fn('failing'));
  lambda = new LambdaClient(clientConfig(twin.endpoint));
});

afterAll(async () => {
  lambda.destroy();
  await twin.lambdaApi.settled();
  await twin.close();
  twin.restoreEnv();
});

beforeEach(() => {
  received.length = 0;
  log.length = 0;
  twin.faults.clear();
});

const payloadOf = (bytes: Uint8Array | undefined): unknown =>
  JSON.parse(Buffer.from(bytes ?? []).toString('utf8'));

describe('Lambda Invoke on the twin', () => {
  it.each([
    ['its name', 'echo'],
    ['a partial ARN', `${ACCOUNT}:function:echo`],
    ['its ARN', arnOf('echo')],
    ['its ARN with $LATEST', `${arnOf('echo')}:$LATEST`],
  ])('runs a function named by %s and answers its JSON result (RequestResponse)', async (_how, name) => {
    const answer = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: '{"n":1}' }));

    expect(answer.StatusCode).toBe(200);
    expect(answer.FunctionError).toBeUndefined();
    expect(answer.ExecutedVersion).toBe('$LATEST');
    expect(payloadOf(answer.Payload)).toEqual({ echoed: { n: 1 } });
  });

  it('answers a failed function with 200, FunctionError Unhandled and the error as payload', async () => {
    const answer = await lambda.send(new InvokeCommand({ FunctionName: 'failing' }));

    expect(answer.StatusCode).toBe(200);
    expect(answer.FunctionError).toBe('Unhandled');
    expect(payloadOf(answer.Payload)).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'the worker could not start',
    });
  });

  it('accepts an Event invocation with 202 and runs the function in the background', async () => {
    // Act
    const answer = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: '{"later":true}' }),
    );
    await twin.lambdaApi.settled();

    // Assert
    expect(answer.StatusCode).toBe(202);
    expect(Buffer.from(answer.Payload ?? []).length).toBe(0);
    expect(received).toEqual([{ later: true }]);
    expect(twin.lambdaApi.asyncInvocations().at(-1)).toMatchObject({
      functionName: 'echo',
      status: 'succeeded',
    });
  });

  it('records a failed Event invocation in the twin log and on the admin endpoint', async () => {
    // Act
    await lambda.send(new InvokeCommand({ FunctionName: 'failing', InvocationType: 'Event' }));
    await twin.lambdaApi.settled();
    const adminView = (await (await fetch(`${twin.endpoint}/_twin/lambda`)).json()) as {
      asyncInvocations: { functionName: string; status: string; error?: string }[];
    };

    // Assert
    expect(log).toContain(
      'twin: asynchronous invocation of failing failed: TypeError: the worker could not start',
    );
    expect(adminView.asyncInvocations.at(-1)).toMatchObject({
      functionName: 'failing',
      status: 'failed',
      error: 'TypeError: the worker could not start',
    });
  });

  it('answers a DryRun with 204 without running the function', async () => {
    const answer = await lambda.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'DryRun' }));

    expect(answer.StatusCode).toBe(204);
    expect(received).toEqual([]);
  });

  it.each([
    ['an unknown name', 'nope', `Function not found: ${arnOf('nope')}`],
    ['another account', `arn:aws:lambda:us-east-1:111111111111:function:echo`, /Function not found/],
    ['a version qualifier', `${arnOf('echo')}:7`, /Function not found/],
  ])('refuses %s with ResourceNotFoundException (404)', async (_what, name, message) => {
    const invoke = lambda.send(new InvokeCommand({ FunctionName: name }));

    await expect(invoke).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: expect.stringMatching(message),
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('refuses a payload that is not JSON with InvalidRequestContentException, without running the function', async () => {
    const invoke = lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('not json') }));

    await expect(invoke).rejects.toMatchObject({ name: 'InvalidRequestContentException' });
    expect(received).toEqual([]);
  });

  it('refuses an unknown invocation type in restJson error form', async () => {
    const answer = await raw(twin.endpoint, {
      path: '/2015-03-31/functions/echo/invocations',
      headers: { 'x-amz-invocation-type': 'Sometime' },
      body: '{}',
    });

    expect(answer.status).toBe(400);
    expect(answer.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
    expect(JSON.parse(answer.text)).toEqual({
      Type: 'User',
      message: expect.stringMatching(/RequestResponse, Event, DryRun/),
    });
  });

  it('answers a Lambda operation it does not serve with an AWS error, not a 500', async () => {
    await expect(lambda.send(new ListFunctionsCommand({}))).rejects.toMatchObject({
      name: 'UnknownOperationException',
      message: expect.stringMatching(/answers Invoke only/),
    });
  });

  it('throttles with TooManyRequestsException (429) when a fault says so', async () => {
    twin.faults.add({ service: 'lambda', throttleRate: 1, times: 1 });

    await expect(lambda.send(new InvokeCommand({ FunctionName: 'echo' }))).rejects.toMatchObject({
      name: 'TooManyRequestsException',
      $metadata: { httpStatusCode: 429 },
    });
    expect(received).toEqual([]);
  });
});
