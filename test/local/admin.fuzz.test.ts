import { request } from 'node:http';
import fc from 'fast-check';
import type { Twin } from '../../local/server';
import { ELBV2_VERSION, postForm, startSeededTwin } from './server-fixtures';

/**
 * Fuzzing of the twin's admin API (/_twin/*): whatever method, path and body arrive, the answer is
 * a success or a 4xx with a clear message (never a 5xx), and the twin goes on serving, its own
 * endpoint and the AWS APIs alike.
 */

const SEED = 20_260_602;
// Scenarios play on twin time: at 1000 twin seconds per real second, the ones generated here (at most
// 1000 s long) are over within a second, so none outlives the test.
const TIME_SCALE = 1_000;
const SCENARIO_MAX_AT = 1_000;

let twin: Twin & { restoreEnv(): void };

beforeAll(async () => {
  twin = await startSeededTwin({ timeScale: TIME_SCALE });
});

afterAll(async () => {
  await twin.close();
  twin.restoreEnv();
});

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

/** One raw request (node:http: any method, a body on any method, the path sent as written). */
const send = (
  endpoint: string,
  method: string,
  path: string,
  body: string | Buffer | undefined,
  headers: Record<string, string> = {},
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const url = new URL(endpoint);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        // A length, not chunks: Node's own parser refuses a chunked GET before the twin sees it.
        headers: {
          ...headers,
          connection: 'close',
          ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });

/** A 2xx, or a 4xx whose body says what was wrong: the twin's JSON error, or the Slack sink's text answer. */
const expectClearAnswer = (answer: Answer): void => {
  const expected = [200, 202, 400, 404, 405, 413].includes(answer.status);
  const seen = { status: answer.status, text: answer.text.slice(0, 300) };
  expect({ ...seen, expected }).toEqual({ ...seen, expected: true });
  if (answer.status < 400) return;
  if (answer.contentType.startsWith('text/plain')) {
    // The Slack stand-in answers as Slack does: 400 invalid_payload / no_text.
    expect(answer.text).toMatch(/^(invalid_payload|no_text)$/);
    return;
  }
  const error = JSON.parse(answer.text) as { __type?: unknown; message?: unknown };
  expect(typeof error.__type).toBe('string');
  expect(typeof error.message).toBe('string');
  expect(String(error.message).trim()).not.toBe('');
};

/** The twin still answers its admin endpoint and an AWS API after whatever came before. */
const expectStillServing = async (): Promise<void> => {
  await send(twin.endpoint, 'DELETE', '/_twin/faults', undefined);
  const health = await send(twin.endpoint, 'GET', '/_twin/health', undefined);
  expect(health.status).toBe(200);
  const elbv2 = await postForm(twin.endpoint, `Action=DescribeLoadBalancers&${ELBV2_VERSION}`);
  expect(elbv2.status).toBe(200);
};

const ROUTE_WORDS = [
  'health',
  'state',
  'traffic',
  'events',
  'notifications',
  'apis',
  'lambda',
  'slack',
  'faults',
  'clusters',
  'alarms',
  'clock',
  'advance',
  'scenario',
  'blue',
  'green',
  'purple',
  'demo-blue-5xx',
  '__proto__',
  'constructor',
  'toString',
  '..',
  '.',
  '',
];
/** A path segment as a client would send it: a route word, or any text percent-encoded. */
const segment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ROUTE_WORDS) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(300), '%2F', '%00', '%20', '%C3%A9', '%F0%9F%98%80') },
);
const query = fc.oneof(
  fc.constant(''),
  fc.constantFrom(
    '?service=elbv2',
    '?service=ec2',
    '?service=',
    '?service=__proto__',
    '?service=a&service=b',
  ),
  fc.string({ maxLength: 20 }).map((text) => `?service=${encodeURIComponent(text)}`),
);
const adminPath = fc
  .tuple(fc.array(segment, { minLength: 0, maxLength: 4 }), query)
  .map(([segments, q]) => `/_twin/${segments.join('/')}${q}`);

const METHODS = ['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'HEAD', 'OPTIONS'];

const SERVICES = ['elbv2', 'cloudwatch', 'sfn', 'dynamodb', 'lambda', 'ec2', '', '__proto__'];
/** Values for any field: right and wrong types, edges of ranges, hostile text. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    0.5,
    1,
    2,
    400,
    599,
    600,
    60_001,
    1e300,
    -1e-300,
    '',
    'ALARM',
    'OK',
    'RED',
    'blue',
    'green',
    'Throttling',
    '__proto__',
    'x'.repeat(2_000),
    [],
    {},
  ),
  fc.double(),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.jsonValue({ maxDepth: 2 }),
);
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 3 });
const pick = <T>(values: readonly T[]) => fc.oneof(fc.constantFrom(...values), anyValue);
const withoutUndefined = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));

const faultBody = fc
  .record({
    service: maybe(pick(SERVICES)),
    operation: maybe(pick(['ModifyRule', 'DescribeRules', ''])),
    latencyMs: maybe(pick([0, 5, 60_000, 60_001, -1])),
    throttleRate: maybe(pick([0, 0.5, 1, 1.5])),
    errorRate: maybe(pick([0, 0.5, 1])),
    errorCode: maybe(pick(['InternalFailure', ''])),
    errorStatus: maybe(pick([400, 500, 599, 600, 399.5])),
    ratePerSecond: maybe(pick([0, 0.001, 1000])),
    times: maybe(pick([0, 1, 2, 1.5])),
  })
  .map(withoutUndefined);
const healthBody = fc
  .record({
    healthy: maybe(pick([true, false])),
    targets: maybe(pick([0, 1, 3, 1e300, -1, 1.5])),
    errorRate: maybe(pick([0, 0.3, 1, 7])),
    tagKey: maybe(pick(['clustershift:cluster', 'other', ''])),
  })
  .map(withoutUndefined);
const alarmBody = fc
  .record({
    state: maybe(pick(['OK', 'ALARM', 'INSUFFICIENT_DATA'])),
    reason: maybe(pick(['', 'because', 'x'.repeat(1_024), 'quote " and \\ and \n'])),
  })
  .map(withoutUndefined);
const clockBody = fc
  .record({ seconds: maybe(pick([0, 1, 60, 366 * 86_400, 366 * 86_400 + 1, -1])) })
  .map(withoutUndefined);
const scenarioAction = fc.oneof(
  fc.record({
    at: fc.integer({ min: 0, max: SCENARIO_MAX_AT }),
    alarm: alarmBody.map((a) => ({ name: 'fuzz-alarm', ...a })),
  }),
  fc.record({ at: fc.integer({ min: 0, max: SCENARIO_MAX_AT }), fault: faultBody }),
  fc.record({
    at: fc.integer({ min: 0, max: SCENARIO_MAX_AT }),
    clusterHealth: healthBody.map((h) => ({ cluster: 'green', ...h })),
  }),
  fc.record({ at: fc.integer({ min: 0, max: SCENARIO_MAX_AT }), clearFaults: fc.constant({}) }),
  fc.record({ at: pick([-1, 'soon']), explode: anyValue }),
);
const scenarioBody = fc
  .record({
    name: maybe(pick(['fuzz', '', 'x'.repeat(101)])),
    description: maybe(anyValue),
    actions: maybe(fc.oneof(fc.array(scenarioAction, { maxLength: 3 }), anyValue)),
  })
  .map(withoutUndefined);

/** A request aimed at one of the admin routes that take a body, with a body near to what it wants. */
const nearValidRequest = fc.oneof(
  faultBody.map((body) => ({ path: '/_twin/faults', body, fields: [...Object.keys(body), 'service'] })),
  fc.tuple(fc.constantFrom('blue', 'green', 'purple', '__proto__'), healthBody).map(([cluster, body]) => ({
    path: `/_twin/clusters/${cluster}/health`,
    body,
    fields: [...Object.keys(body), 'healthy', cluster],
  })),
  fc
    .tuple(fc.constantFrom('fuzz-alarm', '__proto__', 'a%2Fb', 'x'.repeat(256)), alarmBody)
    .map(([name, body]) => ({
      path: `/_twin/alarms/${name}`,
      body,
      fields: [...Object.keys(body), 'state', 'alarmName'],
    })),
  clockBody.map((body) => ({
    path: '/_twin/clock/advance',
    body,
    fields: [...Object.keys(body), 'seconds'],
  })),
  scenarioBody.map((body) => ({
    path: '/_twin/scenario',
    body,
    fields: [...Object.keys(body), 'actions', 'name'],
  })),
);

const CONTENT_TYPES = [
  'application/json',
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/cbor',
  'application/x-amz-json-1.0',
  '',
];
const rawBody = fc.oneof(
  fc.constant(''),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom(
    '{',
    'null',
    '[]',
    '{"__proto__": {"polluted": 1}}',
    'payload=%7B%22text%22%3A%22hi%22%7D',
    '{"text": "hi"}',
  ),
);

afterEach(async () => {
  await expectStillServing();
});

describe('the twin admin API, fuzzed', () => {
  it('answers any method, path and body with a success or a 4xx with a clear message, and goes on serving', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...METHODS),
        adminPath,
        rawBody,
        fc.constantFrom(...CONTENT_TYPES),
        async (method, path, body, contentType) => {
          // Act
          const answer = await send(
            twin.endpoint,
            method,
            path,
            method === 'HEAD' ? undefined : body,
            contentType === '' ? {} : { 'content-type': contentType },
          );

          // Assert
          if (method !== 'HEAD') expectClearAnswer(answer);
          else expect(answer.status).toBeLessThan(500);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          await expectStillServing();
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('answers a near-valid body on each admin route with a success or 400 naming a field', async () => {
    await fc.assert(
      fc.asyncProperty(nearValidRequest, async ({ path, body, fields }) => {
        // Act
        const answer = await send(twin.endpoint, 'POST', path, JSON.stringify(body), {
          'content-type': 'application/json',
        });

        // Assert
        expectClearAnswer(answer);
        if (answer.status >= 400) {
          const { message } = JSON.parse(answer.text) as { message: string };
          const named = ['body', 'fault', 'errorCode', 'actions', ...fields].some((field) =>
            message.includes(field),
          );
          expect({ message, named }).toEqual({ message, named: true });
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('answers a path with broken percent-encoding with 400, not an internal failure', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'DELETE'),
        fc.constantFrom('', 'alarms/', 'slack/', 'clusters/'),
        fc.constantFrom('%', '%E0%A4%A', '%ZZ', '%C3', '%ED%A0%80', 'a%'),
        fc.constantFrom('', '/health'),
        async (method, prefix, broken, suffix) => {
          // Act
          const answer = await send(twin.endpoint, method, `/_twin/${prefix}${broken}${suffix}`, '{}', {
            'content-type': 'application/json',
          });

          // Assert
          expectClearAnswer(answer);
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
  });
});

describe('scenarios started through the admin API', () => {
  it('do not play an action due far in the future at once', async () => {
    // Prepare: 30 twin days at time scale 1 is past what one Node timer can wait (2^31 - 1 ms)
    const own = await startSeededTwin({ timeScale: 1 });
    try {
      const body = {
        name: 'far',
        actions: [{ at: 30 * 86_400, alarm: { name: 'far-alarm', state: 'ALARM' } }],
      };

      // Act
      const answer = await send(own.endpoint, 'POST', '/_twin/scenario', JSON.stringify(body));
      await new Promise((resolve) => setTimeout(resolve, 100));

      // Assert
      expect(answer.status).toBe(202);
      expect(own.cloudwatch.alarms().filter((alarm) => alarm.name === 'far-alarm')).toEqual([]);
    } finally {
      await own.close();
      own.restoreEnv();
    }
  });

  it('stop when the twin closes, and never act on a closed twin', async () => {
    // Prepare: an action 2 twin seconds away, 200 ms of real time at time scale 10
    const own = await startSeededTwin({ timeScale: 10 });
    const body = { name: 'later', actions: [{ at: 2, alarm: { name: 'late-alarm', state: 'ALARM' } }] };
    const answer = await send(own.endpoint, 'POST', '/_twin/scenario', JSON.stringify(body));

    // Act
    await own.close();
    own.restoreEnv();
    await new Promise((resolve) => setTimeout(resolve, 400));

    // Assert
    expect(answer.status).toBe(202);
    expect(own.cloudwatch.alarms().filter((alarm) => alarm.name === 'late-alarm')).toEqual([]);
  });
});
