import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { recentRequestsRead } from '../../aws/cloudwatch-health';
import { liveFallbackOf, readTargetHealth, readTargetHealthWith } from '../../aws/target-health';
import { awsError, LB, tg } from './elbv2-fixtures';

const NOW = new Date('2026-11-23T10:07:30Z');
const LATEST = new Date('2026-11-23T10:06:00Z');

/** A CloudWatch whose health gauges are `counts` by target group name (others publish nothing). */
const clients = (counts: Record<string, { healthy: number; unhealthy: number }>, requests = 0) => {
  const cloudwatch = new CloudWatchClient({ region: 'eu-west-1' });
  const elbv2 = new ElasticLoadBalancingV2Client({ region: 'eu-west-1' });
  const cw = mockClient(cloudwatch);
  const elb = mockClient(elbv2);
  cw.on(GetMetricDataCommand).callsFake((input: { MetricDataQueries?: MetricDataQuery[] }) => ({
    MetricDataResults: (input.MetricDataQueries ?? []).map((q) => {
      const dimension = q.MetricStat?.Metric?.Dimensions?.find((d) => d.Name === 'TargetGroup')?.Value ?? '';
      const name = dimension.split('/')[1] ?? '';
      const metric = q.MetricStat?.Metric?.MetricName;
      const gauge = counts[name];
      const value =
        metric === 'RequestCount'
          ? requests
          : gauge === undefined
            ? undefined
            : metric === 'HealthyHostCount'
              ? gauge.healthy
              : gauge.unhealthy;
      return {
        Id: q.Id,
        StatusCode: 'Complete',
        Timestamps: value === undefined ? [] : [LATEST],
        Values: value === undefined ? [] : [value],
      };
    }),
  }));
  elb.on(DescribeTargetHealthCommand).resolves({
    TargetHealthDescriptions: [
      { TargetHealth: { State: 'healthy' } },
      { TargetHealth: { State: 'healthy' } },
      { TargetHealth: { State: 'unhealthy' } },
    ],
  });
  return { cloudwatch, elbv2, cw, elb };
};

const pair = (name: string) => ({ targetGroupArn: tg(name), loadBalancerArn: LB });

describe('readTargetHealth', () => {
  it('reads every target group from CloudWatch and makes no DescribeTargetHealth call when each has a fresh datapoint', async () => {
    // Prepare
    const { cloudwatch, elbv2, cw, elb } = clients({
      'api-green': { healthy: 2, unhealthy: 3 },
      'web-green': { healthy: 4, unhealthy: 0 },
    });

    // Act
    const read = await readTargetHealthWith([pair('api-green'), pair('web-green')], NOW, {
      cloudwatch,
      elbv2,
    });
    const health = read.health;

    // Assert
    expect(liveFallbackOf(read)).toBeUndefined();
    expect(health.get(tg('api-green'))).toEqual({ healthy: 2, total: 5, source: 'cloudwatch', at: LATEST });
    expect(health.get(tg('web-green'))).toMatchObject({ healthy: 4, total: 4, source: 'cloudwatch' });
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(1);
    expect(elb.commandCalls(DescribeTargetHealthCommand)).toHaveLength(0);
  });

  it('reads live, once each, only the target groups CloudWatch had no fresh datapoint for', async () => {
    // Prepare: web-green publishes nothing; two routes share it.
    const { cloudwatch, elbv2, elb } = clients({ 'api-green': { healthy: 3, unhealthy: 0 } });

    // Act
    const read = await readTargetHealthWith([pair('api-green'), pair('web-green'), pair('web-green')], NOW, {
      cloudwatch,
      elbv2,
    });

    // Assert: and says so, for the caller to log (no error announces this fallback)
    expect(elb.commandCalls(DescribeTargetHealthCommand).map((c) => c.args[0].input.TargetGroupArn)).toEqual([
      tg('web-green'),
    ]);
    expect(read.health.get(tg('web-green'))).toEqual({ healthy: 2, total: 3, source: 'live', at: NOW });
    expect(read.health.get(tg('api-green'))?.source).toBe('cloudwatch');
    expect(liveFallbackOf(read)).toEqual({ withoutFreshDatapoint: 1, targetGroups: 2 });
  });

  it('reads the target groups it is asked to read live live, and does not ask CloudWatch about them', async () => {
    // Prepare
    const { cloudwatch, elbv2, cw, elb } = clients({
      'api-green': { healthy: 3, unhealthy: 0 },
      'web-green': { healthy: 3, unhealthy: 0 },
    });

    // Act
    const health = await readTargetHealth(
      [pair('api-green'), pair('web-green')],
      NOW,
      { cloudwatch, elbv2 },
      [tg('web-green')],
    );

    // Assert
    const queries = cw.commandCalls(GetMetricDataCommand)[0]?.args[0].input.MetricDataQueries ?? [];
    expect(queries).toHaveLength(2);
    expect(elb.commandCalls(DescribeTargetHealthCommand)).toHaveLength(1);
    expect(health.get(tg('web-green'))?.source).toBe('live');
  });

  it('falls back to live reads of every target group when CloudWatch cannot be read, and says why', async () => {
    // Prepare
    const { cloudwatch, elbv2, cw, elb } = clients({});
    cw.on(GetMetricDataCommand).rejects(
      awsError('AccessDenied', 'not authorized to perform GetMetricData', 403),
    );

    // Act
    const read = await readTargetHealthWith([pair('api-green'), pair('web-green')], NOW, {
      cloudwatch,
      elbv2,
    });

    // Assert
    expect(elb.commandCalls(DescribeTargetHealthCommand)).toHaveLength(2);
    expect([...read.health.values()].every((h) => h.source === 'live')).toBe(true);
    expect(String(read.cloudWatchError)).toContain('not authorized to perform GetMetricData');
    expect(liveFallbackOf(read)).toMatchObject({ withoutFreshDatapoint: 0, targetGroups: 2 });
    expect(liveFallbackOf(read)?.cloudWatchError).toBe(read.cloudWatchError);
  });

  it('sends another metric read in the same GetMetricData call as the health metrics', async () => {
    // Prepare
    const { cloudwatch, elbv2, cw } = clients({ 'api-green': { healthy: 3, unhealthy: 0 } }, 420);

    // Act
    const read = await readTargetHealthWith(
      [pair('api-green')],
      NOW,
      { cloudwatch, elbv2 },
      {
        alongside: recentRequestsRead([pair('api-blue')], NOW),
      },
    );

    // Assert
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(1);
    expect(read.alongside?.get(tg('api-blue'))).toBe(420);
  });
});
