import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { fetchMetricSeries, healthMetricsRead, recentRequestsRead } from '../../aws/cloudwatch-health';
import { LB, tg } from './elbv2-fixtures';

const NOW = new Date('2026-11-23T10:07:30Z');
const minute = (hhmm: string) => new Date(`2026-11-23T${hhmm}:00Z`);

const cloudwatch = () => {
  const client = new CloudWatchClient({ region: 'eu-west-1' });
  return { client, mock: mockClient(client) };
};

type Points = Record<string, [Date, number][]>;

/** Answers each query id with its points (newest first, as TimestampDescending asks). */
const answer = (points: Points) => (input: { MetricDataQueries?: MetricDataQuery[] }) => ({
  MetricDataResults: (input.MetricDataQueries ?? []).map((q) => {
    const series = [...(points[q.Id ?? ''] ?? [])].sort(([a], [b]) => b.getTime() - a.getTime());
    return {
      Id: q.Id,
      StatusCode: 'Complete',
      Timestamps: series.map(([at]) => at),
      Values: series.map(([, v]) => v),
    };
  }),
});

const targets = (...names: string[]) =>
  names.map((name) => ({ targetGroupArn: tg(name), loadBalancerArn: LB }));

const readHealth = async (names: string[], client: CloudWatchClient) => {
  const read = healthMetricsRead(targets(...names), NOW);
  return read.read(await fetchMetricSeries([read], client));
};

describe('healthMetricsRead', () => {
  it('asks for HealthyHostCount (Minimum) and UnHealthyHostCount (Maximum) per (TargetGroup, LoadBalancer), period 60, over the last 5 minutes', () => {
    // Act
    const read = healthMetricsRead(targets('api-green'), NOW);

    // Assert
    expect(read.window).toEqual({ start: new Date('2026-11-23T10:02:30Z'), end: NOW });
    expect(read.queries.map((q) => [q.MetricStat?.Metric?.MetricName, q.MetricStat?.Stat])).toEqual([
      ['HealthyHostCount', 'Minimum'],
      ['UnHealthyHostCount', 'Maximum'],
    ]);
    expect(read.queries[0]?.MetricStat).toMatchObject({
      Period: 60,
      Metric: {
        Namespace: 'AWS/ApplicationELB',
        Dimensions: [
          { Name: 'TargetGroup', Value: tg('api-green').slice(tg('api-green').indexOf('targetgroup/')) },
          { Name: 'LoadBalancer', Value: 'app/web/0123456789abcdef' },
        ],
      },
    });
  });

  it('takes the most recent minute that has both counts: healthy plus unhealthy is the total', async () => {
    // Prepare: 10:06 has only the healthy count (unhealthy not yet published), 10:05 has both.
    const { client, mock } = cloudwatch();
    const points = {
      hh0: [
        [minute('10:04'), 5],
        [minute('10:05'), 4],
        [minute('10:06'), 5],
      ],
      hu0: [
        [minute('10:04'), 0],
        [minute('10:05'), 1],
      ],
    } as Points;
    mock.on(GetMetricDataCommand).callsFake(answer(points));

    // Act
    const health = await readHealth(['api-green'], client);

    // Assert
    expect(health.get(tg('api-green'))).toEqual({
      healthy: 4,
      total: 5,
      source: 'cloudwatch',
      at: minute('10:05'),
    });
  });

  it('has no fresh datapoint for a target group CloudWatch publishes nothing for, or only stale minutes', async () => {
    // Prepare: api-blue's last datapoints are from 10:01, before the 5-minute window (a mock that
    // ignores StartTime, as a clock-skewed answer would); web-blue has none.
    const { client, mock } = cloudwatch();
    const points = {
      hh0: [[minute('10:01'), 3]],
      hu0: [[minute('10:01'), 0]],
    } as Points;
    mock.on(GetMetricDataCommand).callsFake(answer(points));

    // Act
    const health = await readHealth(['api-blue', 'web-blue'], client);

    // Assert
    expect([...health]).toEqual([
      [tg('api-blue'), undefined],
      [tg('web-blue'), undefined],
    ]);
  });

  it('reads 300 target groups (600 queries) in two calls of at most 500 sent at once, and every page', async () => {
    // Prepare: each call answers in two pages; the mock counts calls in flight.
    const names = Array.from({ length: 300 }, (_, i) => `svc${i}-green`);
    const { client, mock } = cloudwatch();
    let inFlight = 0;
    let maxInFlight = 0;
    mock.on(GetMetricDataCommand).callsFake(async (input) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      const queries = input.MetricDataQueries as MetricDataQuery[];
      const half = Math.ceil(queries.length / 2);
      const page = input.NextToken === undefined ? queries.slice(0, half) : queries.slice(half);
      return {
        ...answer(
          Object.fromEntries(
            page.map((q) => [q.Id, [[minute('10:06'), q.Id?.startsWith('hh') ? 3 : 0]]]),
          ) as Points,
        )({ MetricDataQueries: page }),
        ...(input.NextToken === undefined ? { NextToken: 'page-2' } : {}),
      };
    });

    // Act
    const health = await readHealth(names, client);

    // Assert
    const calls = mock.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    expect(calls.filter((c) => c.NextToken === undefined).map((c) => c.MetricDataQueries?.length)).toEqual([
      500, 100,
    ]);
    expect(maxInFlight).toBe(2);
    expect(health.size).toBe(300);
    expect([...health.values()].every((h) => h?.healthy === 3 && h.total === 3)).toBe(true);
  });
});

describe('recentRequestsRead', () => {
  it('gives requests per minute averaged over the minutes with data, and 0 for a target group with none', async () => {
    // Prepare: api-blue served 600 and 900 in two of the last 5 minutes; web-blue nothing.
    const { client, mock } = cloudwatch();
    mock.on(GetMetricDataCommand).callsFake(
      answer({
        rq0: [
          [minute('10:04'), 600],
          [minute('10:05'), 900],
        ],
      }),
    );
    const read = recentRequestsRead(targets('api-blue', 'web-blue'), NOW);

    // Act
    const requests = read.read(await fetchMetricSeries([read], client));

    // Assert
    expect(read.queries[0]?.MetricStat).toMatchObject({
      Metric: { MetricName: 'RequestCount' },
      Stat: 'Sum',
      Period: 60,
    });
    expect(read.window.start).toEqual(new Date('2026-11-23T10:02:30Z'));
    expect([...requests]).toEqual([
      [tg('api-blue'), 750],
      [tg('web-blue'), 0],
    ]);
  });
});
