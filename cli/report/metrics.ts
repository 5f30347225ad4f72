import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { defaultCloudWatchClient, type RequestCountTarget, sumRequestCounts } from '../../aws/cloudwatch';
import type { RetryOptions } from '../../aws/retry';
import { InvalidRequestError } from '../../core/errors';

/**
 * RequestCount per cluster for the report: aws/cloudwatch.ts's sumRequestCounts keyed by cluster,
 * at the report's period, plus CloudWatch's period and retention rules.
 */

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
  const clusterOf = new Map(targets.map((t) => [`${t.targetGroupArn} ${t.loadBalancerArn}`, t.cluster]));
  const sums = await sumRequestCounts(
    targets,
    (target) => clusterOf.get(`${target.targetGroupArn} ${target.loadBalancerArn}`) ?? '',
    window,
    client,
    { ...options, periodSeconds },
  );
  return new Map(
    [...sums].map(([cluster, points]) => [
      cluster,
      points.map((p) => ({ at: p.timestamp, requests: p.sum })),
    ]),
  );
};
