import { rmSync } from 'node:fs';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { LambdaHandler } from '../../../local/lambda/function';
import type { Deployment } from '../../../local/template/deploy';
import { clientConfig, raw, startSeededTwin } from '../server-fixtures';
import { synthChatOpsStack } from './chatops-stack';

jest.setTimeout(60_000);

/**
 * The tiny ChatOps stack deployed into a running twin: its HTTP API answers at the twin's endpoint,
 * hands each request to the function as API Gateway does, and the function hands work to its worker
 * through Lambda Invoke (Event), which posts to the Slack stand-in, as the real ChatOps flow will.
 */
const chatopsEvents: APIGatewayProxyEventV2[] = [];
const workerEvents: unknown[] = [];
const log: string[] = [];

const chatopsHandler: LambdaHandler = async (raw) => {
  const event = raw as APIGatewayProxyEventV2;
  chatopsEvents.push(event);
  const behaviour = event.headers['x-test-behaviour'];
  if (behaviour === 'throw') throw new Error('the handler failed on purpose');
  if (behaviour === 'malformed') return { statusCode: 200, body: { not: 'a string' } };
  if (event.rawPath === '/slack/commands') {
    const form = new URLSearchParams(Buffer.from(event.body ?? '', 'base64').toString('utf8'));
    const lambda = new LambdaClient({ maxAttempts: 1 });
    await lambda.send(
      new InvokeCommand({
        FunctionName: process.env.WORKER_FUNCTION_NAME,
        InvocationType: 'Event',
        Payload: JSON.stringify({ text: form.get('text'), responseUrl: form.get('response_url') }),
      }),
    );
    lambda.destroy();
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: 'working on it' }),
    };
  }
  return { received: event.body };
};

const workerHandler: LambdaHandler = async (event) => {
  workerEvents.push(event);
  const { text, responseUrl } = event as { text: string; responseUrl: string };
  await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: `done: ${text}` }),
  });
  return 'posted';
};

let twin: Awaited<ReturnType<typeof startSeededTwin>>;
let deployment: Deployment;
let outdir = '';

beforeAll(async () => {
  const synthesized = synthChatOpsStack();
  outdir = synthesized.outdir;
  const { templateFile } = synthesized;
  twin = await startSeededTwin({
    log: (line) => log.push(line),
    loadHandler: async (fn) => {
      if (fn.name === 'never-answers') return () => new Promise(() => undefined);
      return fn.logicalId?.startsWith('ChatOps') ? chatopsHandler : workerHandler;
    },
  });
  deployment = await twin.deploy(templateFile);
});

afterAll(async () => {
  await twin.lambdaApi.settled();
  await twin.close();
  twin.restoreEnv();
  rmSync(outdir, { recursive: true, force: true });
});

beforeEach(() => {
  chatopsEvents.length = 0;
  workerEvents.length = 0;
  log.length = 0;
  twin.slack.clear();
});

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  raw(twin.endpoint, {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

describe('an HTTP API deployed from a synthesized template', () => {
  it('is served at the twin, and the ChatOpsUrl output (ApiEndpoint) names the twin', async () => {
    // Prepare
    const cloudformation = new CloudFormationClient(clientConfig(twin.endpoint));

    // Act
    const described = await cloudformation.send(new DescribeStacksCommand({ StackName: 'ChatOpsTwinTest' }));
    cloudformation.destroy();

    // Assert
    expect(deployment.httpApis).toEqual([
      expect.objectContaining({ name: expect.stringMatching(/^[a-z0-9]{10}$/), endpoint: twin.endpoint }),
    ]);
    expect(described.Stacks?.[0]?.Outputs).toEqual([{ OutputKey: 'ChatOpsUrl', OutputValue: twin.endpoint }]);
    expect(deployment.ignored.map((resource) => resource.type)).toEqual(
      expect.arrayContaining(['AWS::ApiGatewayV2::Stage', 'AWS::Lambda::Permission']),
    );
  });

  it('hands the function a payload 2.0 event for the route, on the twin clock', async () => {
    // Prepare: a week ahead of real time, so the event's time can only come from the twin clock.
    const week = 7 * 86_400_000;
    twin.clock.advance(week);
    const before = twin.clock.now();

    // Act
    const answer = await post('/webhook?verbose=1', '{"hello":"world"}', { 'x-custom': 'yes' });

    // Assert
    const event = chatopsEvents[0];
    expect(answer.status).toBe(200);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /webhook',
      rawPath: '/webhook',
      rawQueryString: 'verbose=1',
      queryStringParameters: { verbose: '1' },
      body: '{"hello":"world"}',
      isBase64Encoded: false,
      headers: { 'content-type': 'application/json', 'x-custom': 'yes' },
      requestContext: {
        accountId: twin.accountId,
        apiId: deployment.httpApis[0]?.name,
        routeKey: 'POST /webhook',
        stage: '$default',
        http: { method: 'POST', path: '/webhook', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
      },
    });
    expect(event?.requestContext.timeEpoch).toBeGreaterThanOrEqual(before);
    expect(event?.requestContext.timeEpoch).toBeGreaterThan(Date.now() + week / 2);
    expect(event?.requestContext.requestId).toBe(answer.headers.get('apigw-requestid'));
  });

  it('answers a result without statusCode as a 200 JSON body', async () => {
    const answer = await post('/webhook', 'ping');

    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(answer.text)).toEqual({ received: 'ping' });
  });

  it('passes a Slack form body base64-encoded; the worker, invoked asynchronously, posts to the Slack stand-in', async () => {
    // Prepare
    const form = new URLSearchParams({
      command: '/clustershift',
      text: 'status',
      response_url: `${twin.endpoint}/_twin/slack/responses`,
    }).toString();

    // Act
    const answer = await post('/slack/commands', form, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    await twin.lambdaApi.settled();

    // Assert
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ response_type: 'ephemeral', text: 'working on it' });
    expect(chatopsEvents[0]?.isBase64Encoded).toBe(true);
    expect(Buffer.from(chatopsEvents[0]?.body ?? '', 'base64').toString('utf8')).toBe(form);
    expect(workerEvents).toEqual([{ text: 'status', responseUrl: `${twin.endpoint}/_twin/slack/responses` }]);
    expect(twin.slack.messages('responses').map((entry) => entry.message)).toEqual([
      { text: 'done: status' },
    ]);
    expect(twin.lambdaApi.asyncInvocations().at(-1)).toMatchObject({
      functionName: expect.stringMatching(/^ChatOpsTwinTest-Worker/),
      status: 'succeeded',
    });
  });

  it('answers 500 Internal Server Error when the function throws, and says why in the twin log only', async () => {
    const answer = await post('/slack/interactions', '{}', { 'x-test-behaviour': 'throw' });

    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.text)).toEqual({ message: 'Internal Server Error' });
    expect(answer.text).not.toMatch(/on purpose|at /);
    expect(log.join('\n')).toMatch(
      /POST \/slack\/interactions: the function failed: Error: the handler failed on purpose/,
    );
  });

  it('answers 500 for a malformed response object', async () => {
    const answer = await post('/webhook', '{}', { 'x-test-behaviour': 'malformed' });

    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.text)).toEqual({ message: 'Internal Server Error' });
    expect(log.join('\n')).toMatch(/malformed Lambda response: body must be a string/);
  });

  it.each([
    ['GET', '/webhook'],
    ['POST', '/nowhere'],
    ['POST', '/slack'],
  ])('answers 404 Not Found for %s %s, which no route matches', async (method, path) => {
    const answer = await raw(twin.endpoint, {
      method,
      path,
      headers: {},
      body: method === 'GET' ? undefined : 'x',
    });

    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.text)).toEqual({ message: 'Not Found' });
    expect(chatopsEvents).toHaveLength(0);
  });

  it('refuses a body over 1 MB with 413 without calling the function', async () => {
    const answer = await post('/webhook', 'x'.repeat(1024 * 1024 + 1));

    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.text)).toEqual({ message: 'Request Entity Too Large' });
    expect(chatopsEvents).toHaveLength(0);
  });

  it('answers 503 Service Unavailable when the function does not answer within the integration timeout', async () => {
    // Prepare
    const arn = `arn:aws:lambda:us-east-1:${twin.accountId}:function:never-answers`;
    twin.lambda.register({
      name: 'never-answers',
      arn,
      handler: 'index.handler',
      codeDir: '/nowhere',
      environment: {},
      timeoutSeconds: 60,
      memoryMb: 128,
    });
    twin.apis.deploy({
      logicalId: 'Slow',
      apiId: 'slowslow01',
      name: 'slow',
      endpoint: twin.endpoint,
      routes: [{ routeKey: 'POST /slow', functionArn: arn, timeoutMs: 50 }],
    });

    // Act
    const answer = await post('/slow', '{}');

    // Assert
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.text)).toEqual({ message: 'Service Unavailable' });
    expect(log.join('\n')).toMatch(/POST \/slow: the integration did not answer within 50 ms/);
  });

  it('never hands a signed AWS call to a $default route, which still takes every other request', async () => {
    // Prepare
    const functionArn = twin.lambda.list().find((fn) => fn.logicalId?.startsWith('ChatOps'))?.arn ?? '';
    twin.apis.deploy({
      logicalId: 'CatchAll',
      apiId: 'catchall01',
      name: 'catch-all',
      endpoint: twin.endpoint,
      routes: [{ routeKey: '$default', functionArn, timeoutMs: 30_000 }],
    });
    const sts = new STSClient(clientConfig(twin.endpoint));
    const lambda = new LambdaClient(clientConfig(twin.endpoint));

    // Act
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    const invoked = await lambda.send(
      new InvokeCommand({ FunctionName: functionArn, Payload: '{"headers":{},"rawPath":"/x"}' }),
    );
    const unsigned = await raw(twin.endpoint, { method: 'GET', path: '/anything/else' });
    sts.destroy();
    lambda.destroy();

    // Assert
    expect(identity.Account).toBe(twin.accountId);
    expect(invoked.StatusCode).toBe(200);
    expect(unsigned.status).toBe(200);
    expect(chatopsEvents.at(-1)).toMatchObject({ routeKey: '$default', rawPath: '/anything/else' });
  });
});
