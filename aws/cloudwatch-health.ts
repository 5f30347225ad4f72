import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import type { TargetGroupHealth } from '../core/routes';
import { chunk } from './bounded';
import {
  type CloudWatchOptions,
  defaultCloudWatchClient,
  QUERIES_PER_CALL,
  type RequestCountTarget,
  targetGroupMetricQuery,
} from './cloudwatch';
import { withRetry } from './retry';

/**
 * Target-group health and recent traffic from CloudWatch, for many target groups in one round of
 * GetMetricData instead of one DescribeTargetHealth (ELBv2 describe bucket: 40 tokens, 10/s, shared
 * with every Load Balancer Controller) per target group.
 *
 * What AWS documents (ALB user guide, "CloudWatch metrics for your Application Load Balancer"):
 * HealthyHostCount and UnHealthyHostCount are per-target metrics of AWS/ApplicationELB with the
 * dimensions (LoadBalancer, TargetGroup) and (AvailabilityZone, LoadBalancer, TargetGroup); values are
 * ARN suffixes (`app/<name>/<id>`, `targetgroup/<name>/<id>`). Their reporting criterion is "reported
 * if health checks are enabled", while the page's introduction says ALB reports metrics in 60-second
 * intervals and only while requests flow. Minimum and Maximum are the minimum and maximum reported by
 * the individual load balancer nodes.
 * What we assume, and guard against: a target group at weight 0 may publish nothing, and datapoints
 * arrive a minute or more late. So only a datapoint whose minute began within `maxAgeSeconds` counts
 * (else "no fresh datapoint", and the caller reads live), the most recent minute with both metrics
 * wins, and the statistics are the cautious ones: Minimum of healthy, Maximum of unhealthy (the
 * worst node's view). Targets that are initial, draining or unused are in neither metric, as draining
 * ones are left out of DescribeTargetHealth's total.
 */

/** Datapoints of one query: value by time (epoch ms). */
export type Series = ReadonlyMap<number, number>;

export interface MetricWindow {
  readonly start: Date;
  readonly end: Date;
}

/** Queries for one metric round, one window for all of them, and how to read their answers. */
export interface MetricRead<T> {
  readonly window: MetricWindow;
  readonly queries: readonly MetricDataQuery[];
  read(series: ReadonlyMap<string, Series>): T;
}

/**
 * One round of GetMetricData for several reads (query ids unique across them): the queries of each
 * window in calls of at most 500, every call sent at once, each call's pages in turn. A query
 * without datapoints is absent from the result.
 */
export const fetchMetricSeries = async (
  reads: readonly Pick<MetricRead<unknown>, 'window' | 'queries'>[],
  client: CloudWatchClient = defaultCloudWatchClient(),
  options: CloudWatchOptions = {},
): Promise<Map<string, Series>> => {
  // Reads over the same window share calls: fewer calls, and a call holds up to 500 queries anyway.
  const byWindow = new Map<string, { window: MetricWindow; queries: MetricDataQuery[] }>();
  for (const read of reads) {
    const key = `${read.window.start.getTime()} ${read.window.end.getTime()}`;
    const group = byWindow.get(key) ?? { window: read.window, queries: [] };
    group.queries.push(...read.queries);
    byWindow.set(key, group);
  }
  const calls = [...byWindow.values()].flatMap(({ window, queries }) =>
    chunk(queries, QUERIES_PER_CALL).map((batch) => ({ window, queries: batch })),
  );
  const series = new Map<string, Map<number, number>>();
  await Promise.all(
    calls.map(async ({ window, queries }) => {
      let token: string | undefined;
      do {
        const input = {
          MetricDataQueries: queries,
          StartTime: window.start,
          EndTime: window.end,
          ScanBy: 'TimestampDescending' as const,
          NextToken: token,
        };
        const page = await withRetry(
          'GetMetricData',
          () => client.send(new GetMetricDataCommand(input)),
          options.retry,
        );
        for (const result of page.MetricDataResults ?? []) {
          if (result.Id === undefined) continue;
          const points = series.get(result.Id) ?? new Map<number, number>();
          (result.Timestamps ?? []).forEach((timestamp, i) => {
            const at = new Date(timestamp).getTime();
            const value = result.Values?.[i];
            if (Number.isFinite(at) && value !== undefined && Number.isFinite(value)) points.set(at, value);
          });
          if (points.size > 0) series.set(result.Id, points);
        }
        token = page.NextToken;
      } while (token);
    }),
  );
  return series;
};

/** How far back a health datapoint may be and still count: ALB's per-minute gauges, a few minutes late. */
export const HEALTH_MAX_AGE_SECONDS = 300;

export interface MetricHealth extends TargetGroupHealth {
  readonly source: 'cloudwatch';
  /** Start of the minute the datapoint describes. */
  readonly at: Date;
}

/** One (target group, load balancer) pair per target group: an ALB target group belongs to one load balancer. */
const byTargetGroup = (targets: readonly RequestCountTarget[]): RequestCountTarget[] => [
  ...new Map(targets.map((t) => [t.targetGroupArn, t] as const)).values(),
];

/**
 * HealthyHostCount (Minimum) and UnHealthyHostCount (Maximum) per target group over the last
 * `maxAgeSeconds`, period 60: the most recent minute that has both, or undefined when there is no
 * fresh datapoint. Every target group of `targets` is a key of the result.
 */
export const healthMetricsRead = (
  targets: readonly RequestCountTarget[],
  now: Date,
  maxAgeSeconds = HEALTH_MAX_AGE_SECONDS,
): MetricRead<Map<string, MetricHealth | undefined>> => {
  const pairs = byTargetGroup(targets);
  const oldest = now.getTime() - maxAgeSeconds * 1000;
  return {
    window: { start: new Date(oldest), end: now },
    queries: pairs.flatMap((target, i) => [
      targetGroupMetricQuery(`hh${i}`, target, 'HealthyHostCount', 'Minimum', 60),
      targetGroupMetricQuery(`hu${i}`, target, 'UnHealthyHostCount', 'Maximum', 60),
    ]),
    read: (series) =>
      new Map(
        pairs.map((target, i) => {
          const healthy = series.get(`hh${i}`);
          const unhealthy = series.get(`hu${i}`);
          let latest: number | undefined;
          for (const at of healthy?.keys() ?? []) {
            // A datapoint from before the window or after now (clock skew) is not a fresh reading.
            if (at < oldest || at > now.getTime() || !unhealthy?.has(at)) continue;
            if (latest === undefined || at > latest) latest = at;
          }
          if (latest === undefined) return [target.targetGroupArn, undefined];
          const up = Math.floor(healthy?.get(latest) ?? 0);
          const down = Math.ceil(unhealthy?.get(latest) ?? 0);
          const reading: MetricHealth = {
            healthy: up,
            total: up + down,
            source: 'cloudwatch',
            at: new Date(latest),
          };
          return [target.targetGroupArn, reading];
        }),
      ),
  };
};

/** The window a failover looks back over for each route's recent traffic. */
export const RECENT_REQUESTS_MINUTES = 5;

/**
 * RequestCount (Sum, period 60) per target group over the last `minutes`: requests per minute,
 * averaged over the minutes with datapoints (CloudWatch publishes none for an idle minute), 0 when
 * none. A target group behind several load balancers counts them all.
 */
export const recentRequestsRead = (
  targets: readonly RequestCountTarget[],
  now: Date,
  minutes = RECENT_REQUESTS_MINUTES,
): MetricRead<Map<string, number>> => {
  const pairs = [
    ...new Map(targets.map((t) => [`${t.targetGroupArn} ${t.loadBalancerArn}`, t] as const)).values(),
  ];
  return {
    window: { start: new Date(now.getTime() - minutes * 60_000), end: now },
    queries: pairs.map((target, i) => targetGroupMetricQuery(`rq${i}`, target, 'RequestCount', 'Sum', 60)),
    read: (series) => {
      const perMinute = new Map<string, Map<number, number>>(pairs.map((t) => [t.targetGroupArn, new Map()]));
      pairs.forEach((target, i) => {
        const sums = perMinute.get(target.targetGroupArn);
        for (const [at, value] of series.get(`rq${i}`) ?? []) sums?.set(at, (sums.get(at) ?? 0) + value);
      });
      return new Map(
        [...perMinute].map(([arn, sums]) => {
          const total = [...sums.values()].reduce((a, b) => a + b, 0);
          return [arn, sums.size === 0 ? 0 : total / sums.size];
        }),
      );
    },
  };
};
