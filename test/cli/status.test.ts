import { ALARMS, CliHarness } from './harness';

const cli = new CliHarness();

beforeAll(() => cli.start());
afterAll(() => cli.stop());
beforeEach(() => {
  cli.reset();
  cli.addService('api.example.com', { blue: 50, green: 50 });
  cli.addService('reports.example.com', { blue: 100 });
});

describe('clustershift status', () => {
  it('shows per cluster the weight share, observed share, routes, healthy targets and health alarms', async () => {
    // Prepare
    cli.cloudwatch.setAlarm(ALARMS.green, 'ALARM');
    cli.alb.health.set([...cli.alb.health.keys()].find((arn) => arn.includes('api-green')) ?? '', {
      healthy: 1,
      unhealthy: 2,
    });

    // Act
    const result = await cli.run(['status']);

    // Assert
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `fleet ${cli.fleet} (eu-west-1), stack ClusterShift-${cli.fleet}: 2 managed routes`,
    );
    expect(result.stdout).toContain(
      [
        'CLUSTER  WEIGHT  OBSERVED (5 min)  ROUTES  HEALTHY  HEALTH ALARMS',
        'blue       75 %              75 %       2  6/6      blue-5xx OK',
        'green      25 %              25 %       1  1/3      green-5xx ALARM',
      ].join('\n'),
    );
    expect(result.stdout).toContain('gate alarms: fleet-latency OK');
  });

  it('reads target health from CloudWatch, live only where it has no datapoint, and says so', async () => {
    // Prepare: CloudWatch has nothing for api-green.
    const apiGreen = [...cli.alb.health.keys()].find((arn) => arn.includes('api-green')) ?? '';
    cli.cloudwatch.silentHealth.add(apiGreen);
    cli.alb.calls.length = 0;

    // Act
    const result = await cli.run(['status']);

    // Assert
    expect(cli.alb.calls.filter((c) => c === 'DescribeTargetHealth')).toHaveLength(1);
    expect(result.stdout).toContain('green      25 %              25 %       1  3/3');
    expect(result.stdout).toContain('target health: green: 1 read live');
    expect(result.stdout).not.toContain('target health: blue');
  });

  it('says nothing of the source when every figure came from CloudWatch, and reads no target group live', async () => {
    cli.alb.calls.length = 0;

    const result = await cli.run(['status']);

    expect(cli.alb.calls).not.toContain('DescribeTargetHealth');
    expect(result.stdout).toContain('blue       75 %              75 %       2  6/6');
    expect(result.stdout).not.toContain('target health:');
  });

  it("paces its describes at the fleet's share, leased from the shared ELBv2 pacer in the stack's table", async () => {
    const result = await cli.run(['status']);

    expect(result.code).toBe(0);
    // Half of AWS's describe bucket by default: 5 tokens per second.
    expect(await cli.item('pacer#elbv2#eu-west-1', 'describe')).toMatchObject({
      rate: 5,
      v: expect.any(Number),
    });
  });

  it('flags the routes that are not on every cluster', async () => {
    const result = await cli.run(['status']);

    expect(result.stdout).toContain('routes not on every cluster:\n  reports.example.com → blue only');
  });

  it('shows a free lock, no running shift and no freeze on a quiet fleet', async () => {
    const result = await cli.run(['status']);

    expect(result.stdout).toContain('lock: free\nrunning: none\nfreeze: none');
  });

  it('shows the lock holder with its flags, the running execution, the freeze and a drain’s baseline', async () => {
    // Prepare
    const arn = cli.addExecution('cli-drain-blue', ['RUNNING']);
    const store = cli.store();
    await store.acquireLock(
      { executionId: arn, action: 'drain', cluster: 'blue', requestedBy: 'cli:ana' },
      new Date(),
      900,
    );
    await store.updateControl(arn, { paused: true }, new Date());
    await store.setFreeze({ reason: 'black friday', by: 'cli:bob', at: new Date('2026-11-27T08:00:00Z') });
    await store.saveBaselineIfAbsent('blue', arn, { r: { t: 1 } }, new Date('2026-11-23T10:00:00Z'));

    // Act
    const result = await cli.run(['status']);

    // Assert
    expect(result.stdout).toMatch(
      new RegExp(`lock: held by ${arn} \\(drain blue by cli:ana, lease until .* UTC\\) PAUSED`),
    );
    expect(result.stdout).toContain(`running: ${arn} (since `);
    expect(result.stdout).toContain('freeze: FROZEN by cli:bob since 2026-11-27 08:00:00 UTC: black friday');
    expect(result.stdout).toContain(
      'baseline: blue drained since 2026-11-23 10:00:00 UTC (restore blue returns to it)',
    );
  });

  it('shows a missing alarm as NOT FOUND instead of failing', async () => {
    cli.cloudwatch.alarms.delete(ALARMS.gate);

    const result = await cli.run(['status']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('gate alarms: fleet-latency NOT FOUND');
    expect(result.stdout).toContain('blue-5xx OK');
  });

  it('still shows the traffic when the deployment cannot be found, and exits 1 saying what is missing', async () => {
    cli.stackExists = false;

    const result = await cli.run(['status']);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('blue       75 %');
    expect(result.stdout).toContain(
      `unavailable: deployment: stack ClusterShift-${cli.fleet} not found in eu-west-1`,
    );
  });

  it('with --json prints one document with clusters, gates, partial routes, lock, running and freeze', async () => {
    const result = await cli.run(['status', '--json']);

    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({
      fleet: cli.fleet,
      region: 'eu-west-1',
      stack: `ClusterShift-${cli.fleet}`,
      routes: 2,
      clusters: [
        {
          name: 'blue',
          weightShare: 0.75,
          observedShare: 0.75,
          routes: 2,
          targets: { healthy: 6, total: 6 },
          health: { cloudWatch: 2, live: 0, unknown: 0 },
          alarms: [{ name: 'blue-5xx', state: 'OK' }],
          baseline: null,
        },
        { name: 'green', weightShare: 0.25, observedShare: 0.25, routes: 1 },
      ],
      gateAlarms: [{ name: 'fleet-latency', state: 'OK' }],
      partialRoutes: [{ route: 'reports.example.com', clusters: ['blue'] }],
      observed: { minutes: 5, total: 6000, requests: { blue: 4500, green: 1500 } },
      lock: null,
      running: [],
      freeze: null,
      unavailable: [],
    });
  });

  it('prints the endpoint it talks to on stderr when one is set', async () => {
    const result = await cli.run(['status', '--endpoint-url', cli.dynamoEndpoint]);

    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`endpoint: ${cli.dynamoEndpoint}\n`);
  });
});
