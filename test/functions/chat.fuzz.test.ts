import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { clearSecretCache } from '../../aws/secrets';
import { signSlackRequest, signWebhook } from '../../core/chat/signature';
import { BUTTON_ACTIONS, buttonActionId, CHAT_COMMANDS } from '../../core/chat-commands';
import type { FleetConfigInput } from '../../core/config';
import { GUARDRAIL_NAMES } from '../../core/guardrail-names';
import type { ChatJob } from '../../functions/chat/job';
import { resetRuntime } from '../../functions/shared/runtime';
import { CHAT_CHANNEL, chatFleetConfig } from '../support/chat-fleet';

/**
 * Fuzzing of the ChatOps edge: Slack slash commands and button presses, and the generic webhook,
 * with arbitrary bodies (form or not, base64 or not, huge, fields twice, bad percent-encoding, any
 * JSON in payload=) and arbitrary headers (signatures and timestamps missing, doubled, garbage, in
 * any case), unsigned and correctly signed. The answer is always a 2xx/4xx with a message, never a
 * 5xx or a throw; the worker is invoked only for a request that is signed, allowed and a valid
 * command. And the worker, given any job: refuses the invalid, and starts or writes nothing unless
 * the job is an allowed user's in an allowed channel.
 */

jest.setTimeout(60_000);

const SEED = 20_260_605;
const SIGNING_SECRET = 'slack-signing-secret-0123456789abcdef';
const WEBHOOK_SECRET = 'webhook-secret-fedcba9876543210';
const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:clustershift-chat';
const EXECUTION = `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:slack-drain-blue-1`;
const GOOD_URL = 'https://hooks.slack.com/commands/T1/123/abc';
const PATHS = { slash: '/slack/commands', button: '/slack/interactions', webhook: '/webhook' } as const;

/** Who may do what (as configured below); everyone else may do nothing. */
const ALLOWED: Record<string, readonly string[]> = {
  U0ADMIN: CHAT_COMMANDS,
  pagerbot: CHAT_COMMANDS,
  U0VIEWER: ['status', 'history', 'help'],
};
const CHANNEL = CHAT_CHANNEL;

const config: FleetConfigInput = chatFleetConfig();

const secrets = mockClient(SecretsManagerClient);
const lambda = mockClient(LambdaClient);
const sfn = mockClient(SFNClient);
const elbv2 = mockClient(ElasticLoadBalancingV2Client);
const cloudwatch = mockClient(CloudWatchClient);
const dynamo = mockClient(DynamoDBClient);

type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: unknown,
) => Promise<APIGatewayProxyStructuredResultV2>;
type WorkerHandler = (event: unknown, context: unknown) => Promise<{ posted: boolean; text: string }>;
let chat: ApiHandler;
/** The three chat workers (acting, status, plan): each fuzzed job goes to one of them. */
const workers: WorkerHandler[] = [];
const workerArb = fc.constantFrom(0, 1, 2);
const worker = (index: number): WorkerHandler => {
  const handler = workers[index];
  if (handler === undefined) throw new Error(`chat worker ${index} is not loaded`);
  return handler;
};
const context = { functionName: 'chatops', awsRequestId: 'fuzz', getRemainingTimeInMillis: () => 10_000 };

/** URLs the worker posted its reply to. */
const posted: string[] = [];
let fetchSpy: jest.SpyInstance;

beforeAll(async () => {
  process.env.FLEET_CONFIG = JSON.stringify(config);
  process.env.TABLE_NAME = 'unused';
  process.env.WORKER_FUNCTION_NAME = 'clustershift-chat-worker';
  process.env.STATUS_WORKER_FUNCTION_NAME = 'clustershift-chat-status';
  process.env.PLAN_WORKER_FUNCTION_NAME = 'clustershift-chat-plan';
  process.env.STATE_MACHINE_ARN = STATE_MACHINE;
  resetRuntime();
  ({ handler: chat } = (await import('../../functions/chatops')) as unknown as { handler: ApiHandler });
  for (const name of ['chatops-worker', 'chatops-status', 'chatops-plan']) {
    const { handler } = (await import(`../../functions/${name}`)) as { handler: WorkerHandler };
    workers.push(handler);
  }
  fetchSpy = jest.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
    posted.push(String(input));
    return new Response('ok', { status: 200 });
  });
});

afterAll(() => {
  fetchSpy.mockRestore();
  for (const mock of [secrets, lambda, sfn, elbv2, cloudwatch, dynamo]) mock.restore();
});

beforeEach(() => {
  clearSecretCache();
  for (const mock of [secrets, lambda, sfn, elbv2, cloudwatch, dynamo]) mock.reset();
  posted.length = 0;
  secrets
    .on(GetSecretValueCommand, { SecretId: 'clustershift/slack-signing' })
    .resolves({ SecretString: SIGNING_SECRET });
  secrets
    .on(GetSecretValueCommand, { SecretId: 'clustershift/webhook' })
    .resolves({ SecretString: WEBHOOK_SECRET });
  lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
  // The fleet as the worker sees it: no lock, no freeze, nothing running; every read of the ALB or
  // CloudWatch fails (a refusal must not need them), every write is recorded.
  dynamo.on(GetItemCommand).resolves({});
  dynamo.on(QueryCommand).resolves({ Items: [] });
  sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: new Date() });
  sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
  elbv2.onAnyCommand().rejects(new Error('no load balancer in this test'));
  cloudwatch.onAnyCommand().rejects(new Error('no CloudWatch in this test'));
});

const invokedJobs = (): ChatJob[] =>
  lambda
    .commandCalls(InvokeCommand)
    .map((call) => JSON.parse(new TextDecoder().decode(call.args[0].input.Payload as Uint8Array)) as ChatJob);

/** Everything the worker may change: executions started or stopped, table items written. */
const changes = (): string[] => [
  ...sfn.commandCalls(StartExecutionCommand).map(() => 'StartExecution'),
  ...sfn.commandCalls(StopExecutionCommand).map(() => 'StopExecution'),
  ...[PutItemCommand, UpdateItemCommand, DeleteItemCommand, BatchWriteItemCommand].flatMap((command) =>
    dynamo.commandCalls(command as never).map(() => command.name),
  ),
];

const nowSeconds = () => Math.floor(Date.now() / 1000);

const apiEvent = (
  path: string,
  body: string,
  headers: Record<string, string>,
  base64: boolean,
): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: `POST ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers,
    requestContext: { http: { method: 'POST', path } },
    body: base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: base64,
  }) as unknown as APIGatewayProxyEventV2;

/** A header name in some case: API Gateway lower-cases, the twin and other proxies may not. */
const anyCase = (name: string) =>
  fc
    .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
    .map((upper) => [...name].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(''));

/** Signature headers for `body`, each under a name in some case. */
const signedHeaders = (kind: 'slack' | 'webhook', body: string, timestamp = nowSeconds()) =>
  fc
    .tuple(
      ...Object.keys(kind === 'slack' ? signSlackRequest('x', 0, '') : signWebhook('x', 0, '')).map(anyCase),
    )
    .map((names) => {
      const signed =
        kind === 'slack'
          ? signSlackRequest(SIGNING_SECRET, timestamp, body)
          : signWebhook(WEBHOOK_SECRET, timestamp, body);
      return Object.fromEntries(Object.values(signed).map((value, i) => [names[i] as string, value]));
    });

/** The answer is a 2xx/4xx whose body tells the caller what happened. */
const expectClearAnswer = (result: APIGatewayProxyStructuredResultV2, request: unknown): void => {
  const status = result.statusCode ?? 0;
  const seen = { status, body: String(result.body ?? '').slice(0, 300), request };
  expect({ ...seen, answered: status >= 200 && status < 500 }).toEqual({ ...seen, answered: true });
  if (status === 200 && result.body === '') return; // a button press: Slack shows nothing
  const body = JSON.parse(String(result.body)) as { message?: unknown; text?: unknown };
  const message = typeof body.message === 'string' ? body.message : body.text;
  expect(typeof message === 'string' && message.trim() !== '').toBe(true);
};

const outcomeOf = async (promise: Promise<APIGatewayProxyStructuredResultV2>) => {
  try {
    return { ok: true as const, result: await promise };
  } catch (error) {
    return { ok: false as const, error: `${(error as Error).name}: ${(error as Error).message}` };
  }
};

/** Sends one request; asserts it was answered clearly; returns what the worker was handed. */
const send = async (event: APIGatewayProxyEventV2, request: unknown): Promise<ChatJob[]> => {
  const before = invokedJobs().length;
  const outcome = await outcomeOf(chat(event, context));
  expect({ request, threw: outcome.ok ? undefined : outcome.error }).toEqual({ request, threw: undefined });
  if (outcome.ok) {
    expectClearAnswer(outcome.result, request);
    lastStatus = outcome.result.statusCode ?? 0;
  }
  return invokedJobs().slice(before);
};
/** The status of the last answer `send` checked. */
let lastStatus = 0;

// ---- what users type ----------------------------------------------------------------------------

const USERS = ['U0ADMIN', 'U0VIEWER', 'pagerbot', 'U0STRANGER', 'u0admin', '', 'U 0', 'x'.repeat(65), 'Ü0'];
const CHANNELS = [CHANNEL, 'C0ELSEWHERE', 'c0oncall', '', 'C0ONCALL ', '#oncall'];
const URLS = [
  GOOD_URL,
  'https://HOOKS.SLACK.COM/commands/T1/1/x',
  'https://hooks.slack.com:8443/commands/x',
  'https://hooks.slack.com.evil.example/x',
  'https://evil.example/hooks.slack.com',
  'http://hooks.slack.com/commands/x',
  'https://user:pw@hooks.slack.com/x',
  'http://127.0.0.1:9/x',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'hooks.slack.com/x',
  `https://hooks.slack.com/${'x'.repeat(2_100)}`,
  '',
];
/** Mostly a well-formed value, sometimes not: so that valid requests are common enough to be checked. */
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: bad });

const userArb = mostly(
  fc.constantFrom('U0ADMIN', 'U0VIEWER', 'pagerbot'),
  fc.oneof(fc.constantFrom(...USERS), fc.string({ maxLength: 12 })),
);
const channelArb = mostly(
  fc.constant(CHANNEL),
  fc.oneof(fc.constantFrom(...CHANNELS), fc.string({ maxLength: 12 })),
);
const urlArb = mostly(
  fc.constant(GOOD_URL),
  fc.oneof(fc.constantFrom(...URLS), fc.webUrl(), fc.string({ maxLength: 30 })),
);

const word = fc.oneof(
  fc.constantFrom(
    ...CHAT_COMMANDS,
    'DRAIN',
    'drian',
    'stauts',
    'blue',
    'green',
    'red',
    'blue=20,green=80',
    'blue=120',
    'blue=20,blue=80',
    '=5',
    '--steps',
    '--steps=0.5,1',
    '0.5,1',
    '0.5,0.2,1',
    '--bake',
    '60',
    '-1',
    '--force',
    ...GUARDRAIL_NAMES,
    '--pause-before',
    '2',
    '--dry-run',
    '--execution',
    EXECUTION,
    'slack-drain-blue-1',
    '--',
    '--unknown',
    '—steps',
    '"quoted reason"',
    '"unclosed',
    '\u201csmart quotes\u201d',
    "pool's",
    '$(rm -rf /)',
    '`id`',
    '<@U0ADMIN>',
    '\u0007',
    '\u202e',
    '\u2028',
    'é',
    '😀',
  ),
  fc.string({ maxLength: 10 }),
);
/** Commands as users type them when they get them right. */
const VALID_COMMANDS = [
  'status',
  'history',
  'history 5',
  'help',
  'plan drain blue',
  'plan shift blue=20,green=80',
  'drain blue kernel upgrade',
  'drain blue "node pool" --steps 0.5,1 --bake 60',
  'restore blue upgrade done',
  'shift blue=20,green=80 canary',
  'pause',
  'resume slack-drain-blue-1',
  `approve ${EXECUTION}`,
  'abort errors rising',
  'freeze incident 42',
  'unfreeze',
];
const commandText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...VALID_COMMANDS) },
  { weight: 4, arbitrary: fc.array(word, { maxLength: 7 }).map((words) => words.join(' ')) },
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constantFrom('', ' ', 'x'.repeat(1_001), `drain blue ${'x'.repeat(990)}`),
);

/** The words a text starts with, as the handler reads its command name. */
const commandWord = (text: string) => text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';

/**
 * May this caller's text reach the worker? Only an allowed user, in the allowed channel, naming a
 * command they may run other than help (the handler answers help itself).
 */
const mayInvoke = (user: string, channel: string, command: string): boolean =>
  channel === CHANNEL && command !== 'help' && (ALLOWED[user]?.includes(command) ?? false);

/** A reply URL the handler may hand on: https, on the allow-list's host, no credentials, not too long. */
const replyUrlAllowed = (url: string | undefined): boolean => {
  if (url === undefined) return true;
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === 'https:' &&
      parsed.host.toLowerCase() === 'hooks.slack.com' &&
      parsed.username === '' &&
      parsed.password === '' &&
      url.length <= 2_048
    );
  } catch {
    return false;
  }
};

// ---- bodies -------------------------------------------------------------------------------------

type Form = [string, string][];
const slashFields = fc.record({
  team_id: mostly(fc.constant('T1'), fc.string({ maxLength: 6 })),
  channel_id: channelArb,
  user_id: userArb,
  user_name: fc.oneof(
    fc.constantFrom('alice', "o'brien", 'Zoë', '<script>', ''),
    fc.string({ maxLength: 10 }),
  ),
  command: mostly(
    fc.constant('/clustershift'),
    fc.oneof(fc.constantFrom('/cs', 'clustershift', '/CLUSTERSHIFT'), fc.string({ maxLength: 8 })),
  ),
  text: commandText,
  response_url: urlArb,
  trigger_id: mostly(fc.constant('1.2.3'), fc.string({ maxLength: 6 })),
});

/** A form: the fields (some dropped, some doubled, some extra), encoded, then maybe spoiled as text. */
const formBody = (fields: fc.Arbitrary<Record<string, string>>) =>
  fc
    .record({
      fields,
      drop: mostly(
        fc.constant([] as string[]),
        fc.subarray(
          [
            'team_id',
            'channel_id',
            'user_id',
            'user_name',
            'command',
            'text',
            'response_url',
            'trigger_id',
            'payload',
          ],
          { maxLength: 2 },
        ),
      ),
      doubled: mostly(
        fc.constant([] as [string, string][]),
        fc.array(
          fc.tuple(
            fc.constantFrom('user_id', 'channel_id', 'text', 'payload', 'response_url'),
            fc.string({ maxLength: 8 }),
          ),
          { minLength: 1, maxLength: 2 },
        ),
      ),
      extra: fc.array(
        fc.tuple(fc.constantFrom('__proto__', 'constructor', 'api_app_id', 'x'), fc.string({ maxLength: 8 })),
        { maxLength: 2 },
      ),
      spoil: mostly(
        fc.constant(null),
        fc.record({
          at: fc.nat(),
          text: fc.constantFrom('%', '%ZZ', '%E0%A4%A', '&', '&&', '=', '+', '%00', '\n', ';'),
        }),
      ),
    })
    .map(({ fields, drop, doubled, extra, spoil }) => {
      const form: Form = Object.entries(fields).filter(([key]) => !drop.includes(key));
      form.push(...doubled, ...extra);
      let text = new URLSearchParams(form).toString();
      if (spoil !== null) {
        const at = spoil.at % (text.length + 1);
        text = `${text.slice(0, at)}${spoil.text}${text.slice(at)}`;
      }
      // Doubled fields are in the form only when it was not spoiled in a way that hides them.
      return { text, fields, dropped: drop, doubled: doubled.length > 0 };
    });

/** A key dropped now and then, an unknown one added now and then. */
const reshaped = (record: Record<string, unknown>) =>
  fc
    .tuple(
      mostly(fc.constant(null), fc.constantFrom(...Object.keys(record))),
      mostly(
        fc.constant(null),
        fc.tuple(fc.constantFrom('extra', '__proto__', 'constructor'), fc.jsonValue()),
      ),
    )
    .map(([drop, extra]) => {
      const result = Object.fromEntries(Object.entries(record).filter(([key]) => key !== drop));
      if (extra !== null) Object.defineProperty(result, extra[0], { value: extra[1], enumerable: true });
      return result;
    });

const buttonAction = fc.record({
  action_id: mostly(
    fc.constantFrom(...BUTTON_ACTIONS.map(buttonActionId)),
    fc.oneof(fc.constantFrom('clustershift_drain', '__proto__'), fc.string()),
  ),
  value: mostly(
    fc.constant(EXECUTION),
    fc.oneof(fc.constantFrom('slack-drain-blue-1', '', `${EXECUTION}:extra`), fc.string()),
  ),
});
const buttonPayload = mostly(
  fc
    .record({
      type: mostly(
        fc.constant('block_actions'),
        fc.oneof(fc.constantFrom('view_submission', 'shortcut'), fc.jsonValue()),
      ),
      user: mostly(
        fc.record({ id: userArb, username: fc.oneof(fc.constant('alice'), fc.string()) }),
        fc.jsonValue(),
      ),
      channel: mostly(fc.record({ id: channelArb }), fc.jsonValue()),
      actions: mostly(
        fc.array(buttonAction, { minLength: 1, maxLength: 1 }),
        fc.oneof(fc.array(buttonAction, { maxLength: 3 }), fc.jsonValue()),
      ),
      response_url: urlArb,
      message: mostly(fc.record({ ts: fc.constant('1712345678.000100') }), fc.jsonValue()),
    })
    .chain(reshaped),
  fc.jsonValue({ maxDepth: 3 }),
);

const webhookBody = mostly(
  fc
    .record({
      user: mostly(userArb, fc.jsonValue()),
      channel: mostly(channelArb, fc.jsonValue()),
      text: mostly(commandText, fc.jsonValue()),
      callbackUrl: mostly(urlArb, fc.jsonValue()),
    })
    .chain(reshaped),
  fc.jsonValue({ maxDepth: 3 }),
);

describe('the chat endpoint, fuzzed', () => {
  it('refuses every unsigned, badly signed or stale request with a 4xx and hands nothing to the worker', async () => {
    const badHeaders = fc.oneof(
      fc.constant({}),
      fc.dictionary(
        fc.oneof(
          fc.constantFrom(
            'x-slack-signature',
            'X-Slack-Signature',
            'x-slack-request-timestamp',
            'X-Clustershift-Signature',
            'x-clustershift-timestamp',
            'content-type',
          ),
          fc.string({ maxLength: 10 }),
        ),
        fc.oneof(
          fc.constantFrom(
            'v0=',
            `v0=${'0'.repeat(64)}`,
            `v1=${'f'.repeat(64)}`,
            `v0=${'g'.repeat(64)}`,
            String(nowSeconds()),
            '0',
            '-1',
            '1e3',
            `${nowSeconds()}.5`,
            ' ',
          ),
          fc.string({ maxLength: 70 }),
        ),
        { maxKeys: 4 },
      ),
      // A correct signature of another body, or with a wrong secret, or stale, or doubled in two cases.
      fc
        .constantFrom('other', 'secret', 'stale', 'future', 'doubled')
        .map((how) => ({ how }) as Record<string, string>),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.values(PATHS), '/slack', '/webhook/', '/', '/SLACK/COMMANDS'),
        fc.oneof(
          formBody(slashFields).map((form) => form.text),
          buttonPayload.map((p) => `payload=${encodeURIComponent(JSON.stringify(p))}`),
          webhookBody.map((b) => JSON.stringify(b)),
          fc.string({ maxLength: 100 }),
        ),
        badHeaders,
        fc.boolean(),
        async (path, body, headers, base64) => {
          // Prepare
          const ts = nowSeconds();
          let sent: Record<string, string> = headers;
          if ('how' in headers) {
            const slack = path !== PATHS.webhook;
            const sign = (secret: string, at: number, text: string) =>
              slack ? signSlackRequest(secret, at, text) : signWebhook(secret, at, text);
            const secret = slack ? SIGNING_SECRET : WEBHOOK_SECRET;
            sent =
              headers.how === 'other'
                ? sign(secret, ts, `${body} `)
                : headers.how === 'secret'
                  ? sign('not-the-secret', ts, body)
                  : headers.how === 'stale'
                    ? sign(secret, ts - 301, body)
                    : headers.how === 'future'
                      ? sign(secret, ts + 301, body)
                      : {
                          ...Object.fromEntries(
                            Object.entries(sign(secret, ts, body)).map(([k, v]) => [k.toLowerCase(), v]),
                          ),
                          ...sign(secret, ts, body),
                        };
          }

          // Act
          const jobs = await send(apiEvent(path, body, sent, base64), { path, body, sent, base64 });

          // Assert: refused (401, or 404 off the routes, 413 over the size limit)
          expect(jobs).toEqual([]);
          const refused = [401, 404, 413].includes(lastStatus);
          expect({ path, status: lastStatus, refused }).toEqual({ path, status: lastStatus, refused: true });
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('answers any signed slash command with a 2xx/4xx, invoking the worker only for an allowed, valid command', async () => {
    const signedForm = formBody(slashFields).chain((form) =>
      signedHeaders('slack', form.text).map((headers) => ({ form, headers })),
    );
    await fc.assert(
      fc.asyncProperty(signedForm, fc.boolean(), async ({ form, headers }, base64) => {
        // Act
        const jobs = await send(apiEvent(PATHS.slash, form.text, headers, base64), form);

        // Assert
        expect(jobs.length).toBeLessThanOrEqual(1);
        for (const job of jobs) {
          const sent = new URLSearchParams(form.text);
          expect({ job, mayInvoke: mayInvoke(job.user, job.channel, commandWord(job.text ?? '')) }).toEqual({
            job,
            mayInvoke: true,
          });
          expect(replyUrlAllowed(job.replyUrl)).toBe(true);
          // The job carries what was sent, each field sent once.
          for (const [field, value] of [
            ['user_id', job.user],
            ['channel_id', job.channel],
            ['text', job.text],
            ['response_url', job.replyUrl],
          ] as const) {
            expect(sent.getAll(field)).toEqual([value]);
          }
        }
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('answers any signed button press with a 2xx/4xx, invoking the worker only for an allowed user’s clustershift button', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .tuple(buttonPayload, mostly(fc.constant('json'), fc.constantFrom('raw', 'doubled', 'none')))
          .map(([payload, encoding]) => {
            const json = JSON.stringify(payload);
            const body =
              encoding === 'json'
                ? `payload=${encodeURIComponent(json)}`
                : encoding === 'raw'
                  ? json
                  : encoding === 'doubled'
                    ? `payload=${encodeURIComponent(json)}&payload=${encodeURIComponent('{}')}`
                    : 'token=x';
            return { payload, encoding, body };
          })
          .chain((request) =>
            signedHeaders('slack', request.body).map((headers) => ({ ...request, headers })),
          ),
        fc.boolean(),
        async ({ payload, encoding, body, headers }, base64) => {
          // Act
          const jobs = await send(apiEvent(PATHS.button, body, headers, base64), { payload, encoding });

          // Assert
          expect(jobs.length).toBeLessThanOrEqual(1);
          for (const job of jobs) {
            expect(encoding).toBe('json');
            const press = payload as {
              user: { id: string };
              channel: { id: string };
              actions: { value: string }[];
            };
            expect(job).toMatchObject({ source: 'slack', user: press.user.id, channel: press.channel.id });
            expect(job.button?.executionArn).toBe(press.actions[0]?.value);
            expect(mayInvoke(job.user, job.channel, job.button?.action ?? '')).toBe(true);
            expect(replyUrlAllowed(job.replyUrl)).toBe(true);
          }
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('answers any signed webhook call with a 2xx/4xx, invoking the worker only for an allowed, valid command', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .tuple(webhookBody, mostly(fc.constant('json'), fc.constantFrom('spoiled', 'huge')))
          .map(([payload, shape]) => {
            const json = JSON.stringify(payload);
            const body =
              shape === 'json'
                ? json
                : shape === 'spoiled'
                  ? json.slice(0, -1)
                  : `${json}${' '.repeat(9_000)}`;
            return { payload, shape, body };
          })
          .chain((request) =>
            signedHeaders('webhook', request.body).map((headers) => ({ ...request, headers })),
          ),
        fc.boolean(),
        async ({ payload, shape, body, headers }, base64) => {
          // Act
          const jobs = await send(apiEvent(PATHS.webhook, body, headers, base64), { payload, shape });

          // Assert
          expect(jobs.length).toBeLessThanOrEqual(1);
          for (const job of jobs) {
            expect(shape).toBe('json');
            const sent = payload as { user: string; channel: string; text: string; callbackUrl?: string };
            expect(job).toEqual({
              source: 'webhook',
              user: sent.user,
              channel: sent.channel,
              text: sent.text,
              ...(sent.callbackUrl === undefined ? {} : { replyUrl: sent.callbackUrl }),
            });
            expect(mayInvoke(job.user, job.channel, commandWord(job.text ?? ''))).toBe(true);
            expect(replyUrlAllowed(job.replyUrl)).toBe(true);
          }
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('refuses a body over the size limit with 413 before reading it', async () => {
    // Prepare
    const body = `text=${'x'.repeat(600 * 1_024)}`;
    const headers = signSlackRequest(SIGNING_SECRET, nowSeconds(), body);

    // Act
    const result = await chat(apiEvent(PATHS.slash, body, headers, true), context);

    // Assert
    expect(result.statusCode).toBe(413);
    expect(invokedJobs()).toEqual([]);
  });
});

// ---- the worker ---------------------------------------------------------------------------------

const jobArb = mostly(
  fc
    .record({
      source: mostly(
        fc.constantFrom('slack', 'webhook'),
        fc.oneof(fc.constantFrom('cli', ''), fc.jsonValue()),
      ),
      user: mostly(userArb, fc.jsonValue()),
      userName: mostly(fc.constant('alice'), fc.oneof(fc.constant('x'.repeat(129)), fc.jsonValue())),
      channel: mostly(channelArb, fc.jsonValue()),
      replyUrl: mostly(fc.constant(GOOD_URL), fc.oneof(fc.constant('x'.repeat(2_049)), fc.jsonValue())),
      command: fc.oneof(
        mostly(commandText, fc.jsonValue()).map((text) => ({ text })),
        fc
          .record({
            action: mostly(fc.constantFrom(...BUTTON_ACTIONS), fc.oneof(fc.constant('drain'), fc.string())),
            executionArn: mostly(
              fc.constant(EXECUTION),
              fc.oneof(fc.constantFrom('', 'slack-drain-blue-1'), fc.string()),
            ),
          })
          .map((button) => ({ button })),
      ),
    })
    .map(({ command, ...job }) => ({ ...job, ...command }))
    .chain(reshaped),
  fc.jsonValue({ maxDepth: 3 }),
);

describe('the chat workers, fuzzed', () => {
  it('never throws, and starts or writes nothing for a job that is invalid or not an allowed user’s in an allowed channel', async () => {
    await fc.assert(
      fc.asyncProperty(jobArb, workerArb, async (job, index) => {
        // Prepare
        const before = changes().length;

        // Act
        let result: { posted: boolean; text: string } | string;
        try {
          result = await worker(index)(job, context);
        } catch (error) {
          result = `threw ${(error as Error).name}: ${(error as Error).message}`;
        }

        // Assert
        expect({ job, result: typeof result }).toEqual({ job, result: 'object' });
        const fields = (typeof job === 'object' && job !== null ? job : {}) as Record<string, unknown>;
        const allowed =
          typeof fields.user === 'string' && ALLOWED[fields.user] !== undefined && fields.channel === CHANNEL;
        if (!allowed) expect({ job, changes: changes().slice(before) }).toEqual({ job, changes: [] });
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('posts its reply only to a reply URL on chatops.responseHosts, whatever the job says', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          GOOD_URL,
          'https://evil.example/collect',
          'https://hooks.slack.com.evil.example/x',
          'http://127.0.0.1:9/x',
          'https://hooks.slack.com:8443/commands/x',
        ),
        fc.constantFrom('status', 'help', 'drian', 'drain', 'plan drain blue'),
        workerArb,
        async (replyUrl, text, index) => {
          // Prepare
          const job = { source: 'slack', user: 'U0STRANGER', channel: 'C0ELSEWHERE', replyUrl, text };
          posted.length = 0;

          // Act
          await worker(index)(job, context);

          // Assert
          for (const url of posted)
            expect({ url, allowed: replyUrlAllowed(url) }).toEqual({ url, allowed: true });
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });
});
