import { call, failure, forward, fullLoadBalancer, OIDC, type SmallFleet, smallFleet } from './fixtures';

type Action = Record<string, unknown> & {
  Type: string;
  ForwardConfig?: { TargetGroups: { Weight: number }[] };
};
interface RulesResult {
  Rules: { RuleArn: string; Conditions: unknown[]; Actions: Action[] }[];
}
interface ListenersResult {
  Listeners: { Port: number; DefaultActions: Action[] }[];
}

const oidcAction = (config: Record<string, unknown>, order = 1) => ({
  Type: 'authenticate-oidc',
  Order: order,
  AuthenticateOidcConfig: {
    Issuer: OIDC.issuer,
    AuthorizationEndpoint: OIDC.authorizationEndpoint,
    TokenEndpoint: OIDC.tokenEndpoint,
    UserInfoEndpoint: OIDC.userInfoEndpoint,
    ClientId: OIDC.clientId,
    ...config,
  },
});

const actionsOf = (fleet: SmallFleet, ruleArn: string): Action[] =>
  call<RulesResult>(fleet.twin, 'DescribeRules', { RuleArns: [ruleArn] }).Rules[0]?.Actions ?? [];

const weightsOf = (actions: readonly Action[]): number[] =>
  actions.find((a) => a.Type === 'forward')?.ForwardConfig?.TargetGroups.map((t) => t.Weight) ?? [];

describe('ModifyRule', () => {
  it('replaces the whole action list and returns the rule as modified', () => {
    const fleet = smallFleet();
    const { twin, apiRule, tg } = fleet;

    const result = call<RulesResult>(twin, 'ModifyRule', {
      RuleArn: apiRule,
      Actions: [forward({ [tg('blue-api')]: 0, [tg('green-api')]: 100 })],
    });

    expect(weightsOf(result.Rules[0]?.Actions ?? [])).toEqual([0, 100]);
    expect(weightsOf(actionsOf(fleet, apiRule))).toEqual([0, 100]);
  });

  it('keeps the actions in the order given', () => {
    const fleet = smallFleet();
    const { twin, adminRule, tg } = fleet;

    call(twin, 'ModifyRule', {
      RuleArn: adminRule,
      Actions: [forward({ [tg('blue-admin')]: 1 }, 2), oidcAction({ ClientSecret: 'new' }, 1)],
    });

    expect(actionsOf(fleet, adminRule).map((a) => [a.Type, a.Order])).toEqual([
      ['forward', 2],
      ['authenticate-oidc', 1],
    ]);
  });

  it('keeps the stored client secret when UseExistingClientSecret is true, again and again', () => {
    const fleet = smallFleet();
    const { twin, adminRule, tg } = fleet;
    const write = (weight: number) =>
      call(twin, 'ModifyRule', {
        RuleArn: adminRule,
        Actions: [
          oidcAction({ UseExistingClientSecret: true }),
          forward({ [tg('blue-admin')]: weight, [tg('green-admin')]: 100 - weight }, 2),
        ],
      });

    write(40);
    write(20);

    expect(weightsOf(actionsOf(fleet, adminRule))).toEqual([20, 80]);
    expect(JSON.stringify(actionsOf(fleet, adminRule))).not.toContain('UseExistingClientSecret');
  });

  it.each([
    ['neither a client secret nor UseExistingClientSecret', {}],
    [
      'both a client secret and UseExistingClientSecret',
      { ClientSecret: 'x', UseExistingClientSecret: true },
    ],
  ])('rejects an OIDC action with %s (InvalidLoadBalancerAction)', (_, config) => {
    const { twin, adminRule, tg } = smallFleet();

    const error = failure(() =>
      call(twin, 'ModifyRule', {
        RuleArn: adminRule,
        Actions: [oidcAction(config), forward({ [tg('blue-admin')]: 1 }, 2)],
      }),
    );

    expect(error.code).toBe('InvalidLoadBalancerAction');
  });

  it('rejects UseExistingClientSecret on a rule that had no secret to keep', () => {
    const { twin, apiRule, tg } = smallFleet();

    const error = failure(() =>
      call(twin, 'ModifyRule', {
        RuleArn: apiRule,
        Actions: [oidcAction({ UseExistingClientSecret: true }), forward({ [tg('blue-api')]: 1 }, 2)],
      }),
    );

    expect(error.code).toBe('InvalidLoadBalancerAction');
  });

  it('keeps stickiness as written back and logs only real weight changes', () => {
    const fleet = smallFleet();
    const { twin, adminRule, tg, clock } = fleet;
    const sticky = (blue: number) => ({
      ...forward({ [tg('blue-admin')]: blue, [tg('green-admin')]: 100 - blue }, 2),
      ForwardConfig: {
        TargetGroups: [
          { TargetGroupArn: tg('blue-admin'), Weight: blue },
          { TargetGroupArn: tg('green-admin'), Weight: 100 - blue },
        ],
        TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 600 },
      },
    });
    const before = twin.weightLog().length;

    clock.advance(5_000);
    call(twin, 'ModifyRule', {
      RuleArn: adminRule,
      Actions: [oidcAction({ UseExistingClientSecret: true }), sticky(70)],
    });
    call(twin, 'ModifyRule', {
      RuleArn: adminRule,
      Actions: [oidcAction({ UseExistingClientSecret: true }), sticky(10)],
    });

    const forwardAction = actionsOf(fleet, adminRule)[1];
    expect(forwardAction?.ForwardConfig).toMatchObject({
      TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 600 },
    });
    const added = twin.weightLog().slice(before);
    expect(added).toEqual([
      {
        at: Date.UTC(2025, 0, 1) + 5_000,
        key: adminRule,
        targetGroups: [
          { arn: tg('blue-admin'), weight: 10 },
          { arn: tg('green-admin'), weight: 90 },
        ],
      },
    ]);
  });

  it('stores a plain TargetGroupArn forward as a one-group ForwardConfig of weight 1', () => {
    const fleet = smallFleet();
    const { twin, apiRule, tg } = fleet;

    call(twin, 'ModifyRule', {
      RuleArn: apiRule,
      Actions: [{ Type: 'forward', TargetGroupArn: tg('blue-api') }],
    });

    expect(actionsOf(fleet, apiRule)).toEqual([
      {
        Type: 'forward',
        Order: 1,
        TargetGroupArn: tg('blue-api'),
        ForwardConfig: {
          TargetGroups: [{ TargetGroupArn: tg('blue-api'), Weight: 1 }],
          TargetGroupStickinessConfig: { Enabled: false },
        },
      },
    ]);
  });

  it('replaces conditions when given', () => {
    const { twin, apiRule } = smallFleet();

    const result = call<RulesResult>(twin, 'ModifyRule', {
      RuleArn: apiRule,
      Conditions: [{ Field: 'path-pattern', Values: ['/v2/*'] }],
    });

    expect(result.Rules[0]?.Conditions).toEqual([
      { Field: 'path-pattern', Values: ['/v2/*'], PathPatternConfig: { Values: ['/v2/*'] } },
    ]);
  });

  const sixGroups = (fleet: SmallFleet) =>
    forward(
      Object.fromEntries(
        ['blue-web', 'green-web', 'blue-api', 'green-api', 'blue-admin', 'green-admin'].map((n) => [
          fleet.tg(n),
          1,
        ]),
      ),
    );
  const cases: [string, string, (fleet: SmallFleet) => Record<string, unknown>][] = [
    ['a weight of 1000', 'ValidationError', (f) => ({ Actions: [forward({ [f.tg('blue-api')]: 1000 })] })],
    ['a weight of -1', 'ValidationError', (f) => ({ Actions: [forward({ [f.tg('blue-api')]: -1 })] })],
    ['a weight of 1.5', 'ValidationError', (f) => ({ Actions: [forward({ [f.tg('blue-api')]: 1.5 })] })],
    ['six target groups', 'ValidationError', (f) => ({ Actions: [sixGroups(f)] })],
    [
      'a target group of another load balancer',
      'TargetGroupAssociationLimit',
      (f) => ({ Actions: [forward({ [f.tg('other-tg')]: 1 })] }),
    ],
    [
      'an unknown target group',
      'TargetGroupNotFound',
      (f) => ({ Actions: [forward({ [`${f.tg('spare').slice(0, -16)}0000000000000000`]: 1 })] }),
    ],
    ['a malformed target group ARN', 'ValidationError', () => ({ Actions: [forward({ 'tg-1': 1 })] })],
    ['an empty action list', 'ValidationError', () => ({ Actions: [] })],
    ['an action type AWS does not have', 'ValidationError', () => ({ Actions: [{ Type: 'teleport' }] })],
    ['a forward with nothing to forward to', 'ValidationError', () => ({ Actions: [{ Type: 'forward' }] })],
    [
      'two actions without Order',
      'ValidationError',
      (f) => ({
        Actions: [
          { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } },
          { Type: 'forward', TargetGroupArn: f.tg('blue-api') },
        ],
      }),
    ],
    [
      'two forward actions',
      'InvalidLoadBalancerAction',
      (f) => ({ Actions: [forward({ [f.tg('blue-api')]: 1 }, 1), forward({ [f.tg('green-api')]: 1 }, 2)] }),
    ],
    [
      'a forward that runs before authentication',
      'InvalidLoadBalancerAction',
      (f) => ({ Actions: [forward({ [f.tg('blue-api')]: 1 }, 1), oidcAction({ ClientSecret: 'x' }, 2)] }),
    ],
    [
      'a TargetGroupArn that differs from the ForwardConfig list',
      'ValidationError',
      (f) => ({
        Actions: [
          { ...forward({ [f.tg('blue-api')]: 1, [f.tg('green-api')]: 1 }), TargetGroupArn: f.tg('blue-api') },
        ],
      }),
    ],
    [
      'stickiness enabled without a duration',
      'ValidationError',
      (f) => ({
        Actions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [{ TargetGroupArn: f.tg('blue-api'), Weight: 1 }],
              TargetGroupStickinessConfig: { Enabled: true },
            },
          },
        ],
      }),
    ],
    [
      'a condition field AWS does not have',
      'ValidationError',
      () => ({ Conditions: [{ Field: 'cookie', Values: ['x'] }] }),
    ],
    [
      'an OIDC action with 11 extra request parameters',
      'ValidationError',
      (f) => ({
        Actions: [
          oidcAction({
            ClientSecret: 'x',
            AuthenticationRequestExtraParams: Object.fromEntries(
              Array.from({ length: 11 }, (_, i) => [`p${i}`, 'v']),
            ),
          }),
          forward({ [f.tg('blue-api')]: 1 }, 2),
        ],
      }),
    ],
    ['Actions given as a plain string', 'ValidationError', () => ({ Actions: { member: 'x' } })],
  ];

  it.each(cases)('rejects %s with %s and leaves the rule as it was', (_, code, params) => {
    const fleet = smallFleet();
    const before = actionsOf(fleet, fleet.apiRule);
    const logged = fleet.twin.weightLog().length;

    const error = failure(() => call(fleet.twin, 'ModifyRule', { RuleArn: fleet.apiRule, ...params(fleet) }));

    expect([error.code, error.status]).toEqual([code, 400]);
    expect(actionsOf(fleet, fleet.apiRule)).toEqual(before);
    expect(fleet.twin.weightLog()).toHaveLength(logged);
  });

  it.each([
    ['a missing RuleArn', 'ValidationError', () => ({})],
    ['a malformed RuleArn', 'ValidationError', () => ({ RuleArn: 'rule' })],
    [
      'an unknown rule',
      'RuleNotFound',
      (f: SmallFleet) => ({ RuleArn: `${f.apiRule.slice(0, -16)}0000000000000000` }),
    ],
    [
      'the default rule',
      'OperationNotPermitted',
      (f: SmallFleet) => ({
        RuleArn: call<RulesResult>(f.twin, 'DescribeRules', { ListenerArn: f.listener }).Rules[2]?.RuleArn,
      }),
    ],
  ])('answers %s with %s', (_, code, params) => {
    const fleet = smallFleet();

    expect(failure(() => call(fleet.twin, 'ModifyRule', { Actions: [], ...params(fleet) })).code).toBe(code);
  });
});

describe('ModifyListener', () => {
  it('replaces the default actions and logs the new weights under the listener ARN', () => {
    const { twin, listener, tg, clock } = smallFleet();
    clock.advance(60_000);

    const result = call<ListenersResult>(twin, 'ModifyListener', {
      ListenerArn: listener,
      DefaultActions: [forward({ [tg('blue-web')]: 25, [tg('green-web')]: 75 })],
    });

    expect(weightsOf(result.Listeners[0]?.DefaultActions ?? [])).toEqual([25, 75]);
    expect(twin.weightLog().at(-1)).toEqual({
      at: Date.UTC(2025, 0, 1) + 60_000,
      key: listener,
      targetGroups: [
        { arn: tg('blue-web'), weight: 25 },
        { arn: tg('green-web'), weight: 75 },
      ],
    });
  });

  it('changes the port and keeps the default actions when none are given', () => {
    const { twin, listener } = smallFleet();

    const result = call<ListenersResult>(twin, 'ModifyListener', { ListenerArn: listener, Port: 8080 });

    expect(result.Listeners[0]?.Port).toBe(8080);
    expect(weightsOf(result.Listeners[0]?.DefaultActions ?? [])).toEqual([50, 50]);
  });

  it.each([
    [
      'an unknown listener',
      'ListenerNotFound',
      (f: SmallFleet) => ({ ListenerArn: `${f.listener.slice(0, -16)}0000000000000000` }),
    ],
    ['a missing ListenerArn', 'ValidationError', () => ({})],
    [
      'HTTPS without a certificate',
      'CertificateNotFound',
      (f: SmallFleet) => ({ ListenerArn: f.listener, Protocol: 'HTTPS' }),
    ],
    ['a TCP protocol', 'ValidationError', (f: SmallFleet) => ({ ListenerArn: f.listener, Protocol: 'TCP' })],
    ['port 70000', 'ValidationError', (f: SmallFleet) => ({ ListenerArn: f.listener, Port: 70000 })],
    [
      'a weight of 1000',
      'ValidationError',
      (f: SmallFleet) => ({
        ListenerArn: f.listener,
        DefaultActions: [forward({ [f.tg('blue-web')]: 1000 })],
      }),
    ],
    [
      "another load balancer's target group",
      'TargetGroupAssociationLimit',
      (f: SmallFleet) => ({ ListenerArn: f.listener, DefaultActions: [forward({ [f.tg('other-tg')]: 1 })] }),
    ],
  ])('answers %s with %s', (_, code, params) => {
    const fleet = smallFleet();

    expect(failure(() => call(fleet.twin, 'ModifyListener', params(fleet))).code).toBe(code);
  });
});

describe('the quota of 100 distinct target groups per load balancer', () => {
  it('lets ModifyRule change weights on a load balancer at the quota', () => {
    const full = fullLoadBalancer();

    const result = call<RulesResult>(full.twin, 'ModifyRule', {
      RuleArn: full.rule(5),
      Actions: [forward({ [full.tg('blue-5')]: 0, [full.tg('green-5')]: 100 })],
    });

    expect(weightsOf(result.Rules[0]?.Actions ?? [])).toEqual([0, 100]);
  });

  it("counts what the rule will forward to, not what it did: swapping a rule's own group for a new one fits", () => {
    const full = fullLoadBalancer();

    const result = call<RulesResult>(full.twin, 'ModifyRule', {
      RuleArn: full.rule(5),
      Actions: [forward({ [full.tg('spare-1')]: 50, [full.tg('green-5')]: 50 })],
    });

    expect(result.Rules[0]?.Actions).toHaveLength(1);
  });

  it('refuses a ModifyRule that would make the 101st with TooManyUniqueTargetGroupsPerLoadBalancer, changing nothing', () => {
    const full = fullLoadBalancer();
    const before = call<RulesResult>(full.twin, 'DescribeRules', { RuleArns: [full.rule(5)] }).Rules[0]
      ?.Actions;

    const error = failure(() =>
      call(full.twin, 'ModifyRule', {
        RuleArn: full.rule(5),
        Actions: [forward({ [full.tg('blue-5')]: 40, [full.tg('green-5')]: 40, [full.tg('spare-1')]: 20 })],
      }),
    );

    expect(error.code).toBe('TooManyUniqueTargetGroupsPerLoadBalancer');
    expect(error.message).toContain(`(100 for ${full.lb}; this change would make it 101)`);
    expect(
      call<RulesResult>(full.twin, 'DescribeRules', { RuleArns: [full.rule(5)] }).Rules[0]?.Actions,
    ).toEqual(before);
  });

  it('refuses a ModifyListener default action that would make the 101st, changing nothing, port included', () => {
    const full = fullLoadBalancer();

    const error = failure(() =>
      call(full.twin, 'ModifyListener', {
        ListenerArn: full.listener,
        Port: 8080,
        DefaultActions: [
          forward({ [full.tg('blue-0')]: 1, [full.tg('green-0')]: 1, [full.tg('spare-1')]: 1 }),
        ],
      }),
    );

    expect(error.code).toBe('TooManyUniqueTargetGroupsPerLoadBalancer');
    const listener = call<ListenersResult>(full.twin, 'DescribeListeners', { ListenerArns: [full.listener] })
      .Listeners[0];
    expect(listener?.Port).toBe(80);
    expect(weightsOf(listener?.DefaultActions ?? [])).toEqual([50, 50]);
  });
});
