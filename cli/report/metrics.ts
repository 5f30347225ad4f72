import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { chunk } from '../../aws/bounded';
import { defaultCloudWatchClient, type RequestCountTarget } from '../../aws/cloudwatch';
import { type RetryOptions, withRetry } from '../../aws/retry';
import { InvalidRequestError } from '../../core/errors';

/**
 * RequestCount per cluster for the report. aws/cloudwatch.ts's getRequestCounts is fixed at one
 * minute per target group (what drain verification needs); the report needs a chosen period and
 * CloudWatch's retention rules, so it has its own query here, built the same way.
 */

const QUERIES_PER_CALL = 500;
const DAY = 86_400_000;

export interface ClusterTarget extends RequestCountTarget {
  readonly cluster: string;
}

export interface PeriodPoint {
  readonly at: Date;
  readonly requests: number;
}

/** ALB metrics are published per minute: a period must be whole minutes, at most a day. */
export const validatePeriod = (periodSeconds: number): number => {
  if (
    !Number.isInteger(periodSeconds) ||
    periodSeconds < 60 ||
    periodSeconds % 60 !== 0 ||
    periodSeconds > 86_400
  ) {
    throw new InvalidRequestError([
      {
        path: 'periodSeconds',
        message: `must be a whole number of minutes in seconds (60, 300, 3600 …) up to 86400, got ${periodSeconds}`,
      },
    ]);
  }
  return periodSeconds;
};

/**
 * CloudWatch keeps one-minute data for 15 days, five-minute data for 63 days, then hourly; a finer
 * period than what is kept returns nothing, so an older window gets the coarsest period it needs.
 */
export const retainedPeriod = (periodSeconds: number, start: Date, now: Date): number => {
  const age = now.getTime() - start.getTime();
  const floor = age > 63 * DAY ? 3600 : age > 15 * DAY ? 300 : 60;
  return Math.ceil(Math.max(periodSeconds, floor) / floor) * floor;
};

/** The part of an ARN after `marker` (CloudWatch's ALB dimensions are ARN suffixes). */
const after = (arn: string, marker: string): string => {
  const at = arn.indexOf(marker);
  return at === -1 ? arn : arn.slice(at + marker.length);
};

const query = (id: string, target: RequestCountTarget, period: number): MetricDataQuery => ({
  Id: id,
  ReturnData: true,
  MetricStat: {
    Metric: {
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'RequestCount',
      Dimensions: [
        { Name: 'TargetGroup', Value: `targetgroup/${after(target.targetGroupArn, ':targetgroup/')}` },
        { Name: 'LoadBalancer', Value: after(target.loadBalancerArn, ':loadbalancer/') },
      ],
    },
    Period: period,
    Stat: 'Sum',
  },
});

/**
 * Requests per period per cluster: the Sum of RequestCount over the cluster's target groups, in time
 * order. Only periods CloudWatch returned a datapoint for are present (an idle period has none).
 * Every cluster with a target is in the result.
 */
export const getClusterRequestCounts = async (
  targets: readonly ClusterTarget[],
  window: { start: Date; end: Date },
  periodSeconds: number,
  client: CloudWatchClient = defaultCloudWatchClient(),
  options: { retry?: RetryOptions } = {},
): Promise<Map<string, PeriodPoint[]>> => {
  const unique = [
    ...new Map(targets.map((t) => [`${t.targetGroupArn} ${t.loadBalancerArn}`, t] as const)).values(),
  ].map((target, index) => ({ id: `q${index}`, target }));
  const clusterOf = new Map(unique.map(({ id, target }) => [id, target.cluster]));
  const sums = new Map<string, Map<number, number>>(targets.map((t) => [t.cluster, new Map()]));

  for (const batch of chunk(unique, QUERIES_PER_CALL)) {
    const queries = batch.map(({ id, target }) => query(id, target, periodSeconds));
    let token: string | undefined;
    do {
      const input = {
        MetricDataQueries: queries,
        StartTime: window.start,
        EndTime: window.end,
        ScanBy: 'TimestampAscending' as const,
        NextToken: token,
      };
      const page = await withRetry(
        'GetMetricData',
        () => client.send(new GetMetricDataCommand(input)),
        options.retry,
      );
      for (const result of page.MetricDataResults ?? []) {
        const series = sums.get(clusterOf.get(result.Id ?? '') ?? '');
        if (series === undefined) continue;
        (result.Timestamps ?? []).forEach((timestamp, i) => {
          const at = new Date(timestamp).getTime();
          const value = result.Values?.[i];
          if (Number.isFinite(at) && value !== undefined && Number.isFinite(value))
            series.set(at, (series.get(at) ?? 0) + value);
        });
      }
      token = page.NextToken;
    } while (token);
  }

  return new Map(
    [...sums].map(([cluster, series]) => [
      cluster,
      [...series].sort(([a], [b]) => a - b).map(([at, requests]) => ({ at: new Date(at), requests })),
    ]),
  );
};
