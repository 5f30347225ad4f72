import {
  type Action,
  DescribeRulesCommand,
  ModifyListenerCommand,
  ModifyRuleCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { applyWeights, readWeights } from '../../aws/elbv2';
import { resetElbv2Pacers } from '../../aws/elbv2-pacing';
import { ELBV2_API_BUCKETS } from '../../core/aws-limits';
import { ClusterShiftError } from '../../core/errors';
import {
  awsError,
  BLUE,
  defaultRule,
  fakeClockPacer,
  fakeElb,
  GREEN,
  hostRule,
  listenerArn,
  route,
  ruleArn,
  tg,
  weightedForward,
} from './elbv2-fixtures';

// The ELBv2 pacers are per process: each test starts with full buckets.
beforeEach(resetElbv2Pacers);

const oidc: Action = {
  Type: 'authenticate-oidc',
  Order: 1,
  AuthenticateOidcConfig: {
    Issuer: 'https://idp.example.com',
    AuthorizationEndpoint: 'https://idp.example.com/authorize',
    TokenEndpoint: 'https://idp.example.com/token',
    UserInfoEndpoint: 'https://idp.example.com/userinfo',
    ClientId: 'clustershift',
    SessionCookieName: 'AWSELBAuthSessionCookie',
    Scope: 'openid',
    SessionTimeout: 604800,
    OnUnauthenticatedRequest: 'authenticate',
  },
};
const stickyForward: Action = {
  Type: 'forward',
  Order: 2,
  ForwardConfig: {
    TargetGroups: [
      { TargetGroupArn: BLUE, Weight: 50 },
      { TargetGroupArn: GREEN, Weight: 50 },
    ],
    TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 3600 },
  },
};

const api = route({ id: ruleArn(443, 1), name: 'api.example.com' });
const web = route({ id: ruleArn(443, 2), name: 'web.example.com' });
const fallback = route({ id: listenerArn(443), kind: 'default', name: 'default :443' });

const even = { [BLUE]: 50, [GREEN]: 50 };
const drained = { [BLUE]: 0, [GREEN]: 100 };

describe('applyWeights', () => {
  it('keeps an authenticate-oidc action and the forward stickiness intact: ModifyRule sends the read actions with only the weights changed', async () => {
    // Prepare
    const { client, mock } = fakeElb([
      {
        arn: listenerArn(443),
        port: 443,
        rules: [hostRule(443, 1, 'api.example.com', [oidc, stickyForward])],
      },
    ]);

    // Act
    const result = await applyWeights(
      [{ route: api, expected: even, desired: { [BLUE]: 25, [GREEN]: 75 } }],
      client,
    );

    // Assert
    expect(result).toEqual({ written: [api.id], alreadyDesired: [], remaining: [] });
    const sent = mock.commandCalls(ModifyRuleCommand).map((c) => c.args[0].input);
    expect(sent).toEqual([
      {
        RuleArn: api.id,
        Actions: [
          // Describe never returns the client secret: the write asks AWS to keep the existing one.
          {
            ...oidc,
            AuthenticateOidcConfig: { ...oidc.AuthenticateOidcConfig, UseExistingClientSecret: true },
          },
          {
            ...stickyForward,
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: BLUE, Weight: 25 },
                { TargetGroupArn: GREEN, Weight: 75 },
              ],
              TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 3600 },
            },
          },
        ],
      },
    ]);
  });

  it('detects drift and writes NOTHING, not even the routes that did not drift, naming every drifted route', async () => {
    // Prepare: web was changed by hand to 90/10; api and the default action are as expected.
    const { client, mock } = fakeElb([
      {
        arn: listenerArn(443),
        port: 443,
        rules: [
          hostRule(443, 1, 'api.example.com', [weightedForward(even)]),
          hostRule(443, 2, 'web.example.com', [weightedForward({ [BLUE]: 90, [GREEN]: 10 })]),
          defaultRule(443, [weightedForward(even)]),
        ],
      },
    ]);
    const changes = [api, web, fallback].map((r) => ({ route: r, expected: even, desired: drained }));

    // Act
    const error = await applyWeights(changes, client).catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(ClusterShiftError);
    expect(error).toMatchObject({
      name: 'DriftDetected',
      details: {
        routes: [{ id: web.id, name: 'web.example.com', expected: even, live: { [BLUE]: 90, [GREEN]: 10 } }],
      },
    });
    expect((error as Error).message).toContain(
      'web.example.com (expected blue-api=50 green-api=50, live blue-api=90 green-api=10)',
    );
    expect(mock.commandCalls(ModifyRuleCommand)).toHaveLength(0);
    expect(mock.commandCalls(ModifyListenerCommand)).toHaveLength(0);
  });

  it('does not rewrite a route already at the desired weights (a retried step is idempotent)', async () => {
    const { client, mock } = fakeElb([
      {
        arn: listenerArn(443),
        port: 443,
        rules: [
          hostRule(443, 1, 'api.example.com', [weightedForward(drained)]),
          hostRule(443, 2, 'web.example.com', [weightedForward(even)]),
        ],
      },
    ]);

    const result = await applyWeights(
      [api, web].map((r) => ({ route: r, expected: even, desired: drained })),
      client,
    );

    expect(result).toEqual({ written: [web.id], alreadyDesired: [api.id], remaining: [] });
    expect(mock.commandCalls(ModifyRuleCommand).map((c) => c.args[0].input.RuleArn)).toEqual([web.id]);
  });

  it('writes a default action through ModifyListener with DefaultActions', async () => {
    const { client, mock } = fakeElb([
      { arn: listenerArn(443), port: 443, rules: [defaultRule(443, [weightedForward(even)])] },
    ]);

    await applyWeights([{ route: fallback, expected: even, desired: drained }], client);

    expect(mock.commandCalls(ModifyRuleCommand)).toHaveLength(0);
    expect(mock.commandCalls(ModifyListenerCommand).map((c) => c.args[0].input)).toEqual([
      { ListenerArn: listenerArn(443), DefaultActions: [weightedForward(drained)] },
    ]);
  });

  it('turns a plain single-target-group forward into a one-tuple ForwardConfig, keeping TargetGroupArn', async () => {
    const single = route({ id: ruleArn(443, 1), targets: [{ targetGroupArn: BLUE, cluster: 'blue' }] });
    const { client, mock } = fakeElb([
      {
        arn: listenerArn(443),
        port: 443,
        rules: [hostRule(443, 1, 'api.example.com', [{ Type: 'forward', Order: 1, TargetGroupArn: BLUE }])],
      },
    ]);

    await applyWeights([{ route: single, expected: { [BLUE]: 1 }, desired: { [BLUE]: 0 } }], client);

    expect(mock.commandCalls(ModifyRuleCommand)[0]?.args[0].input.Actions).toEqual([
      {
        Type: 'forward',
        Order: 1,
        TargetGroupArn: BLUE,
        ForwardConfig: { TargetGroups: [{ TargetGroupArn: BLUE, Weight: 0 }] },
      },
    ]);
  });

  it('drops a top-level TargetGroupArn next to a multi-target-group ForwardConfig, and leaves unnamed target groups alone', async () => {
    const third = tg('green-canary');
    const wide = route({
      id: ruleArn(443, 1),
      targets: [
        { targetGroupArn: BLUE, cluster: 'blue' },
        { targetGroupArn: GREEN, cluster: 'green' },
        { targetGroupArn: third, cluster: null },
      ],
    });
    const read: Action = {
      ...weightedForward({ [BLUE]: 10, [GREEN]: 10, [third]: 7 }),
      TargetGroupArn: BLUE,
    };
    const { client, mock } = fakeElb([
      { arn: listenerArn(443), port: 443, rules: [hostRule(443, 1, 'api.example.com', [read])] },
    ]);

    await applyWeights(
      [{ route: wide, expected: { [BLUE]: 10, [GREEN]: 10 }, desired: { [BLUE]: 0, [GREEN]: 20 } }],
      client,
    );

    expect(mock.commandCalls(ModifyRuleCommand)[0]?.args[0].input.Actions).toEqual([
      weightedForward({ [BLUE]: 0, [GREEN]: 20, [third]: 7 }),
    ]);
  });

  it('never writes a route whose target groups belong to no configured cluster (refused before any call)', async () => {
    const { client, mock } = fakeElb([]);
    const legacy = tg('legacy');
    const unmanaged = route({ id: ruleArn(443, 9), targets: [{ targetGroupArn: legacy, cluster: null }] });

    const error = await applyWeights(
      [{ route: unmanaged, expected: { [legacy]: 1 }, desired: { [legacy]: 0 } }],
      client,
    ).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'InvalidRequest' });
    expect((error as Error).message).toContain('forwards to no configured cluster');
    expect(mock.calls()).toHaveLength(0);
  });

  it.each([
    ['a weight above 999', { [BLUE]: 1000, [GREEN]: 0 }],
    ['a negative weight', { [BLUE]: -1, [GREEN]: 1 }],
    ['a fractional weight', { [BLUE]: 0.5, [GREEN]: 1 }],
  ])('refuses %s with InvalidRequest before any call', async (_, desired) => {
    const { client, mock } = fakeElb([]);

    const error = await applyWeights([{ route: api, expected: even, desired }], client).catch(
      (e: unknown) => e,
    );

    expect(error).toMatchObject({ name: 'InvalidRequest' });
    expect((error as Error).message).toContain('api.example.com');
    expect(mock.calls()).toHaveLength(0);
  });

  it('refuses more than 5 target groups per forward before any call', async () => {
    const six = Array.from({ length: 6 }, (_, i) => tg(`t${i}`));
    const wide = route({
      id: ruleArn(443, 1),
      targets: six.map((arn) => ({ targetGroupArn: arn, cluster: 'blue' })),
    });
    const { client, mock } = fakeElb([]);

    const error = await applyWeights(
      [{ route: wide, expected: {}, desired: Object.fromEntries(six.map((arn) => [arn, 1])) }],
      client,
    ).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'InvalidRequest' });
    expect(mock.calls()).toHaveLength(0);
  });

  it('reads each listener once, whatever the number of routes on it', async () => {
    const rules = Array.from({ length: 30 }, (_, i) =>
      hostRule(443, i + 1, `s${i}.example.com`, [weightedForward(even)]),
    );
    const routes = rules.map((rule) => route({ id: rule.RuleArn ?? '' }));
    const { client, mock } = fakeElb([{ arn: listenerArn(443), port: 443, rules }]);

    const result = await applyWeights(
      routes.map((r) => ({ route: r, expected: even, desired: drained })),
      client,
      { concurrency: 3 },
    );

    expect(result.written).toEqual(routes.map((r) => r.id));
    expect(mock.commandCalls(DescribeRulesCommand)).toHaveLength(1);
    expect(mock.commandCalls(ModifyRuleCommand)).toHaveLength(30);
  });

  it('keeps at most `concurrency` writes in flight', async () => {
    const rules = Array.from({ length: 12 }, (_, i) =>
      hostRule(443, i + 1, `s${i}.example.com`, [weightedForward(even)]),
    );
    const { client, mock } = fakeElb([{ arn: listenerArn(443), port: 443, rules }]);
    let inFlight = 0;
    let peak = 0;
    mock.on(ModifyRuleCommand).callsFake(async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight--;
      return {};
    });

    await applyWeights(
      rules.map((rule) => ({ route: route({ id: rule.RuleArn ?? '' }), expected: even, desired: drained })),
      client,
      { concurrency: 4 },
    );

    expect(peak).toBe(4);
  });

  it('on a failed write after others succeeded, throws the translated error listing the routes already written', async () => {
    const rules = [1, 2, 3].map((n) => hostRule(443, n, `s${n}.example.com`, [weightedForward(even)]));
    const routes = rules.map((rule) => route({ id: rule.RuleArn ?? '', name: rule.RuleArn ?? '' }));
    const { client, mock } = fakeElb([{ arn: listenerArn(443), port: 443, rules }]);
    mock.on(ModifyRuleCommand, { RuleArn: ruleArn(443, 3) }).rejects(awsError('TargetGroupNotFound', 'gone'));

    const error = await applyWeights(
      routes.map((r) => ({ route: r, expected: even, desired: drained })),
      client,
      { concurrency: 1 },
    ).catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: 'AwsCallFailed',
      details: { awsError: 'TargetGroupNotFound', written: [ruleArn(443, 1), ruleArn(443, 2)] },
    });
  });

  it('asks before every write, and writes nothing more once the check refuses (the lock went to a failover)', async () => {
    // Prepare: the check passes twice, then the fleet belongs to someone else
    const rules = [1, 2, 3].map((n) => hostRule(443, n, `s${n}.example.com`, [weightedForward(even)]));
    const routes = rules.map((rule) => route({ id: rule.RuleArn ?? '', name: rule.RuleArn ?? '' }));
    const { client, mock } = fakeElb([{ arn: listenerArn(443), port: 443, rules }]);
    let checks = 0;
    const beforeEachWrite = async () => {
      checks += 1;
      if (checks > 2) throw new ClusterShiftError('LockLost', 'lost the lock: now held by a failover');
    };

    // Act
    const error = await applyWeights(
      routes.map((r) => ({ route: r, expected: even, desired: drained })),
      client,
      { concurrency: 1, beforeEachWrite },
    ).catch((e: unknown) => e);

    // Assert
    expect(error).toMatchObject({
      name: 'LockLost',
      details: { written: [ruleArn(443, 1), ruleArn(443, 2)] },
    });
    expect(mock.commandCalls(ModifyRuleCommand)).toHaveLength(2);
  });

  it('starts no write that could not end by the deadline, returns the rest, and a second call writes only those', async () => {
    // Arrange: 30 rules; the mutating bucket's 20 at once, then one every 333 ms on the pacer's clock
    const routes = Array.from({ length: 30 }, (_, i) =>
      route({ id: ruleArn(443, i + 1), name: `s${i}.example.com` }),
    );
    const { client, mock } = fakeElb([
      {
        arn: listenerArn(443),
        port: 443,
        rules: routes.map((r, i) => hostRule(443, i + 1, r.name, [weightedForward(even)])),
      },
    ]);
    const { pacer, now } = fakeClockPacer(ELBV2_API_BUCKETS.mutating);
    const changes = routes.map((r) => ({ route: r, expected: even, desired: drained }));
    // What the load balancer holds after the first call (the fake keeps no writes).
    const after = fakeElb([
      {
        arn: listenerArn(443),
        port: 443,
        rules: routes.map((r, i) => hostRule(443, i + 1, r.name, [weightedForward(i < 26 ? drained : even)])),
      },
    ]);

    // Act: a write is allowed 1 s, so none starts after 2 s; the 26th starts at 2 s
    const first = await applyWeights(changes, client, { pacer, now, deadline: 3_000, concurrency: 1 });
    const second = await applyWeights(changes, after.client, {
      pacer,
      now,
      deadline: now() + 60_000,
      concurrency: 1,
    });

    // Assert
    expect(first.written).toEqual(routes.slice(0, 26).map((r) => r.id));
    expect(first.remaining).toEqual(routes.slice(26).map((r) => r.id));
    expect(second).toEqual({
      written: routes.slice(26).map((r) => r.id),
      alreadyDesired: routes.slice(0, 26).map((r) => r.id),
      remaining: [],
    });
    expect(mock.commandCalls(ModifyRuleCommand)).toHaveLength(26);
    expect(after.mock.commandCalls(ModifyRuleCommand)).toHaveLength(4);
  });

  it('retries a throttled ModifyRule and then reports it written', async () => {
    const { client, mock } = fakeElb([
      {
        arn: listenerArn(443),
        port: 443,
        rules: [hostRule(443, 1, 'api.example.com', [weightedForward(even)])],
      },
    ]);
    mock.on(ModifyRuleCommand).rejectsOnce(awsError('Throttling', 'Rate exceeded')).resolves({});
    const { pacer, delays } = fakeClockPacer(ELBV2_API_BUCKETS.mutating);

    const result = await applyWeights([{ route: api, expected: even, desired: drained }], client, { pacer });

    expect(result.written).toEqual([api.id]);
    expect(mock.commandCalls(ModifyRuleCommand)).toHaveLength(2);
    // The throttle emptied the pacer's bucket and halved its rate (then the success won a little
    // back): the retry waited for a token.
    expect(delays).toHaveLength(1);
    expect(pacer.currentRate).toBeCloseTo(1.5 + 3 / 20);
  });

  it('retries a throttled write until its deadline, each attempt waiting for a token, then raises Throttling', async () => {
    const { client, mock } = fakeElb([
      {
        arn: listenerArn(443),
        port: 443,
        rules: [hostRule(443, 1, 'api.example.com', [weightedForward(even)])],
      },
    ]);
    mock.on(ModifyRuleCommand).rejects(awsError('Throttling', 'Rate exceeded'));
    const { pacer, delays, now } = fakeClockPacer(ELBV2_API_BUCKETS.mutating);

    const error = await applyWeights([{ route: api, expected: even, desired: drained }], client, {
      pacer,
      retry: { now, deadline: 30_000 },
    }).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'Throttling', details: { written: [] } });
    expect((error as Error).message).toContain('still throttled at its deadline');
    // Attempts are spaced by the pacer (slowing to a tenth of 3/s), not counted: 30 s of them.
    expect(now()).toBeGreaterThanOrEqual(30_000);
    expect(mock.commandCalls(ModifyRuleCommand).length).toBe(delays.length + 1);
    expect(Math.max(...delays)).toBeLessThanOrEqual(1000 / 0.3 + 1);
  });
});

describe('readWeights', () => {
  it('returns live weights for exactly the given routes with one DescribeRules per listener', async () => {
    const other = route({ id: ruleArn(80, 1), listenerArn: listenerArn(80) });
    const { client, mock } = fakeElb([
      {
        arn: listenerArn(443),
        port: 443,
        rules: [
          hostRule(443, 1, 'api.example.com', [weightedForward(even)]),
          hostRule(443, 2, 'web.example.com', [weightedForward(drained)]),
          defaultRule(443, [weightedForward({ [BLUE]: 3, [GREEN]: 1 })]),
        ],
      },
      { arn: listenerArn(80), port: 80, rules: [{ ...hostRule(80, 1, 'x', [weightedForward(drained)]) }] },
    ]);

    const weights = await readWeights([api, fallback, other], client);

    expect([...weights]).toEqual([
      [api.id, even],
      [fallback.id, { [BLUE]: 3, [GREEN]: 1 }],
      [other.id, drained],
    ]);
    expect(
      mock
        .commandCalls(DescribeRulesCommand)
        .map((c) => c.args[0].input.ListenerArn)
        .sort(),
    ).toEqual([listenerArn(443), listenerArn(80)].sort());
  });

  it('raises RouteNotFound naming every route that no longer exists (deleted rule or deleted listener)', async () => {
    const gone = route({ id: ruleArn(80, 1), listenerArn: listenerArn(80), name: 'gone.example.com' });
    const { client } = fakeElb([
      {
        arn: listenerArn(443),
        port: 443,
        rules: [hostRule(443, 1, 'api.example.com', [weightedForward(even)])],
      },
    ]);

    const error = await readWeights([api, web, gone], client).catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: 'RouteNotFound',
      details: { routes: ['web.example.com', 'gone.example.com'] },
    });
  });
});
