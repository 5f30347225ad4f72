import { TwinClock } from '../../../local/clock';
import type { TargetsChange } from '../../../local/elbv2/view';
import { call, failure, newTwin, START, smallFleet } from './fixtures';

interface Health {
  TargetHealthDescriptions: {
    Target: { Id: string; Port: number };
    HealthCheckPort: string;
    TargetHealth: { State: string; Reason?: string; Description?: string };
  }[];
}

describe('DescribeTargetHealth', () => {
  it('reports registered targets healthy, on the traffic port', () => {
    const { twin, tg } = smallFleet();

    const { TargetHealthDescriptions } = call<Health>(twin, 'DescribeTargetHealth', {
      TargetGroupArn: tg('blue-api'),
    });

    expect(TargetHealthDescriptions).toHaveLength(3);
    expect(TargetHealthDescriptions[0]).toEqual({
      Target: { Id: '10.0.0.8', Port: 8080 },
      HealthCheckPort: '8080',
      TargetHealth: { State: 'healthy' },
    });
  });

  it("reports what fault injection set, with AWS's reason for an unhealthy target", () => {
    const { twin, tg } = smallFleet();
    twin.setTargetHealth(tg('blue-api'), 'unhealthy', ['10.0.1.8']);

    const states = call<Health>(twin, 'DescribeTargetHealth', {
      TargetGroupArn: tg('blue-api'),
    }).TargetHealthDescriptions.map((d) => d.TargetHealth);

    expect(states).toEqual([
      { State: 'healthy' },
      { State: 'unhealthy', Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' },
      { State: 'healthy' },
    ]);
  });

  it('reports targets of a group no load balancer forwards to as unused (Target.NotInUse)', () => {
    const { twin, tg } = smallFleet();

    const states = call<Health>(twin, 'DescribeTargetHealth', {
      TargetGroupArn: tg('spare'),
    }).TargetHealthDescriptions.map((d) => d.TargetHealth.Reason);

    expect(states).toEqual(['Target.NotInUse', 'Target.NotInUse', 'Target.NotInUse']);
  });

  it('describes only the targets asked for, an unregistered one as unused (Target.NotRegistered)', () => {
    const { twin, tg } = smallFleet();

    const { TargetHealthDescriptions } = call<Health>(twin, 'DescribeTargetHealth', {
      TargetGroupArn: tg('blue-api'),
      Targets: [{ Id: '10.0.2.8' }, { Id: '10.9.9.9', Port: 9000 }],
    });

    expect(
      TargetHealthDescriptions.map((d) => [
        d.Target.Id,
        d.Target.Port,
        d.TargetHealth.State,
        d.TargetHealth.Reason,
      ]),
    ).toEqual([
      ['10.0.2.8', 8080, 'healthy', undefined],
      ['10.9.9.9', 9000, 'unused', 'Target.NotRegistered'],
    ]);
  });

  it.each([
    ['no TargetGroupArn', 'ValidationError', { TargetGroupArn: undefined }],
    ['a malformed TargetGroupArn', 'ValidationError', { TargetGroupArn: 'blue' }],
    [
      'an unknown target group',
      'TargetGroupNotFound',
      {
        TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/x/0000000000000000',
      },
    ],
    ['an Include value AWS does not have', 'ValidationError', { Include: ['Everything'] }],
  ])('answers %s with %s', (_, code, params) => {
    const { twin, tg } = smallFleet();

    expect(
      failure(() => call(twin, 'DescribeTargetHealth', { TargetGroupArn: tg('blue-api'), ...params })).code,
    ).toBe(code);
  });
});

describe('RegisterTargets', () => {
  it("registers targets on the group's port unless one is given; registering again changes nothing", () => {
    const { twin, tg } = smallFleet();

    call(twin, 'RegisterTargets', {
      TargetGroupArn: tg('spare'),
      Targets: [{ Id: '10.5.0.1' }, { Id: '10.5.0.2', Port: 9090 }],
    });
    call(twin, 'RegisterTargets', { TargetGroupArn: tg('spare'), Targets: [{ Id: '10.5.0.1' }] });

    const targets = twin.targetGroups().find((group) => group.name === 'spare')?.targets ?? [];
    expect(targets.slice(3)).toEqual([
      { id: '10.5.0.1', port: 8080, health: 'healthy' },
      { id: '10.5.0.2', port: 9090, health: 'healthy' },
    ]);
  });

  it.each([
    ['no targets', 'ValidationError', { Targets: [] }],
    ['a target without an id', 'ValidationError', { Targets: [{ Port: 80 }] }],
    ['port 65536', 'ValidationError', { Targets: [{ Id: 'i-1', Port: 65536 }] }],
    [
      'an unknown target group',
      'TargetGroupNotFound',
      {
        TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/x/0000000000000000',
        Targets: [{ Id: 'i-1' }],
      },
    ],
  ])('answers %s with %s', (_, code, params) => {
    const { twin, tg } = smallFleet();

    expect(
      failure(() => call(twin, 'RegisterTargets', { TargetGroupArn: tg('spare'), ...params })).code,
    ).toBe(code);
  });
});

describe('setTargetHealth (fault injection)', () => {
  it('sets every target of the group when no ids are given', () => {
    const { twin, tg } = smallFleet();

    twin.setTargetHealth(tg('green-web'), 'draining');

    const group = twin.targetGroups().find((g) => g.arn === tg('green-web'));
    expect(group?.targets.map((target) => target.health)).toEqual(['draining', 'draining', 'draining']);
  });

  it.each([
    [
      'an unknown target group',
      'TargetGroupNotFound',
      'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/x/0000000000000000',
      'unhealthy',
      undefined,
    ],
    ['a target that is not registered', 'InvalidTarget', 'blue-web', 'unhealthy', ['10.255.0.1']],
    ['a state AWS does not have', 'ValidationError', 'blue-web', 'poorly', undefined],
  ])('answers %s with %s', (_, code, group, state, ids) => {
    const { twin, tg } = smallFleet();
    const arn = group.startsWith('arn:') ? group : tg(group);

    expect(failure(() => twin.setTargetHealth(arn, state as 'unhealthy', ids)).code).toBe(code);
  });
});

describe('onTargetsChange', () => {
  it('tells of a target group’s targets at its creation, at each registration and health change, at twin time', () => {
    // Prepare
    const clock = new TwinClock(1, () => START);
    const twin = newTwin(clock);
    const changes: TargetsChange[] = [];
    twin.onTargetsChange((change) => changes.push(change));
    const arn =
      call<{ TargetGroups: { TargetGroupArn: string }[] }>(twin, 'CreateTargetGroup', {
        Name: 'blue-api',
        Protocol: 'HTTP',
        Port: 8080,
        VpcId: 'vpc-1',
      }).TargetGroups[0]?.TargetGroupArn ?? '';

    // Act
    clock.advance(1_000);
    call(twin, 'RegisterTargets', { TargetGroupArn: arn, Targets: [{ Id: '10.0.0.1' }] });
    clock.advance(1_000);
    call(twin, 'RegisterTargets', { TargetGroupArn: arn, Targets: [{ Id: '10.0.0.1' }] });
    twin.setTargetHealth(arn, 'unhealthy');

    // Assert: registering again changes nothing, so tells nothing
    expect(changes).toEqual([
      { at: START, targetGroupArn: arn, targets: [] },
      {
        at: START + 1_000,
        targetGroupArn: arn,
        targets: [{ id: '10.0.0.1', port: 8080, health: 'healthy' }],
      },
      {
        at: START + 2_000,
        targetGroupArn: arn,
        targets: [{ id: '10.0.0.1', port: 8080, health: 'unhealthy' }],
      },
    ]);
  });
});
