import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { withRetry } from '../../aws/retry';
import type { Twin } from '../../local/server';
import {
  admin,
  clientConfig,
  DEMO_LB,
  dateHeader,
  ELBV2_VERSION,
  postForm,
  startSeededTwin,
} from './server-fixtures';

/** Breaking the twin on purpose through /_twin/: faults, cluster health, alarms, scenarios, the clock. */
const MINUTE = 60_000;

let twin: Twin & { restoreEnv(): void };
let elbv2: ElasticLoadBalancingV2Client;
let cloudwatch: CloudWatchClient;

beforeAll(async () => {
  twin = await startSeededTwin({ timeScale: 60 });
  elbv2 = new ElasticLoadBalancingV2Client(clientConfig(twin.endpoint));
  cloudwatch = new CloudWatchClient(clientConfig(twin.endpoint));
});

afterEach(async () => {
  await admin(twin.endpoint, 'DELETE', 'faults');
});

afterAll(async () => {
  elbv2.destroy();
  cloudwatch.destroy();
  await twin.close();
  twin.restoreEnv();
});

const describeLoadBalancers = () => elbv2.send(new DescribeLoadBalancersCommand({}));
const outcome = (call: Promise<unknown>): Promise<string> =>
  call.then(
    () => 'ok',
    (error: unknown) => (error instanceof Error ? error.name : String(error)),
  );
const addFault = async (fault: Record<string, unknown>): Promise<void> => {
  const answer = await admin(twin.endpoint, 'POST', 'faults', fault);
  expect(answer.status).toBe(200);
};

const dimension = (arn: string, marker: string): string => arn.slice(arn.indexOf(marker) + marker.length);

/** Sum per minute of an AWS/ApplicationELB target-group metric over [start, end). */
const targetGroupMetric = async (
  metricName: string,
  targetGroupArn: string,
  start: number,
  end: number,
): Promise<number[]> => {
  const { MetricDataResults = [] } = await cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(start),
      EndTime: new Date(end),
      ScanBy: 'TimestampAscending',
      MetricDataQueries: [
        {
          Id: 'm',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/ApplicationELB',
              MetricName: metricName,
              Dimensions: [
                { Name: 'TargetGroup', Value: `targetgroup/${dimension(targetGroupArn, ':targetgroup/')}` },
                { Name: 'LoadBalancer', Value: dimension(DEMO_LB, ':loadbalancer/') },
              ],
            },
            Period: 60,
            Stat: 'Sum',
          },
        },
      ],
    }),
  );
  return MetricDataResults[0]?.Values ?? [];
};

const groupNamed = (name: string) => {
  const group = twin.elbv2.targetGroups().find((g) => g.name === name);
  if (group === undefined) throw new Error(`no target group ${name}`);
  return group;
};

describe('faults through POST /_twin/faults', () => {
  it('delays a call by at least the added latency', async () => {
    // Prepare
    await addFault({ service: 'elbv2', operation: 'DescribeLoadBalancers', latencyMs: 250 });

    // Act
    const started = performance.now();
    await describeLoadBalancers();
    const took = performance.now() - started;

    // Assert (timers may fire a millisecond early; no upper bound on a shared machine)
    expect(took).toBeGreaterThanOrEqual(245);
  });

  it('throttles every call at throttleRate 1: the SDK raises Throttling, withRetry retries then gives up', async () => {
    // Prepare
    await addFault({ service: 'elbv2', operation: 'DescribeRules', throttleRate: 1 });
    const before = (await admin(twin.endpoint, 'GET', 'faults')).body.counts as { throttled: number };

    // Act
    const direct = await elbv2.send(new DescribeRulesCommand({ RuleArns: ['x'] })).catch((e: unknown) => e);
    const retried = await withRetry(
      'DescribeRules',
      () => elbv2.send(new DescribeRulesCommand({ RuleArns: ['x'] })),
      { maxAttempts: 4, sleep: async () => undefined },
    ).catch((e: unknown) => e);

    // Assert
    expect(direct).toMatchObject({ name: 'Throttling', $metadata: { httpStatusCode: 400 } });
    expect(retried).toMatchObject({
      name: 'Throttling',
      message: 'DescribeRules throttled after 4 attempts',
      details: { operation: 'DescribeRules', attempts: 4 },
    });
    const after = (await admin(twin.endpoint, 'GET', 'faults')).body.counts as { throttled: number };
    expect(after.throttled - before.throttled).toBe(5);
  });

  it('fails every call at errorRate 1 with the configured code and status', async () => {
    // Prepare
    await addFault({ service: 'elbv2', errorRate: 1, errorCode: 'InternalFailure' });

    // Act
    const error = await describeLoadBalancers().catch((e: unknown) => e);

    // Assert
    expect(error).toMatchObject({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
  });

  it('lifts a fault with times: 2 after two calls', async () => {
    // Prepare
    await addFault({ service: 'elbv2', throttleRate: 1, times: 2 });

    // Act
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push(await outcome(describeLoadBalancers()));

    // Assert
    expect(outcomes).toEqual(['Throttling', 'Throttling', 'ok']);
    expect((await admin(twin.endpoint, 'GET', 'faults')).body.active).toEqual([]);
  });

  it('throttles calls beyond ratePerSecond', async () => {
    // Prepare
    await addFault({ service: 'elbv2', operation: 'DescribeLoadBalancers', ratePerSecond: 1 });

    // Act: ten calls at once, far fewer than ten seconds apart.
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => outcome(describeLoadBalancers())));

    // Assert
    expect(outcomes).toContain('ok');
    expect(outcomes).toContain('Throttling');
    expect(outcomes.every((o) => o === 'ok' || o === 'Throttling')).toBe(true);
  });

  it('applies a fault only to its service and operation', async () => {
    // Prepare
    await addFault({ service: 'elbv2', operation: 'DescribeRules', throttleRate: 1 });
    await addFault({ service: 'cloudwatch', throttleRate: 1 });

    // Act
    const other = await outcome(describeLoadBalancers());

    // Assert
    expect(other).toBe('ok');
    expect(await outcome(cloudwatch.send(new DescribeAlarmsCommand({})))).toBe('Throttling');
  });

  it('clears faults with DELETE, per service or all', async () => {
    // Prepare
    await addFault({ service: 'elbv2', throttleRate: 1 });
    await addFault({ service: 'cloudwatch', throttleRate: 1 });

    // Act
    const cleared = await admin(twin.endpoint, 'DELETE', 'faults?service=elbv2');
    const afterOne = [
      await outcome(describeLoadBalancers()),
      await outcome(cloudwatch.send(new DescribeAlarmsCommand({}))),
    ];
    await admin(twin.endpoint, 'DELETE', 'faults');
    const afterAll = await outcome(cloudwatch.send(new DescribeAlarmsCommand({})));

    // Assert
    expect(cleared.body).toEqual({ cleared: 'elbv2' });
    expect(afterOne).toEqual(['ok', 'Throttling']);
    expect(afterAll).toBe('ok');
    expect((await admin(twin.endpoint, 'GET', 'faults')).body.active).toEqual([]);
  });
});

describe('cluster health, alarms and the clock through /_twin/', () => {
  it('marks a cluster’s targets unhealthy and gives its target groups 5xx in the metrics', async () => {
    // Prepare
    const changedAt = twin.clock.now();
    const green = groupNamed('green-svc-f');
    const blue = groupNamed('blue-svc-f');

    // Act
    const answer = await admin(twin.endpoint, 'POST', 'clusters/green/health', {
      healthy: false,
      errorRate: 0.5,
    });
    twin.clock.advance(3 * MINUTE);
    const greenHealth = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: green.arn }));
    const blueHealth = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: blue.arn }));
    const window = [
      Math.ceil(changedAt / MINUTE) * MINUTE,
      Math.ceil(changedAt / MINUTE) * MINUTE + 2 * MINUTE,
    ];
    const green5xx = await targetGroupMetric(
      'HTTPCode_Target_5XX_Count',
      green.arn,
      window[0] ?? 0,
      window[1] ?? 0,
    );
    const blue5xx = await targetGroupMetric(
      'HTTPCode_Target_5XX_Count',
      blue.arn,
      window[0] ?? 0,
      window[1] ?? 0,
    );

    // Assert
    expect(answer.status).toBe(200);
    expect(answer.body.targetGroups).toContain(green.arn);
    expect(greenHealth.TargetHealthDescriptions?.map((d) => d.TargetHealth?.State)).toEqual([
      'unhealthy',
      'unhealthy',
      'unhealthy',
    ]);
    expect(blueHealth.TargetHealthDescriptions?.every((d) => d.TargetHealth?.State === 'healthy')).toBe(true);
    expect(green5xx.length).toBeGreaterThan(0);
    expect(green5xx.every((value) => value > 0)).toBe(true);
    expect(blue5xx.every((value) => value === 0)).toBe(true);

    // Cleanup for the tests after
    await admin(twin.endpoint, 'POST', 'clusters/green/health', { healthy: true });
  });

  it('sets an alarm’s state (creating the alarm) and DescribeAlarms shows it', async () => {
    // Act
    const answer = await admin(twin.endpoint, 'POST', 'alarms/admin-green-5xx', {
      state: 'ALARM',
      reason: '5xx above 5%',
    });
    const { MetricAlarms = [] } = await cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNames: ['admin-green-5xx'] }),
    );

    // Assert
    expect(answer.body).toEqual({ alarm: 'admin-green-5xx', state: 'ALARM' });
    expect(MetricAlarms[0]).toMatchObject({ StateValue: 'ALARM', StateReason: '5xx above 5%' });
  });

  it('moves the Date header and the metrics forward with POST /_twin/clock/advance', async () => {
    // Prepare
    const before = await postForm(twin.endpoint, `Action=DescribeLoadBalancers&${ELBV2_VERSION}`);
    const from = Math.ceil(dateHeader(before) / MINUTE) * MINUTE + MINUTE;
    const group = groupNamed('blue-svc-g');
    const notYet = await targetGroupMetric('RequestCount', group.arn, from, from + 30 * MINUTE);

    // Act
    const answer = await admin(twin.endpoint, 'POST', 'clock/advance', { seconds: 3600 });
    const after = await postForm(twin.endpoint, `Action=DescribeLoadBalancers&${ELBV2_VERSION}`);
    const counted = await targetGroupMetric('RequestCount', group.arn, from, from + 30 * MINUTE);

    // Assert
    expect(answer.status).toBe(200);
    expect(dateHeader(after) - dateHeader(before)).toBeGreaterThanOrEqual(3_600_000);
    expect(notYet).toEqual([]);
    expect(counted).toHaveLength(30);
    expect(counted.every((value) => value === 10 * 60)).toBe(true);
  });
});

describe('scenarios through POST /_twin/scenario', () => {
  let fast: Twin & { restoreEnv(): void };
  let fastCloudwatch: CloudWatchClient;

  beforeAll(async () => {
    fast = await startSeededTwin({ timeScale: 1000 });
    fastCloudwatch = new CloudWatchClient(clientConfig(fast.endpoint));
  });

  afterAll(async () => {
    fastCloudwatch.destroy();
    await fast.close();
  });

  const alarmState = async (name: string) => {
    const { MetricAlarms = [] } = await fastCloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNames: [name] }),
    );
    return MetricAlarms[0];
  };

  it('plays its actions at their twin times', async () => {
    // Prepare
    const startedAt = fast.clock.now();

    // Act
    const answer = await admin(fast.endpoint, 'POST', 'scenario', {
      name: 'green-sick',
      actions: [
        { at: 0, alarm: { name: 'scenario-green-5xx', state: 'ALARM', reason: 'green is sick' } },
        { at: 120, clusterHealth: { cluster: 'green', healthy: false, errorRate: 0.2 } },
        { at: 240, alarm: { name: 'scenario-green-5xx', state: 'OK', reason: 'green recovered' } },
      ],
    });
    let alarm = await alarmState('scenario-green-5xx');
    for (let i = 0; i < 500 && alarm?.StateValue !== 'OK'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      alarm = await alarmState('scenario-green-5xx');
    }

    // Assert: the last action ran no sooner than 240 twin seconds after the start.
    expect(answer).toEqual({ status: 202, body: { started: 'green-sick', actions: 3 } });
    expect(alarm).toMatchObject({ StateValue: 'OK', StateReason: 'green recovered' });
    expect((alarm?.StateUpdatedTimestamp?.getTime() ?? 0) - startedAt).toBeGreaterThanOrEqual(240_000);
    const green = fast.elbv2.targetGroups().filter((g) => g.tags['clustershift:cluster'] === 'green');
    expect(green.flatMap((g) => g.targets.map((t) => t.health))).not.toContain('healthy');
  });

  it('stop waiting when the twin closes, so none acts on a closed twin', async () => {
    // Prepare: an action a twin hour away, on a twin of its own
    const own = await startSeededTwin({ timeScale: 1 });
    const sleep = jest.spyOn(own.clock, 'sleep');
    const answer = await admin(own.endpoint, 'POST', 'scenario', {
      name: 'later',
      actions: [{ at: 3_600, alarm: { name: 'late-alarm', state: 'ALARM' } }],
    });
    const waitingOn = sleep.mock.calls[0]?.[1];

    // Act
    await own.close();
    own.restoreEnv();

    // Assert
    expect(answer.status).toBe(202);
    expect(waitingOn?.aborted).toBe(true);
  });
});
