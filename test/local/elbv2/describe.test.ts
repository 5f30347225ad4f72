import { call, failure, smallFleet } from './fixtures';

interface Described {
  LoadBalancers?: { LoadBalancerArn: string; LoadBalancerName: string }[];
  Listeners?: { ListenerArn: string; DefaultActions: Record<string, unknown>[] }[];
  Rules?: { RuleArn: string; Priority: string; IsDefault: boolean; Actions: Record<string, unknown>[] }[];
  TargetGroups?: { TargetGroupName: string; LoadBalancerArns: string[] }[];
  NextMarker?: string;
}

const UNKNOWN_LB =
  'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/nope/0123456789abcdef';

describe('DescribeLoadBalancers', () => {
  it('lists every load balancer, or those named by ARN or by name', () => {
    const { twin, lb } = smallFleet();

    const all = call<Described>(twin, 'DescribeLoadBalancers');
    const byArn = call<Described>(twin, 'DescribeLoadBalancers', { LoadBalancerArns: [lb] });
    const byName = call<Described>(twin, 'DescribeLoadBalancers', { Names: ['other'] });

    expect(all.LoadBalancers?.map((l) => l.LoadBalancerName)).toEqual(['web', 'other']);
    expect(byArn.LoadBalancers?.map((l) => l.LoadBalancerArn)).toEqual([lb]);
    expect(byName.LoadBalancers?.map((l) => l.LoadBalancerName)).toEqual(['other']);
  });

  it('pages with PageSize and an opaque NextMarker', () => {
    const { twin } = smallFleet();

    const first = call<Described>(twin, 'DescribeLoadBalancers', { PageSize: 1 });
    const second = call<Described>(twin, 'DescribeLoadBalancers', { PageSize: 1, Marker: first.NextMarker });

    expect(first.LoadBalancers?.map((l) => l.LoadBalancerName)).toEqual(['web']);
    expect(first.NextMarker).toEqual(expect.any(String));
    expect(second.LoadBalancers?.map((l) => l.LoadBalancerName)).toEqual(['other']);
    expect(second.NextMarker).toBeUndefined();
  });

  it.each([
    ['an unknown ARN', 'LoadBalancerNotFound', { LoadBalancerArns: [UNKNOWN_LB] }],
    ['an unknown name', 'LoadBalancerNotFound', { Names: ['nope'] }],
    ['an ARN of another service', 'ValidationError', { LoadBalancerArns: ['arn:aws:s3:::bucket'] }],
    ['both ARNs and names', 'ValidationError', { LoadBalancerArns: [UNKNOWN_LB], Names: ['web'] }],
    ['21 names', 'ValidationError', { Names: Array.from({ length: 21 }, (_, i) => `lb-${i}`) }],
    ['PageSize 0', 'ValidationError', { PageSize: 0 }],
    ['PageSize 401', 'ValidationError', { PageSize: 401 }],
    ['PageSize "ten"', 'ValidationError', { PageSize: 'ten' }],
    ['a marker it never gave out', 'ValidationError', { Marker: 'not-a-marker' }],
  ])('answers %s with %s (HTTP 400, Sender)', (_, code, params) => {
    const { twin } = smallFleet();

    const error = failure(() => call(twin, 'DescribeLoadBalancers', params));

    expect([error.code, error.status, error.fault]).toEqual([code, 400, 'Sender']);
  });

  it('names the missing load balancer in the message', () => {
    const { twin } = smallFleet();

    expect(failure(() => call(twin, 'DescribeLoadBalancers', { Names: ['web', 'nope'] })).message).toBe(
      "Load balancers '[nope]' not found",
    );
  });
});

describe('DescribeListeners', () => {
  it("lists a load balancer's listeners with their default actions", () => {
    const { twin, lb, listener, tg } = smallFleet();

    const { Listeners } = call<Described>(twin, 'DescribeListeners', { LoadBalancerArn: lb });

    expect(Listeners?.map((l) => l.ListenerArn)).toEqual([listener]);
    expect(Listeners?.[0]).toMatchObject({ Port: 80, Protocol: 'HTTP' });
    expect(Listeners?.[0]?.DefaultActions).toEqual([
      {
        Type: 'forward',
        Order: 1,
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: tg('blue-web'), Weight: 50 },
            { TargetGroupArn: tg('green-web'), Weight: 50 },
          ],
          TargetGroupStickinessConfig: { Enabled: false },
        },
      },
    ]);
  });

  it('adds the legacy TargetGroupArn when the forward has a single target group', () => {
    const { twin, otherLb, tg } = smallFleet();

    const { Listeners } = call<Described>(twin, 'DescribeListeners', { LoadBalancerArn: otherLb });

    expect(Listeners?.[0]?.DefaultActions[0]).toMatchObject({
      TargetGroupArn: tg('other-tg'),
      ForwardConfig: { TargetGroups: [{ TargetGroupArn: tg('other-tg'), Weight: 1 }] },
    });
  });

  it.each([
    ['neither a load balancer nor listeners', 'ValidationError', {}],
    ['an unknown load balancer', 'LoadBalancerNotFound', { LoadBalancerArn: UNKNOWN_LB }],
    [
      'an unknown listener',
      'ListenerNotFound',
      { ListenerArns: [`${UNKNOWN_LB.replace(':loadbalancer/', ':listener/')}/0123456789abcdef`] },
    ],
    ['a malformed listener ARN', 'ValidationError', { ListenerArns: ['listener'] }],
  ])('answers %s with %s', (_, code, params) => {
    const { twin } = smallFleet();

    expect(failure(() => call(twin, 'DescribeListeners', params)).code).toBe(code);
  });
});

describe('DescribeRules', () => {
  it('lists rules by priority with the default rule last', () => {
    const { twin, listener, apiRule, adminRule } = smallFleet();

    const { Rules } = call<Described>(twin, 'DescribeRules', { ListenerArn: listener });

    expect(Rules?.map((r) => [r.Priority, r.IsDefault])).toEqual([
      ['10', false],
      ['20', false],
      ['default', true],
    ]);
    expect(Rules?.slice(0, 2).map((r) => r.RuleArn)).toEqual([apiRule, adminRule]);
  });

  it('describes named rules, the default rule included', () => {
    const { twin, listener, adminRule } = smallFleet();
    const defaultRule = call<Described>(twin, 'DescribeRules', { ListenerArn: listener }).Rules?.[2]?.RuleArn;

    const { Rules } = call<Described>(twin, 'DescribeRules', { RuleArns: [adminRule, defaultRule] });

    expect(Rules?.map((r) => r.Priority)).toEqual(['20', 'default']);
  });

  it('returns the OIDC action with its defaults but never the client secret', () => {
    const { twin, adminRule } = smallFleet();

    const { Rules } = call<Described>(twin, 'DescribeRules', { RuleArns: [adminRule] });

    expect(Rules?.[0]?.Actions[0]).toEqual({
      Type: 'authenticate-oidc',
      Order: 1,
      AuthenticateOidcConfig: {
        Issuer: 'https://idp.example.com',
        AuthorizationEndpoint: 'https://idp.example.com/auth',
        TokenEndpoint: 'https://idp.example.com/token',
        UserInfoEndpoint: 'https://idp.example.com/userinfo',
        ClientId: 'client-1',
        SessionCookieName: 'AWSELBAuthSessionCookie',
        Scope: 'openid',
        SessionTimeout: 604800,
        OnUnauthenticatedRequest: 'authenticate',
      },
    });
    expect(JSON.stringify(Rules)).not.toContain('s3cret');
  });

  it('pages with PageSize up to 400', () => {
    const { twin, listener } = smallFleet();

    const first = call<Described>(twin, 'DescribeRules', { ListenerArn: listener, PageSize: 2 });
    const rest = call<Described>(twin, 'DescribeRules', {
      ListenerArn: listener,
      PageSize: 400,
      Marker: first.NextMarker,
    });

    expect(first.Rules?.map((r) => r.Priority)).toEqual(['10', '20']);
    expect(rest.Rules?.map((r) => r.Priority)).toEqual(['default']);
    expect(rest.NextMarker).toBeUndefined();
  });

  it.each([
    ['neither a listener nor rules', 'ValidationError', {}],
    ['both a listener and rules', 'ValidationError', { ListenerArn: 'x', RuleArns: ['y'] }],
    ['PageSize 401', 'ValidationError', { PageSize: 401, RuleArns: [] }],
    ['a malformed rule ARN', 'ValidationError', { RuleArns: ['rule-1'] }],
  ])('answers %s with %s', (_, code, params) => {
    const { twin } = smallFleet();

    expect(failure(() => call(twin, 'DescribeRules', params)).code).toBe(code);
  });

  it('answers an unknown rule with RuleNotFound and an unknown listener with ListenerNotFound', () => {
    const { twin, apiRule, listener } = smallFleet();
    const lost = `${apiRule.slice(0, -16)}0000000000000000`;

    expect(failure(() => call(twin, 'DescribeRules', { RuleArns: [apiRule, lost] })).code).toBe(
      'RuleNotFound',
    );
    expect(
      failure(() => call(twin, 'DescribeRules', { ListenerArn: `${listener.slice(0, -16)}0000000000000000` }))
        .code,
    ).toBe('ListenerNotFound');
  });
});

describe('DescribeTargetGroups', () => {
  it('lists the target groups a load balancer forwards to, by name, with that load balancer attached', () => {
    const { twin, lb } = smallFleet();

    const { TargetGroups } = call<Described>(twin, 'DescribeTargetGroups', { LoadBalancerArn: lb });

    expect(TargetGroups?.map((g) => g.TargetGroupName)).toEqual([
      'blue-admin',
      'blue-api',
      'blue-web',
      'green-admin',
      'green-api',
      'green-web',
    ]);
    expect(TargetGroups?.every((g) => g.LoadBalancerArns.length === 1 && g.LoadBalancerArns[0] === lb)).toBe(
      true,
    );
  });

  it('describes a target group with the health-check defaults of an HTTP target group', () => {
    const { twin } = smallFleet();

    const { TargetGroups } = call<Described>(twin, 'DescribeTargetGroups', { Names: ['spare'] });

    expect(TargetGroups?.[0]).toMatchObject({
      TargetGroupName: 'spare',
      Protocol: 'HTTP',
      Port: 8080,
      TargetType: 'ip',
      HealthCheckProtocol: 'HTTP',
      HealthCheckPort: 'traffic-port',
      HealthCheckPath: '/',
      Matcher: { HttpCode: '200' },
      LoadBalancerArns: [],
    });
  });

  it.each([
    ['an unknown name', 'TargetGroupNotFound', { Names: ['missing'] }],
    [
      'an unknown ARN',
      'TargetGroupNotFound',
      {
        TargetGroupArns: [
          'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/x/0123456789abcdef',
        ],
      },
    ],
    ['a malformed ARN', 'ValidationError', { TargetGroupArns: ['tg'] }],
    ['both ARNs and names', 'ValidationError', { TargetGroupArns: [], Names: [] }],
    ['21 names', 'ValidationError', { Names: Array.from({ length: 21 }, (_, i) => `tg-${i}`) }],
  ])('answers %s with %s', (_, code, params) => {
    const { twin } = smallFleet();

    expect(failure(() => call(twin, 'DescribeTargetGroups', params)).code).toBe(code);
  });
});

describe('DescribeTags', () => {
  it('returns the tags of each resource asked for, an empty list where there are none', () => {
    const { twin, tg, apiRule } = smallFleet();

    const result = call<{ TagDescriptions: unknown[] }>(twin, 'DescribeTags', {
      ResourceArns: [tg('blue-api'), apiRule],
    });

    expect(result.TagDescriptions).toEqual([
      { ResourceArn: tg('blue-api'), Tags: [{ Key: 'clustershift:cluster', Value: 'blue' }] },
      { ResourceArn: apiRule, Tags: [] },
    ]);
  });

  it('answers each unknown kind of resource with its own NotFound error', () => {
    const { twin, lb, listener, apiRule, tg } = smallFleet();
    const lost = (arn: string) => `${arn.slice(0, -16)}0000000000000000`;

    const codes = [lb, listener, apiRule, tg('spare')].map(
      (arn) => failure(() => call(twin, 'DescribeTags', { ResourceArns: [lost(arn)] })).code,
    );

    expect(codes).toEqual([
      'LoadBalancerNotFound',
      'ListenerNotFound',
      'RuleNotFound',
      'TargetGroupNotFound',
    ]);
  });

  it.each([
    ['no ResourceArns', {}],
    ['21 ARNs', { ResourceArns: Array.from({ length: 21 }, () => 'x') }],
    ['an ARN of another service', { ResourceArns: ['arn:aws:sqs:us-east-1:000000000000:queue'] }],
  ])('answers %s with ValidationError', (_, params) => {
    const { twin } = smallFleet();

    expect(failure(() => call(twin, 'DescribeTags', params)).code).toBe('ValidationError');
  });
});
