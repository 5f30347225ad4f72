import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Route, RouteTarget, TargetGroupHealth } from '../core/routes';
import type { RequestCountTarget } from './cloudwatch';
import { fetchMetricSeries, healthMetricsRead, type MetricRead } from './cloudwatch-health';
import { describeTargetHealth } from './elbv2-health';

export interface HealthClients {
  readonly elbv2?: ElasticLoadBalancingV2Client;
  readonly cloudwatch?: CloudWatchClient;
}

export interface HealthReadOptions<T> {
  /** Target groups to read live whatever CloudWatch says (they are not asked of CloudWatch). */
  readonly live?: Iterable<string>;
  /** Another metric read to send in the same GetMetricData round (a failover's recent traffic). */
  readonly alongside?: MetricRead<T>;
}

export interface HealthReadResult<T> {
  /**
   * Health per target group, each with its source and time. A target group with no fresh CloudWatch
   * datapoint and no live answer is absent: health unknown, never a guessed figure.
   */
  readonly health: Map<string, TargetGroupHealth>;
  /** The `alongside` read's answer; undefined when CloudWatch could not be read. */
  readonly alongside?: T;
  /** Why CloudWatch could not be read (every target group was then read live), for the caller to log. */
  readonly cloudWatchError?: unknown;
  /**
   * Target groups CloudWatch answered for without a fresh datapoint, each then read live: the
   * fallback no error announces, for the caller to log (0 when CloudWatch could not be read at all).
   */
  readonly withoutFreshDatapoint: number;
  /** Target groups the read covered. */
  readonly targetGroups: number;
}

/** Why some target health was read live instead of from CloudWatch, for a caller to log. */
export interface LiveFallback {
  /** CloudWatch could not be read: every target group was read live. */
  readonly cloudWatchError?: unknown;
  /** Target groups CloudWatch had no fresh datapoint for. */
  readonly withoutFreshDatapoint: number;
  /** Target groups the read covered. */
  readonly targetGroups: number;
}

/** The fallback of a read worth telling (CloudWatch unread, or some target group without a datapoint). */
export const liveFallbackOf = (
  read: Pick<HealthReadResult<unknown>, 'cloudWatchError' | 'withoutFreshDatapoint' | 'targetGroups'>,
): LiveFallback | undefined =>
  read.cloudWatchError === undefined && read.withoutFreshDatapoint === 0
    ? undefined
    : {
        ...(read.cloudWatchError === undefined ? {} : { cloudWatchError: read.cloudWatchError }),
        withoutFreshDatapoint: read.withoutFreshDatapoint,
        targetGroups: read.targetGroups,
      };

/**
 * Target health for gates, planning and status: CloudWatch first (one GetMetricData round for every
 * target group), then one DescribeTargetHealth per target group that CloudWatch had no fresh
 * datapoint for (or that the caller wants live), each read once however many routes share it.
 * CloudWatch failing is not fatal: a failover or a gate must not stop because a metric read was
 * throttled or denied; it costs live reads instead. A live read's error is thrown as before.
 */
export const readTargetHealthWith = async <T>(
  targets: readonly RequestCountTarget[],
  now: Date,
  clients: HealthClients = {},
  options: HealthReadOptions<T> = {},
): Promise<HealthReadResult<T>> => {
  const forcedLive = new Set(options.live ?? []);
  const all = [...new Set(targets.map((t) => t.targetGroupArn))];
  const fromMetrics = healthMetricsRead(
    targets.filter((t) => !forcedLive.has(t.targetGroupArn)),
    now,
  );
  const reads = [fromMetrics, ...(options.alongside === undefined ? [] : [options.alongside])];
  let metricHealth = new Map<string, TargetGroupHealth | undefined>();
  let alongside: T | undefined;
  let cloudWatchError: unknown;
  let withoutFreshDatapoint = 0;
  if (reads.some((read) => read.queries.length > 0)) {
    try {
      const series = await fetchMetricSeries(reads, clients.cloudwatch);
      metricHealth = fromMetrics.read(series);
      alongside = options.alongside?.read(series);
      withoutFreshDatapoint = [...metricHealth.values()].filter((reading) => reading === undefined).length;
    } catch (error) {
      cloudWatchError = error;
    }
  } else {
    alongside = options.alongside?.read(new Map());
  }
  const liveArns = all.filter((arn) => forcedLive.has(arn) || metricHealth.get(arn) === undefined);
  const live = await readLiveHealth(liveArns, now, clients.elbv2);
  const health = new Map<string, TargetGroupHealth>();
  for (const arn of all) {
    const reading = live.get(arn) ?? metricHealth.get(arn);
    if (reading !== undefined) health.set(arn, reading);
  }
  return {
    health,
    ...(alongside === undefined ? {} : { alongside }),
    ...(cloudWatchError === undefined ? {} : { cloudWatchError }),
    withoutFreshDatapoint,
    targetGroups: all.length,
  };
};

/** DescribeTargetHealth (paced, one call per target group, each once), marked as read live at `now`. */
export const readLiveHealth = async (
  targetGroupArns: readonly string[],
  now: Date,
  elbv2?: ElasticLoadBalancingV2Client,
): Promise<Map<string, TargetGroupHealth>> => {
  if (targetGroupArns.length === 0) return new Map();
  const live = await describeTargetHealth(targetGroupArns, elbv2);
  return new Map([...live].map(([arn, health]) => [arn, { ...health, source: 'live' as const, at: now }]));
};

/** Health per target group (see readTargetHealthWith). */
export const readTargetHealth = async (
  targets: readonly RequestCountTarget[],
  now: Date,
  clients: HealthClients = {},
  live: Iterable<string> = [],
): Promise<Map<string, TargetGroupHealth>> =>
  (await readTargetHealthWith<never>(targets, now, clients, { live })).health;

/** The (target group, load balancer) pairs of the routes' targets that `include` keeps. */
export const healthTargetsOf = (
  routes: readonly Pick<Route, 'targets' | 'loadBalancerArn'>[],
  include: (target: RouteTarget) => boolean = () => true,
): RequestCountTarget[] =>
  routes.flatMap((route) =>
    route.targets
      .filter(include)
      .map((target) => ({ targetGroupArn: target.targetGroupArn, loadBalancerArn: route.loadBalancerArn })),
  );
