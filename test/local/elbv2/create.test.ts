import type { Elbv2Twin } from '../../../local/elbv2';
import { call, failure, forward, fullLoadBalancer, newTwin } from './fixtures';

interface Created {
  LoadBalancers?: { LoadBalancerArn: string; DNSName: string; AvailabilityZones: unknown[] }[];
  TargetGroups?: { TargetGroupArn: string }[];
  Listeners?: { ListenerArn: string }[];
  Rules?: { RuleArn: string; Priority: string }[];
}

const ARN = 'arn:aws:elasticloadbalancing:us-east-1:000000000000';

const createGroup = (twin: Elbv2Twin, name: string, extra: Record<string, unknown> = {}): string =>
  call<Created>(twin, 'CreateTargetGroup', {
    Name: name,
    Protocol: 'HTTP',
    Port: 80,
    VpcId: 'vpc-1',
    ...extra,
  }).TargetGroups?.[0]?.TargetGroupArn ?? '';

const createLb = (twin: Elbv2Twin, name: string): string =>
  call<Created>(twin, 'CreateLoadBalancer', { Name: name }).LoadBalancers?.[0]?.LoadBalancerArn ?? '';

const createListener = (twin: Elbv2Twin, lb: string, defaultActions: unknown[], port = 80): string =>
  call<Created>(twin, 'CreateListener', {
    LoadBalancerArn: lb,
    Protocol: 'HTTP',
    Port: port,
    DefaultActions: defaultActions,
  }).Listeners?.[0]?.ListenerArn ?? '';

const fixed = { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } };

describe('CreateLoadBalancer', () => {
  it("gives ARNs in AWS's format, the same for the same name in any twin", () => {
    const arn = createLb(newTwin(), 'edge');

    expect(arn).toMatch(new RegExp(`^${ARN}:loadbalancer/app/edge/[0-9a-f]{16}$`));
    expect(createLb(newTwin(), 'edge')).toBe(arn);
  });

  it('answers a second call with the same name with the same load balancer (idempotent)', () => {
    const twin = newTwin();

    const first = createLb(twin, 'edge');
    const second = createLb(twin, 'edge');

    expect(second).toBe(first);
    expect(call<Created>(twin, 'DescribeLoadBalancers').LoadBalancers).toHaveLength(1);
  });

  it('answers provisioning, and describes the load balancer active from then on', () => {
    const twin = newTwin();

    const created = call<{ LoadBalancers: { State: unknown }[] }>(twin, 'CreateLoadBalancer', {
      Name: 'edge',
    });
    const described = call<{ LoadBalancers: { State: unknown }[] }>(twin, 'DescribeLoadBalancers');

    expect(created.LoadBalancers[0]?.State).toEqual({ Code: 'provisioning' });
    expect(described.LoadBalancers[0]?.State).toEqual({ Code: 'active' });
  });

  it('makes up two zones when no subnets are given (the twin has no EC2)', () => {
    const created = call<Created>(newTwin(), 'CreateLoadBalancer', { Name: 'edge' }).LoadBalancers?.[0];

    expect(created?.AvailabilityZones).toHaveLength(2);
    expect(created?.DNSName).toMatch(/^edge-\d+\.us-east-1\.elb\.amazonaws\.com$/);
  });

  it.each([
    ['no name', 'ValidationError', {}],
    ['a name with an underscore', 'ValidationError', { Name: 'my_lb' }],
    ['a name of 33 characters', 'ValidationError', { Name: 'a'.repeat(33) }],
    ['a name starting with internal-', 'ValidationError', { Name: 'internal-lb' }],
    ['one subnet only', 'ValidationError', { Name: 'edge', Subnets: ['subnet-1'] }],
    ['a network load balancer', 'InvalidConfigurationRequest', { Name: 'edge', Type: 'network' }],
    ['a scheme AWS does not have', 'ValidationError', { Name: 'edge', Scheme: 'public' }],
    [
      'the same tag key twice',
      'DuplicateTagKeys',
      { Name: 'edge', Tags: [{ Key: 'a' }, { Key: 'a', Value: 'b' }] },
    ],
  ])('answers %s with %s', (_, code, params) => {
    expect(failure(() => call(newTwin(), 'CreateLoadBalancer', params)).code).toBe(code);
  });
});

describe('CreateTargetGroup', () => {
  it('answers the same name with different settings with DuplicateTargetGroupName', () => {
    const twin = newTwin();
    createGroup(twin, 'blue');

    expect(failure(() => createGroup(twin, 'blue', { Port: 81 })).code).toBe('DuplicateTargetGroupName');
    expect(createGroup(twin, 'blue')).toMatch(new RegExp(`^${ARN}:targetgroup/blue/[0-9a-f]{16}$`));
  });

  it.each([
    ['no port', 'ValidationError', { Name: 'tg', Protocol: 'HTTP', VpcId: 'vpc-1' }],
    ['no protocol', 'ValidationError', { Name: 'tg', Port: 80, VpcId: 'vpc-1' }],
    ['no VPC', 'ValidationError', { Name: 'tg', Protocol: 'HTTP', Port: 80 }],
    ['port 0', 'ValidationError', { Name: 'tg', Protocol: 'HTTP', Port: 0, VpcId: 'vpc-1' }],
    [
      'a health-check interval of 1 s',
      'ValidationError',
      { Name: 'tg', Protocol: 'HTTP', Port: 80, VpcId: 'v', HealthCheckIntervalSeconds: 1 },
    ],
    [
      '51 tags',
      'TooManyTags',
      {
        Name: 'tg',
        Protocol: 'HTTP',
        Port: 80,
        VpcId: 'v',
        Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })),
      },
    ],
  ])('answers %s with %s', (_, code, params) => {
    expect(failure(() => call(newTwin(), 'CreateTargetGroup', params)).code).toBe(code);
  });
});

describe('CreateListener', () => {
  it("gives the listener an ARN under its load balancer's", () => {
    const twin = newTwin();
    const lb = createLb(twin, 'edge');

    const listener = createListener(twin, lb, [fixed]);

    expect(listener).toMatch(new RegExp(`^${lb.replace(':loadbalancer/', ':listener/')}/[0-9a-f]{16}$`));
  });

  it('attaches the target groups it forwards to, so another load balancer cannot use them', () => {
    const twin = newTwin();
    const group = createGroup(twin, 'shared');
    createListener(twin, createLb(twin, 'one'), [forward({ [group]: 1 })]);

    const error = failure(() => createListener(twin, createLb(twin, 'two'), [forward({ [group]: 1 })]));

    expect(error.code).toBe('TargetGroupAssociationLimit');
    expect(error.message).toBe(
      `The following target groups cannot be associated with more than one load balancer: ${group}`,
    );
  });

  it.each([
    [
      'a port already in use',
      'DuplicateListener',
      (t: Elbv2Twin, lb: string) => createListener(t, lb, [fixed]),
    ],
    [
      'a TCP target group',
      'IncompatibleProtocols',
      (t: Elbv2Twin, lb: string) =>
        createListener(t, lb, [forward({ [createGroup(t, 'tcp', { Protocol: 'TCP' })]: 1 })], 81),
    ],
    [
      'a fixed response of status 302',
      'ValidationError',
      (t: Elbv2Twin, lb: string) =>
        createListener(t, lb, [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '302' } }], 81),
    ],
    [
      'no default actions',
      'ValidationError',
      (t: Elbv2Twin, lb: string) =>
        call(t, 'CreateListener', { LoadBalancerArn: lb, Protocol: 'HTTP', Port: 81 }),
    ],
    [
      'an unknown load balancer',
      'LoadBalancerNotFound',
      (t: Elbv2Twin, lb: string) => createListener(t, `${lb.slice(0, -16)}0000000000000000`, [fixed], 81),
    ],
  ])('answers %s with %s', (_, code, act) => {
    const twin = newTwin();
    const lb = createLb(twin, 'edge');
    createListener(twin, lb, [fixed]);

    expect(failure(() => act(twin, lb)).code).toBe(code);
  });
});

describe('CreateRule', () => {
  const withListener = () => {
    const twin = newTwin();
    const listener = createListener(twin, createLb(twin, 'edge'), [fixed]);
    const rule = (params: Record<string, unknown>) =>
      call<Created>(twin, 'CreateRule', {
        ListenerArn: listener,
        Priority: 1,
        Conditions: [{ Field: 'host-header', Values: ['a.example.com'] }],
        Actions: [fixed],
        ...params,
      });
    return { twin, listener, rule };
  };

  it('refuses the 101st rule of a load balancer with TooManyRules, counting every listener and not the defaults', () => {
    // Arrange: 60 rules on one listener and 40 on another of the same load balancer
    const { twin, listener, rule } = withListener();
    const lb = createLb(twin, 'edge');
    const other = createListener(twin, lb, [fixed], 443);
    for (let i = 1; i <= 60; i++) rule({ Priority: i });
    for (let i = 1; i <= 40; i++) rule({ ListenerArn: other, Priority: i });

    // Act
    const error = failure(() => rule({ ListenerArn: listener, Priority: 61 }));

    // Assert
    expect(error.code).toBe('TooManyRules');
    expect(error.message).toContain("You've reached the limit on the number of rules per load balancer (100");
    expect(error.message).toContain(lb);
  });

  it('lets another load balancer have its own 100 rules', () => {
    const { twin, rule } = withListener();
    for (let i = 1; i <= 100; i++) rule({ Priority: i });
    const second = createListener(twin, createLb(twin, 'edge-2'), [fixed]);

    const created = rule({ ListenerArn: second, Priority: 1 }).Rules?.[0];

    expect(created?.Priority).toBe('1');
  });

  it("gives the rule an ARN under its listener's and its priority as a string", () => {
    const { listener, rule } = withListener();

    const created = rule({ Priority: 7 }).Rules?.[0];

    expect(created?.RuleArn).toMatch(
      new RegExp(`^${listener.replace(':listener/', ':listener-rule/')}/[0-9a-f]{16}$`),
    );
    expect(created?.Priority).toBe('7');
  });

  it('accepts every condition field AWS has', () => {
    const { rule } = withListener();

    const created = rule({
      Conditions: [
        { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['1'] } },
        { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['GET'] } },
        { Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'v', Value: '2' }] } },
        { Field: 'source-ip', SourceIpConfig: { Values: ['10.0.0.0/8'] } },
      ],
    });

    expect(created.Rules?.[0]?.Priority).toBe('1');
  });

  it.each([
    ['a priority in use', 'PriorityInUse', { Priority: 5 }],
    ['priority 0', 'ValidationError', { Priority: 0 }],
    ['priority 50001', 'ValidationError', { Priority: 50001 }],
    ['a priority that is not a number', 'ValidationError', { Priority: '1e3x' }],
    ['no conditions', 'ValidationError', { Conditions: undefined }],
    [
      'six condition values',
      'ValidationError',
      { Conditions: [{ Field: 'host-header', Values: ['a', 'b', 'c', 'd', 'e', 'f'] }] },
    ],
    [
      'two host-header conditions',
      'ValidationError',
      {
        Conditions: [
          { Field: 'host-header', Values: ['a'] },
          { Field: 'host-header', Values: ['b'] },
        ],
      },
    ],
    ['an empty host-header', 'ValidationError', { Conditions: [{ Field: 'host-header', Values: [] }] }],
    [
      'an http-header condition without a name',
      'ValidationError',
      { Conditions: [{ Field: 'http-header', HttpHeaderConfig: { Values: ['1'] } }] },
    ],
    [
      'an unknown listener',
      'ListenerNotFound',
      {
        ListenerArn:
          'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/x/0000000000000000/0000000000000000',
      },
    ],
  ])('answers %s with %s', (_, code, params) => {
    const { rule } = withListener();
    rule({ Priority: 5 });

    expect(failure(() => rule(params)).code).toBe(code);
  });
});

describe('AddTags', () => {
  it('adds tags and overwrites the value of a key already there', () => {
    const twin = newTwin();
    const group = createGroup(twin, 'blue', { Tags: [{ Key: 'team', Value: 'a' }] });

    call(twin, 'AddTags', {
      ResourceArns: [group],
      Tags: [
        { Key: 'team', Value: 'b' },
        { Key: 'tier', Value: '1' },
      ],
    });

    expect(call(twin, 'DescribeTags', { ResourceArns: [group] })).toEqual({
      TagDescriptions: [
        {
          ResourceArn: group,
          Tags: [
            { Key: 'team', Value: 'b' },
            { Key: 'tier', Value: '1' },
          ],
        },
      ],
    });
  });

  it('changes nothing when one of the resources does not exist', () => {
    const twin = newTwin();
    const group = createGroup(twin, 'blue');

    const error = failure(() =>
      call(twin, 'AddTags', {
        ResourceArns: [group, `${group.slice(0, -16)}0000000000000000`],
        Tags: [{ Key: 'k', Value: 'v' }],
      }),
    );

    expect(error.code).toBe('TargetGroupNotFound');
    expect(call(twin, 'DescribeTags', { ResourceArns: [group] })).toEqual({
      TagDescriptions: [{ ResourceArn: group, Tags: [] }],
    });
  });

  it.each([
    ['no tags', 'ValidationError', {}],
    ['a key of 129 characters', 'ValidationError', { Tags: [{ Key: 'k'.repeat(129), Value: 'v' }] }],
    ['a value with a newline', 'ValidationError', { Tags: [{ Key: 'k', Value: 'a\nb' }] }],
    [
      'the same key twice',
      'DuplicateTagKeys',
      {
        Tags: [
          { Key: 'k', Value: '1' },
          { Key: 'k', Value: '2' },
        ],
      },
    ],
  ])('answers %s with %s', (_, code, params) => {
    const twin = newTwin();
    const group = createGroup(twin, 'blue');

    expect(failure(() => call(twin, 'AddTags', { ResourceArns: [group], ...params })).code).toBe(code);
  });
});

describe('the quota of 100 distinct target groups per load balancer', () => {
  const newRule = (full: ReturnType<typeof fullLoadBalancer>, weights: Record<string, number>) =>
    call<Created>(full.twin, 'CreateRule', {
      ListenerArn: full.listener,
      Priority: 100,
      Conditions: [{ Field: 'host-header', Values: ['new.example.com'] }],
      Actions: [forward(weights)],
    });

  it('refuses a CreateRule that would make the 101st with TooManyUniqueTargetGroupsPerLoadBalancer, creating nothing', () => {
    // Arrange: 50 routes of 2 target groups each
    const full = fullLoadBalancer();

    // Act
    const error = failure(() => newRule(full, { [full.tg('spare-1')]: 1 }));

    // Assert
    expect(error.code).toBe('TooManyUniqueTargetGroupsPerLoadBalancer');
    expect(error.status).toBe(400);
    expect(error.message).toContain(
      "You've reached the limit on the number of unique target groups per load balancer across all listeners (100",
    );
    expect(error.message).toContain(full.lb);
    expect(
      call<{ Rules: unknown[] }>(full.twin, 'DescribeRules', { ListenerArn: full.listener }).Rules,
    ).toHaveLength(50);
  });

  it('counts a target group once however many rules forward to it: a rule over groups already used is created', () => {
    const full = fullLoadBalancer();

    const created = newRule(full, { [full.tg('blue-3')]: 1, [full.tg('green-7')]: 1 });

    expect(created.Rules?.[0]?.Priority).toBe('100');
  });

  it('refuses a CreateListener whose default action would make the 101st, and takes one over groups already used', () => {
    const full = fullLoadBalancer();
    const listener = (group: string, port: number) => () =>
      call<Created>(full.twin, 'CreateListener', {
        LoadBalancerArn: full.lb,
        Protocol: 'HTTP',
        Port: port,
        DefaultActions: [forward({ [full.tg(group)]: 1 })],
      });

    // Act
    const error = failure(listener('spare-1', 8080));
    const created = listener('blue-0', 8081)();

    // Assert
    expect(error.code).toBe('TooManyUniqueTargetGroupsPerLoadBalancer');
    expect(created.Listeners).toHaveLength(1);
    expect(
      call<{ Listeners: unknown[] }>(full.twin, 'DescribeListeners', { LoadBalancerArn: full.lb }).Listeners,
    ).toHaveLength(2);
  });

  it("lets another load balancer forward to target groups of its own: the quota is each load balancer's", () => {
    const full = fullLoadBalancer();
    const other = call<Created>(full.twin, 'CreateLoadBalancer', { Name: 'other' }).LoadBalancers?.[0]
      ?.LoadBalancerArn;

    const created = call<Created>(full.twin, 'CreateListener', {
      LoadBalancerArn: other,
      Protocol: 'HTTP',
      Port: 80,
      DefaultActions: [forward({ [full.tg('spare-1')]: 1, [full.tg('spare-2')]: 1 })],
    });

    expect(created.Listeners).toHaveLength(1);
  });
});
