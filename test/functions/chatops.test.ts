import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { clearSecretCache } from '../../aws/secrets';
import { signSlackRequest, signWebhook } from '../../core/chat/signature';
import { buttonActionId } from '../../core/chat-commands';
import type { FleetConfigInput } from '../../core/config';
import type { ChatJob } from '../../functions/chat/job';
import { resetRuntime } from '../../functions/shared/runtime';
import { chatFleetConfig } from '../support/chat-fleet';

const SIGNING_SECRET = 'slack-signing-secret-0123456789abcdef';
const WEBHOOK_SECRET = 'webhook-secret-fedcba9876543210';
const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:clustershift-chat';
const EXECUTION = `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:slack-drain-blue-1`;
const RESPONSE_URL = 'https://hooks.slack.com/commands/T1/123/abc';

const config: FleetConfigInput = chatFleetConfig();

const secrets = mockClient(SecretsManagerClient);
const lambda = mockClient(LambdaClient);

type Handler = (
  event: APIGatewayProxyEventV2,
  context: unknown,
) => Promise<APIGatewayProxyStructuredResultV2>;
let handler: Handler;
const context = { functionName: 'chatops', awsRequestId: 'test', getRemainingTimeInMillis: () => 10_000 };

const now = () => Math.floor(Date.now() / 1000);

const event = (
  path: string,
  body: string,
  headers: Record<string, string>,
  base64 = false,
): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: `POST ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    requestContext: { http: { method: 'POST', path } },
    body: base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: base64,
  }) as unknown as APIGatewayProxyEventV2;

const slashBody = (text: string, fields: Record<string, string> = {}) =>
  new URLSearchParams({
    team_id: 'T1',
    channel_id: 'C0ONCALL',
    user_id: 'U0ADMIN',
    user_name: 'alice',
    command: '/clustershift',
    text,
    response_url: RESPONSE_URL,
    trigger_id: '1.2.3',
    ...fields,
  }).toString();

/** A slash command as Slack sends it: form body, base64 through API Gateway, signed. */
const slash = (text: string, fields: Record<string, string> = {}, secret = SIGNING_SECRET, ts = now()) => {
  const body = slashBody(text, fields);
  return event('/slack/commands', body, signSlackRequest(secret, ts, body), true);
};

const invokedJobs = (): ChatJob[] =>
  lambda
    .commandCalls(InvokeCommand)
    .map((call) => JSON.parse(new TextDecoder().decode(call.args[0].input.Payload as Uint8Array)) as ChatJob);

const bodyOf = (result: APIGatewayProxyStructuredResultV2) =>
  JSON.parse(String(result.body)) as Record<string, unknown>;

const textOf = (result: APIGatewayProxyStructuredResultV2) => JSON.stringify(bodyOf(result));

/** Everything the handler logs (Powertools Logger writes JSON lines to stdout and stderr). */
const printed: string[] = [];
const everything: string[] = [];
let spies: { mockRestore: () => void }[] = [];

beforeAll(async () => {
  const capture = (chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    everything.push(String(chunk));
    return true;
  };
  spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(capture),
    jest.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  // The logger reads its level when the handler module is first imported.
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  process.env.FLEET_CONFIG = JSON.stringify(config);
  process.env.TABLE_NAME = 'unused';
  process.env.WORKER_FUNCTION_NAME = 'clustershift-chat-worker';
  process.env.STATUS_WORKER_FUNCTION_NAME = 'clustershift-chat-status';
  process.env.PLAN_WORKER_FUNCTION_NAME = 'clustershift-chat-plan';
  resetRuntime();
  ({ handler } = (await import('../../functions/chatops')) as unknown as { handler: Handler });
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

afterAll(() => {
  for (const spy of spies) spy.mockRestore();
});

beforeEach(() => {
  secrets.reset();
  lambda.reset();
  secrets
    .on(GetSecretValueCommand, { SecretId: 'clustershift/slack-signing' })
    .resolves({ SecretString: SIGNING_SECRET });
  secrets
    .on(GetSecretValueCommand, { SecretId: 'clustershift/webhook' })
    .resolves({ SecretString: WEBHOOK_SECRET });
  lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
});

describe('chatops: signature', () => {
  it('accepts a correctly signed slash command, acknowledges it at once and hands it to the worker', async () => {
    // Act
    const result = await handler(slash('drain blue kernel upgrade'), context);

    // Assert
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(result)).toContain('working on');
    expect(invokedJobs()).toEqual([
      {
        source: 'slack',
        user: 'U0ADMIN',
        userName: 'alice',
        channel: 'C0ONCALL',
        replyUrl: RESPONSE_URL,
        text: 'drain blue kernel upgrade',
      },
    ]);
    expect(lambda.commandCalls(InvokeCommand)[0]?.args[0].input).toMatchObject({
      FunctionName: 'clustershift-chat-worker',
      InvocationType: 'Event',
    });
  });

  it.each([
    ['status', 'clustershift-chat-status'],
    ['history 5', 'clustershift-chat-status'],
    ['plan drain blue', 'clustershift-chat-plan'],
    ['shift blue=20 green=80 canary', 'clustershift-chat-worker'],
    ['freeze incident 42', 'clustershift-chat-worker'],
  ])('hands `%s` to the worker that runs it (%s)', async (text, functionName) => {
    // Act
    const result = await handler(slash(text), context);

    // Assert
    expect(result.statusCode).toBe(200);
    expect(lambda.commandCalls(InvokeCommand).map((call) => call.args[0].input.FunctionName)).toEqual([
      functionName,
    ]);
  });

  it('answers 500 naming the variable, and invokes nothing, when a worker is not configured', async () => {
    // Prepare
    const saved = process.env.PLAN_WORKER_FUNCTION_NAME;
    delete process.env.PLAN_WORKER_FUNCTION_NAME;

    // Act
    const result = await handler(slash('plan drain blue'), context).finally(() => {
      process.env.PLAN_WORKER_FUNCTION_NAME = saved;
    });

    // Assert
    expect(result.statusCode).toBe(500);
    expect(textOf(result)).toContain('no plan worker function');
    expect(invokedJobs()).toEqual([]);
  });

  const tampered: [string, () => APIGatewayProxyEventV2][] = [
    ['a wrong secret', () => slash('drain blue x', {}, 'not-the-secret')],
    [
      'an altered body',
      () => {
        const signed = slash('status');
        const body = Buffer.from(String(signed.body), 'base64').toString().replace('status', 'drain+blue+x');
        return { ...signed, body: Buffer.from(body).toString('base64') };
      },
    ],
    [
      'an altered timestamp',
      () => {
        const signed = slash('status');
        return {
          ...signed,
          headers: { ...signed.headers, 'x-slack-request-timestamp': String(now() - 1) },
        };
      },
    ],
    ['a timestamp older than 5 minutes', () => slash('status', {}, SIGNING_SECRET, now() - 301)],
    [
      'missing signature headers',
      () => ({ ...event('/slack/commands', slashBody('status'), {}), isBase64Encoded: false }),
    ],
  ];
  it.each(tampered)('rejects %s with 401 and starts nothing', async (_what, build) => {
    // Act
    const result = await handler(build(), context);

    // Assert
    expect(result.statusCode).toBe(401);
    expect(invokedJobs()).toEqual([]);
  });

  it('answers 503 and starts nothing when the signing secret cannot be read, without saying its value', async () => {
    // Prepare
    clearSecretCache();
    secrets.reset();
    secrets
      .on(GetSecretValueCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));

    // Act
    const result = await handler(slash('status'), context);

    // Assert
    expect(result.statusCode).toBe(503);
    expect(String(result.body)).not.toContain(SIGNING_SECRET);
    expect(invokedJobs()).toEqual([]);
    clearSecretCache();
  });
});

describe('chatops: who may do what', () => {
  it('refuses a user who is not on the list, clearly, and starts nothing', async () => {
    const result = await handler(slash('drain blue x', { user_id: 'U0STRANGER' }), context);

    expect(result.statusCode).toBe(200);
    expect(textOf(result)).toContain('not on');
    expect(invokedJobs()).toEqual([]);
  });

  it('refuses a channel that is not on the list', async () => {
    const result = await handler(slash('status', { channel_id: 'C0RANDOM' }), context);

    expect(textOf(result)).toContain('C0RANDOM');
    expect(textOf(result)).toContain('chatops.channels');
    expect(invokedJobs()).toEqual([]);
  });

  it('refuses a listed user a command they may not run, naming the ones they may', async () => {
    const result = await handler(slash('drain blue x', { user_id: 'U0VIEWER' }), context);

    expect(textOf(result)).toMatch(/may not run drain/);
    expect(invokedJobs()).toEqual([]);
  });

  it('lets a read-only user run status', async () => {
    const result = await handler(slash('status', { user_id: 'U0VIEWER' }), context);

    expect(result.statusCode).toBe(200);
    expect(invokedJobs().map((job) => job.text)).toEqual(['status']);
  });
});

describe('chatops: commands', () => {
  it('answers an unknown command with the help text and starts nothing', async () => {
    const result = await handler(slash('obliterate blue'), context);

    expect(textOf(result)).toContain('Commands');
    expect(textOf(result)).toContain('drain');
    expect(invokedJobs()).toEqual([]);
  });

  it('answers help itself, without the worker', async () => {
    const result = await handler(slash('help'), context);

    expect(textOf(result)).toContain('/clustershift');
    expect(invokedJobs()).toEqual([]);
  });

  it('refuses a drain of an unknown cluster at once, naming it, and starts nothing', async () => {
    const result = await handler(slash('drain purple kernel upgrade'), context);

    expect(textOf(result)).toContain('purple');
    expect(invokedJobs()).toEqual([]);
  });

  it.each([
    'drain blue; rm -rf /',
    'drain "blue$(reboot)" x',
    'drain blue --force=all x',
    'drain blue `curl evil` <script>alert(1)</script>',
    'status\ndrain blue x',
  ])('does nothing harmful with %j', async (text) => {
    const result = await handler(slash(text), context);

    // Either refused (nothing started) or the injection stayed plain reason text for a valid drain.
    const jobs = invokedJobs();
    expect(jobs.length <= 1).toBe(true);
    for (const job of jobs) expect(job.text).toBe(text);
    if (jobs.length === 0) expect(result.statusCode).toBe(200);
    expect(textOf(result)).not.toContain('<script>');
  });

  it('refuses a response_url on a host that is not allowed, and starts nothing', async () => {
    const result = await handler(slash('status', { response_url: 'https://evil.example.com/hook' }), context);

    expect(result.statusCode).toBe(400);
    expect(invokedJobs()).toEqual([]);
  });

  it('hands a button press to the acting worker with its execution and answers Slack with an empty 200', async () => {
    // Prepare
    const payload = JSON.stringify({
      type: 'block_actions',
      user: { id: 'U0ADMIN', username: 'alice' },
      channel: { id: 'C0ONCALL' },
      response_url: RESPONSE_URL,
      actions: [{ action_id: buttonActionId('pause'), value: EXECUTION, type: 'button' }],
      container: { message_ts: '1.2' },
    });
    const body = new URLSearchParams({ payload }).toString();

    // Act
    const result = await handler(
      event('/slack/interactions', body, signSlackRequest(SIGNING_SECRET, now(), body), true),
      context,
    );

    // Assert
    expect(result).toEqual({ statusCode: 200, body: '' });
    expect(invokedJobs()).toEqual([
      {
        source: 'slack',
        user: 'U0ADMIN',
        userName: 'alice',
        channel: 'C0ONCALL',
        replyUrl: RESPONSE_URL,
        button: { action: 'pause', executionArn: EXECUTION },
      },
    ]);
    expect(lambda.commandCalls(InvokeCommand)[0]?.args[0].input.FunctionName).toBe(
      'clustershift-chat-worker',
    );
  });
});

describe('chatops: generic webhook', () => {
  it('accepts a JSON command signed with the webhook secret and answers 202', async () => {
    const body = JSON.stringify({ user: 'pagerbot', channel: 'C0ONCALL', text: 'status' });

    const result = await handler(event('/webhook', body, signWebhook(WEBHOOK_SECRET, now(), body)), context);

    expect(result.statusCode).toBe(202);
    expect(bodyOf(result)).toMatchObject({ ok: true, command: 'status' });
    expect(invokedJobs()).toEqual([
      { source: 'webhook', user: 'pagerbot', channel: 'C0ONCALL', text: 'status' },
    ]);
  });

  it('rejects a webhook signed with the Slack secret', async () => {
    const body = JSON.stringify({ user: 'pagerbot', channel: 'C0ONCALL', text: 'status' });

    const result = await handler(event('/webhook', body, signWebhook(SIGNING_SECRET, now(), body)), context);

    expect(result.statusCode).toBe(401);
    expect(invokedJobs()).toEqual([]);
  });

  it('answers a malformed but signed body with 400 naming the problem', async () => {
    const body = JSON.stringify({ user: 'pagerbot', text: 'status' });

    const result = await handler(event('/webhook', body, signWebhook(WEBHOOK_SECRET, now(), body)), context);

    expect(result.statusCode).toBe(400);
    expect(textOf(result)).toContain('channel');
    expect(invokedJobs()).toEqual([]);
  });

  it('answers 404 on a path that is no route', async () => {
    const result = await handler(event('/admin', '{}', {}), context);

    expect(result.statusCode).toBe(404);
  });
});

describe('chatops worker: where it replies', () => {
  type Worker = (job: unknown, context: unknown) => Promise<{ posted: boolean; text: string }>;
  let worker: Worker;
  let fetchSpy: jest.SpyInstance;

  beforeAll(async () => {
    ({ handler: worker } = (await import('../../functions/chatops-worker')) as unknown as {
      handler: Worker;
    });
  });

  beforeEach(() => {
    fetchSpy = jest.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('ok', { status: 200 }));
  });

  afterEach(() => {
    fetchSpy.mockRestore();
  });

  const job = (replyUrl: string) => ({
    source: 'slack',
    user: 'U0ADMIN',
    channel: 'C0ONCALL',
    replyUrl,
    text: 'help',
  });

  it('posts the reply to a reply URL on chatops.responseHosts', async () => {
    // Act
    const result = await worker(job(RESPONSE_URL), context);

    // Assert
    expect(result.posted).toBe(true);
    expect(fetchSpy.mock.calls.map(([url]) => String(url))).toEqual([RESPONSE_URL]);
  });

  it('runs nothing and posts nowhere for a job whose reply URL the chat handler would have refused', async () => {
    // Prepare
    printed.length = 0;

    // Act
    const result = await worker(job('https://hooks.slack.com.evil.example/x'), context);

    // Assert: refused, not the help text of a command that ran
    expect(result).toEqual({
      posted: false,
      text: 'reply URL refused: host hooks.slack.com.evil.example is not in chatops.responseHosts',
    });
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(printed.join('')).toContain('chat job refused: reply URL not allowed');
  });
});

describe('chatops: secrets stay out of logs', () => {
  it('never writes the signing secret to the log, on success or on a bad signature', async () => {
    // Prepare
    printed.length = 0;

    // Act
    await handler(slash('drain blue x'), context);
    await handler(slash('drain blue x', {}, 'wrong-secret'), context);

    // Assert
    const lines = printed.join('');
    expect(lines).toContain('chat command accepted');
    expect(lines).toContain('bad signature');
    expect(lines).not.toContain(SIGNING_SECRET);
  });

  it('wrote no secret in any log line of this whole file', () => {
    expect(everything.join('')).not.toContain(SIGNING_SECRET);
    expect(everything.join('')).not.toContain(WEBHOOK_SECRET);
  });
});

describe('events/ samples', () => {
  it('the sample slash command event is what API Gateway sends: a base64 form body', () => {
    const sample = JSON.parse(
      readFileSync(join(__dirname, '../../events/chatops-slash-command.json'), 'utf8'),
    ) as APIGatewayProxyEventV2;
    expect(sample.isBase64Encoded).toBe(true);
    expect(Buffer.from(String(sample.body), 'base64').toString()).toContain('command=%2Fclustershift');
  });
});
