import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { getClusterRequestCounts, retainedPeriod, validatePeriod } from '../../../cli/report/metrics';
import { ClusterShiftError } from '../../../core/errors';
import { LB, tg } from '../../aws/elbv2-fixtures';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const DAY = 86_400_000;

const cloudwatch = () => {
  const client = new CloudWatchClient({ region: 'eu-west-1' });
  return { client, mock: mockClient(client) };
};

describe('getClusterRequestCounts', () => {
  it('sums the target groups of each cluster per period, across pages', async () => {
    const { client, mock } = cloudwatch();
    const targets = [
      { cluster: 'blue', targetGroupArn: tg('a-blue'), loadBalancerArn: LB },
      { cluster: 'blue', targetGroupArn: tg('b-blue'), loadBalancerArn: LB },
      { cluster: 'green', targetGroupArn: tg('a-green'), loadBalancerArn: LB },
    ];
    const seen: MetricDataQuery[][] = [];
    mock.on(GetMetricDataCommand).callsFake((input) => {
      seen.push(input.MetricDataQueries);
      const page = input.NextToken === undefined ? 0 : 1;
      return {
        MetricDataResults: (input.MetricDataQueries as MetricDataQuery[]).map((q) => ({
          Id: q.Id,
          Timestamps: [at(page)],
          Values: [q.Id === 'q2' ? 100 : 10],
        })),
        NextToken: page === 0 ? 'more' : undefined,
      };
    });

    const counts = await getClusterRequestCounts(targets, { start: at(0), end: at(5) }, 300, client);

    expect(counts.get('blue')).toEqual([
      { at: at(0), requests: 20 },
      { at: at(1), requests: 20 },
    ]);
    expect(counts.get('green')?.map((p) => p.requests)).toEqual([100, 100]);
    expect(seen[0]?.[0]?.MetricStat).toEqual({
      Metric: {
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'RequestCount',
        Dimensions: [
          { Name: 'TargetGroup', Value: 'targetgroup/a-blue/612d626c75650000' },
          { Name: 'LoadBalancer', Value: 'app/web/0123456789abcdef' },
        ],
      },
      Period: 300,
      Stat: 'Sum',
    });
  });

  it('asks for at most 500 target groups per call', async () => {
    const { client, mock } = cloudwatch();
    const targets = Array.from({ length: 1_001 }, (_, i) => ({
      cluster: i % 2 === 0 ? 'blue' : 'green',
      targetGroupArn: tg(`tg-${i}`),
      loadBalancerArn: LB,
    }));
    mock.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });

    const counts = await getClusterRequestCounts(targets, { start: at(0), end: at(5) }, 60, client);

    const sizes = mock
      .commandCalls(GetMetricDataCommand)
      .map((c) => c.args[0].input.MetricDataQueries?.length);
    expect(sizes).toEqual([500, 500, 1]);
    expect([...counts.keys()]).toEqual(['blue', 'green']);
  });
});

describe('validatePeriod', () => {
  it.each([0, 30, 90, 61.5, 172_800])('refuses %d seconds, naming the field', (seconds) => {
    expect(() => validatePeriod(seconds)).toThrow(ClusterShiftError);
    expect(() => validatePeriod(seconds)).toThrow(/periodSeconds: must be a whole number of minutes/);
  });

  it('accepts whole minutes', () => {
    expect([60, 300, 3_600].map(validatePeriod)).toEqual([60, 300, 3_600]);
  });
});

describe('retainedPeriod', () => {
  const now = new Date(T0);

  it('keeps the period for a recent window and coarsens it for windows CloudWatch only keeps coarser', () => {
    expect(retainedPeriod(60, new Date(T0 - DAY), now)).toBe(60);
    expect(retainedPeriod(60, new Date(T0 - 20 * DAY), now)).toBe(300);
    expect(retainedPeriod(120, new Date(T0 - 20 * DAY), now)).toBe(300);
    expect(retainedPeriod(600, new Date(T0 - 20 * DAY), now)).toBe(600);
    expect(retainedPeriod(300, new Date(T0 - 100 * DAY), now)).toBe(3_600);
  });
});
