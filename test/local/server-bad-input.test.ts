import {
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import fc from 'fast-check';
import { MAX_BODY_BYTES } from '../../local/http/body';
import type { Twin } from '../../local/server';
import {
  admin,
  clientConfig,
  ELBV2_VERSION,
  jsonErrorCode,
  postForm,
  postJson,
  queryErrorCode,
  raw,
  startSeededTwin,
} from './server-fixtures';

/**
 * Whatever arrives, the twin answers with the error AWS would send (or its nearest equivalent) in
 * the protocol the caller speaks, never a crash or a 500, and goes on answering.
 */
let twin: Twin & { restoreEnv(): void };
let elbv2: ElasticLoadBalancingV2Client;
let rule: Rule;
let groupArns: string[];

beforeAll(async () => {
  // Many requests in quick succession: bad input is under test here, not rate limits.
  twin = await startSeededTwin({ apiLimits: false });
  elbv2 = new ElasticLoadBalancingV2Client(clientConfig(twin.endpoint));
  const route = twin.elbv2.routes().find((r) => r.hosts.includes('svc-a.demo.example.com'));
  const { Rules = [] } = await elbv2.send(new DescribeRulesCommand({ ListenerArn: route?.listenerArn }));
  const found = Rules.find((r) =>
    r.Conditions?.some((c) => c.HostHeaderConfig?.Values?.includes('svc-a.demo.example.com')),
  );
  if (found === undefined) throw new Error('the seed has no svc-a rule');
  rule = found;
  groupArns = twin.elbv2.targetGroups().map((group) => group.arn);
});

afterAll(async () => {
  elbv2.destroy();
  await twin.close();
  twin.restoreEnv();
});

/** After every bad request the twin must still answer an ordinary one. */
afterEach(async () => {
  const answer = await postForm(twin.endpoint, `Action=DescribeLoadBalancers&${ELBV2_VERSION}`);
  expect(answer.status).toBe(200);
  expect(answer.text).toContain('<LoadBalancerName>demo-public</LoadBalancerName>');
});

/** A ModifyRule form body forwarding to `weights.length` target groups with these raw weights. */
const modifyRuleBody = (weights: readonly string[]): string => {
  const params = new URLSearchParams({
    Action: 'ModifyRule',
    Version: '2015-12-01',
    RuleArn: rule.RuleArn ?? '',
  });
  params.set('Actions.member.1.Type', 'forward');
  weights.forEach((weight, i) => {
    const prefix = `Actions.member.1.ForwardConfig.TargetGroups.member.${i + 1}`;
    params.set(`${prefix}.TargetGroupArn`, groupArns[i] ?? '');
    params.set(`${prefix}.Weight`, weight);
  });
  return params.toString();
};

describe('malformed awsQuery form bodies', () => {
  it.each([
    ['a list index that is not a number', 'a.member.x=1', 'MalformedQueryString'],
    ['a __proto__ key', '__proto__.polluted=1', 'MalformedQueryString'],
    ['a constructor key', 'Names.constructor.prototype=1', 'MalformedQueryString'],
    ['a parameter that is both a value and a structure', 'Names=a&Names.member.1=b', 'MalformedQueryString'],
    ['an empty path segment', 'Names..member.1=a', 'MalformedQueryString'],
    [
      'bad percent-encoding (kept literally, so the name is simply not found)',
      'Names.member.1=%ZZ%E0%A4',
      'LoadBalancerNotFound',
    ],
  ])('answers %s with a 400 %s XML error', async (_what, params, code) => {
    // Act
    const answer = await postForm(twin.endpoint, `Action=DescribeLoadBalancers&${ELBV2_VERSION}&${params}`);

    // Assert
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toBe('text/xml');
    expect(queryErrorCode(answer.text)).toBe(code);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['a weight that is not a number', ['abc', '50'], 'ValidationError'],
    ['a weight above 999', ['1000', '0'], 'ValidationError'],
    ['a negative weight', ['-1', '100'], 'ValidationError'],
    ['six target groups in one forward', ['1', '1', '1', '1', '1', '1'], 'ValidationError'],
  ])('refuses ModifyRule with %s (400 %s) and leaves the rule as it was', async (_what, weights, code) => {
    // Act
    const answer = await postForm(twin.endpoint, modifyRuleBody(weights));

    // Assert
    expect(answer.status).toBe(400);
    expect(queryErrorCode(answer.text)).toBe(code);
    const { Rules = [] } = await elbv2.send(new DescribeRulesCommand({ RuleArns: [rule.RuleArn ?? ''] }));
    expect(Rules[0]?.Actions).toEqual(rule.Actions);
  });

  it.each([
    ['an unknown Action', 'Action=Frobnicate&Version=2015-12-01', 'InvalidAction'],
    ['an unknown Version', 'Action=DescribeLoadBalancers&Version=2099-01-01', 'InvalidAction'],
    ['no Version', 'Action=DescribeLoadBalancers', 'InvalidAction'],
    ['no Action', 'Version=2015-12-01', 'MissingAction'],
    ['an Action named toString', 'Action=toString&Version=2015-12-01', 'InvalidAction'],
    ['a Version named constructor', 'Action=DescribeLoadBalancers&Version=constructor', 'InvalidAction'],
    ['an empty body', '', 'MissingAction'],
  ])('answers %s with a 400 %s XML error', async (_what, body, code) => {
    // Act
    const answer = await postForm(twin.endpoint, body);

    // Assert
    expect(answer.status).toBe(400);
    expect(queryErrorCode(answer.text)).toBe(code);
  });

  it('answers a request signed for one service with another service’s Version as InvalidAction', async () => {
    // Prepare: the SigV4 credential scope says ELBv2, the body says CloudFormation.
    const authorization =
      'AWS4-HMAC-SHA256 Credential=twin/20260101/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=00';

    // Act
    const answer = await raw(twin.endpoint, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
      body: 'Action=DescribeStacks&Version=2010-05-15',
    });

    // Assert
    expect(answer.status).toBe(400);
    expect(queryErrorCode(answer.text)).toBe('InvalidAction');
  });
});

describe('malformed JSON, CBOR and HTTP requests', () => {
  it.each([
    [
      'Step Functions, invalid JSON',
      'AWSStepFunctions.ListStateMachines',
      '{"maxResults":',
      'SerializationException',
    ],
    ['Step Functions, a JSON array', 'AWSStepFunctions.ListStateMachines', '[1,2]', 'SerializationException'],
    ['Step Functions, a JSON string', 'AWSStepFunctions.ListStateMachines', '"x"', 'SerializationException'],
    [
      'CloudWatch, invalid JSON',
      'GraniteServiceVersion20100801.DescribeAlarms',
      '{',
      'SerializationException',
    ],
    [
      'CloudWatch, a JSON array',
      'GraniteServiceVersion20100801.DescribeAlarms',
      '[]',
      'SerializationException',
    ],
    ['an unknown X-Amz-Target', 'NoSuchService_2020.DoIt', '{}', 'UnknownOperationException'],
    [
      'an unknown Step Functions operation',
      'AWSStepFunctions.LaunchRocket',
      '{}',
      'UnknownOperationException',
    ],
    ['an X-Amz-Target with no operation', 'AWSStepFunctions', '{}', 'UnknownOperationException'],
    ['an operation named valueOf', 'AWSStepFunctions.valueOf', '{}', 'UnknownOperationException'],
    ['an operation named __proto__', 'AWSStepFunctions.__proto__', '{}', 'UnknownOperationException'],
    ['an operation named toString', 'AWSStepFunctions.toString', '{}', 'UnknownOperationException'],
    ['a service named toString', 'toString.DescribeAlarms', '{}', 'UnknownOperationException'],
  ])('answers %s with a 400 %s JSON error', async (_what, target, body, code) => {
    // Act
    const answer = await postJson(twin.endpoint, target, body);

    // Assert
    expect(answer.status).toBe(400);
    expect(jsonErrorCode(answer.text)).toBe(code);
  });

  it('names the CloudWatch JSON error in x-amzn-query-error, so the SDK raises it by name', async () => {
    // Act
    const answer = await postJson(twin.endpoint, 'GraniteServiceVersion20100801.DescribeAlarms', 'not json');

    // Assert
    expect(answer.headers.get('x-amzn-query-error')).toBe('SerializationException;Sender');
  });

  it('answers garbage CBOR with a 400 SerializationException in CBOR', async () => {
    // Act
    const answer = await raw(twin.endpoint, {
      path: '/service/GraniteServiceVersion20100801/operation/DescribeAlarms',
      headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor' },
      body: new Uint8Array([0xff, 0x00, 0x9f, 0x1c, 0xbf]),
    });

    // Assert
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toBe('application/cbor');
    expect(answer.headers.get('x-amzn-query-error')).toBe('SerializationException;Sender');
  });

  it('answers a body over 2 MB with 413 and an error body', async () => {
    // Act
    const answer = await postForm(
      twin.endpoint,
      `Action=DescribeLoadBalancers&${ELBV2_VERSION}&Names.member.1=${'a'.repeat(MAX_BODY_BYTES)}`,
    );

    // Assert
    expect(answer.status).toBe(413);
    expect(queryErrorCode(answer.text)).toBe('RequestEntityTooLarge');
  });

  it('answers an oversize JSON body with 413 in JSON', async () => {
    // Act
    const answer = await postJson(
      twin.endpoint,
      'AWSStepFunctions.ListStateMachines',
      JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES + 1) }),
    );

    // Assert
    expect(answer.status).toBe(413);
    expect(jsonErrorCode(answer.text)).toBe('RequestEntityTooLarge');
  });

  it.each(['GET', 'PUT', 'DELETE'])('answers %s / with a 400 error naming the method', async (method) => {
    // Act
    const answer = await raw(twin.endpoint, { method, ...(method === 'GET' ? {} : { body: '' }) });

    // Assert
    expect(answer.status).toBe(400);
    expect(jsonErrorCode(answer.text)).toBe('UnknownOperationException');
    expect(answer.text).toContain(`${method} /`);
  });
});

describe('bad admin requests', () => {
  it.each([
    ['GET', 'no-such-route'],
    ['POST', 'health'],
    ['PUT', 'faults'],
    ['POST', 'clusters/blue/sickness'],
  ])('answers %s /_twin/%s with 404 NotFound', async (method, path) => {
    // Act
    const answer = await admin(twin.endpoint, method, path, method === 'GET' ? undefined : {});

    // Assert
    expect(answer.status).toBe(404);
    expect(answer.body.__type).toBe('NotFound');
  });

  it.each([
    ['faults', { service: 'ec2' }, 'service'],
    ['faults', { service: 'elbv2', latencyMs: -1 }, 'latencyMs'],
    ['faults', { service: 'elbv2', throttleRate: 2 }, 'throttleRate'],
    ['faults', { service: 'elbv2', errorRate: 1 }, 'errorCode'],
    ['faults', { service: 'elbv2', times: 0 }, 'times'],
    ['clusters/blue/health', { healthy: 'no' }, 'healthy'],
    ['clusters/blue/health', { healthy: false, errorRate: 7 }, 'errorRate'],
    ['clusters/purple/health', { healthy: false }, 'purple'],
    ['alarms/some-alarm', { state: 'RED' }, 'state'],
    ['clock/advance', { seconds: -1 }, 'seconds'],
    ['clock/advance', { seconds: 'soon' }, 'seconds'],
    ['scenario', { name: 'x', actions: [{ at: 0, explode: true }] }, 'actions.0'],
    ['scenario', { actions: [] }, 'name'],
  ])('answers POST /_twin/%s %j with 400 naming %s', async (path, body, field) => {
    // Act
    const answer = await admin(twin.endpoint, 'POST', path, body);

    // Assert
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toBe('ValidationError');
    expect(answer.body.message).toContain(field);
  });

  it.each([
    ['GET', '%'],
    ['POST', 'alarms/%E0%A4%A'],
    ['DELETE', 'slack/%ZZ'],
    ['POST', 'clusters/%C3/health'],
  ])('answers %s /_twin/%s (broken percent-encoding) with 400 naming the path', async (method, path) => {
    // Act
    const answer = await admin(twin.endpoint, method, path, method === 'GET' ? undefined : {});

    // Assert
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toBe('ValidationError');
    expect(answer.body.message).toBe(`the path /_twin/${path} is not valid percent-encoding`);
  });

  it('answers an admin body that is not JSON with 400 SerializationException', async () => {
    // Act
    const answer = await admin(twin.endpoint, 'POST', 'faults', '{service: elbv2}');

    // Assert
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toBe('SerializationException');
  });

  it('answers DELETE /_twin/faults for an unknown service with 400 naming the known ones', async () => {
    // Act
    const answer = await admin(twin.endpoint, 'DELETE', 'faults?service=ec2');

    // Assert
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain('elbv2');
  });
});

describe('random input', () => {
  const QUERY_ACTIONS = [
    'DescribeLoadBalancers',
    'DescribeRules',
    'ModifyRule',
    'ModifyListener',
    'DescribeTargetHealth',
    'DescribeTags',
    'DescribeAlarms',
    'GetMetricData',
    'DescribeStacks',
    'GetCallerIdentity',
  ];
  const VERSIONS = ['2015-12-01', '2010-08-01', '2010-05-15', '2011-06-15'];
  const segment = fc.oneof(
    fc.constantFrom('member', 'entry', 'key', 'value', '1', '2', '0', 'x', '__proto__', 'Names', 'RuleArn'),
    fc.string({ maxLength: 6 }),
  );
  const formParam = fc.tuple(fc.array(segment, { minLength: 1, maxLength: 5 }), fc.string({ maxLength: 12 }));
  const formBody = fc.oneof(
    fc
      .record({
        action: fc.oneof(fc.constantFrom(...QUERY_ACTIONS), fc.string({ maxLength: 10 })),
        version: fc.oneof(fc.constantFrom(...VERSIONS), fc.string({ maxLength: 10 })),
        params: fc.array(formParam, { maxLength: 8 }),
      })
      .map(({ action, version, params }) => {
        const form = new URLSearchParams({ Action: action, Version: version });
        for (const [path, value] of params) form.append(path.join('.'), value);
        return form.toString();
      }),
    fc.string({ maxLength: 200 }),
  );

  it('answers any form body with 2xx or a < 500 awsQuery XML error, and keeps answering', async () => {
    await fc.assert(
      fc.asyncProperty(formBody, async (body) => {
        // Act
        const answer = await postForm(twin.endpoint, body);

        // Assert
        if (answer.status >= 200 && answer.status < 300) return;
        expect(answer.status).toBeLessThan(500);
        expect(queryErrorCode(answer.text)).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });

  const JSON_TARGETS = [
    'AWSStepFunctions.ListStateMachines',
    'AWSStepFunctions.CreateStateMachine',
    'AWSStepFunctions.DescribeStateMachine',
    'AWSStepFunctions.StartExecution',
    'AWSStepFunctions.DescribeExecution',
    'AWSStepFunctions.ListExecutions',
    'AWSStepFunctions.StopExecution',
    'AWSStepFunctions.GetExecutionHistory',
    'GraniteServiceVersion20100801.DescribeAlarms',
    'GraniteServiceVersion20100801.SetAlarmState',
    'GraniteServiceVersion20100801.GetMetricData',
    'GraniteServiceVersion20100801.PutMetricAlarm',
    'GraniteServiceVersion20100801.PutMetricData',
    'AWSEvents.PutEvents',
  ];
  const FIELDS = [
    'stateMachineArn',
    'executionArn',
    'name',
    'definition',
    'maxResults',
    'nextToken',
    'AlarmNames',
    'AlarmName',
    'StateValue',
    'MetricDataQueries',
    'StartTime',
    'EndTime',
    'Entries',
  ];
  const jsonBody = fc.oneof(
    fc
      .dictionary(
        fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 8 })),
        fc.jsonValue({ maxDepth: 3 }),
        {
          maxKeys: 5,
        },
      )
      .map((value) => JSON.stringify(value)),
    fc.json({ maxDepth: 3 }),
    fc.string({ maxLength: 100 }),
  );

  it('answers any JSON body to any awsJson target with 2xx or a < 500 JSON error, and keeps answering', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constantFrom(...JSON_TARGETS),
          fc.string({ maxLength: 30 }).map((s) => `AWSStepFunctions.${s}`),
        ),
        jsonBody,
        async (target, body) => {
          // Act
          const answer = await postJson(twin.endpoint, target, body);

          // Assert
          if (answer.status >= 200 && answer.status < 300) return;
          expect(answer.status).toBeLessThan(500);
          expect(jsonErrorCode(answer.text)).toBeDefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers any bytes sent as RPC v2 CBOR with 2xx or a < 500 error', async () => {
    // The SDK's CBOR decoder warns on every oversized length it meets; that is its noise, not ours.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('DescribeAlarms', 'GetMetricData', 'SetAlarmState', 'PutMetricData'),
          fc.uint8Array({ maxLength: 64 }),
          async (operation, body) => {
            // Act
            const answer = await raw(twin.endpoint, {
              path: `/service/GraniteServiceVersion20100801/operation/${operation}`,
              headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor' },
              body,
            });

            // Assert
            if (answer.status >= 200 && answer.status < 300) return;
            expect(answer.status).toBeLessThan(500);
            expect(answer.headers.get('x-amzn-query-error')).toMatch(/^\w+;(Sender|Receiver)$/);
          },
        ),
        { numRuns: 200 },
      );
    } finally {
      warn.mockRestore();
    }
  });
});
