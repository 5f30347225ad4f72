import {
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ClusterShiftError } from '../core/errors';
import type { TargetGroupHealth } from '../core/routes';
import { withDetails } from './aws-errors';
import { mapBounded } from './bounded';
import { defaultElbv2Client, type Elbv2Options } from './elbv2-client';
import { elbv2ReadRetry } from './elbv2-pacing';
import { withReadRetry } from './retry';

export interface HealthOptions extends Elbv2Options {
  concurrency?: number;
}

/**
 * Healthy and total targets per target group. Draining targets are leaving on purpose, so they do
 * not count against the healthy percentage of a receiver.
 */
/**
 * DescribeTargetHealth takes one target group per call: a failover over hundreds of routes reads
 * hundreds before its first write, so they go 16 at a time (throttling is retried with backoff).
 */
const HEALTH_CALLS_IN_FLIGHT = 16;

export const describeTargetHealth = async (
  targetGroupArns: readonly string[],
  client: ElasticLoadBalancingV2Client = defaultElbv2Client(),
  options: HealthOptions = {},
): Promise<Map<string, TargetGroupHealth>> => {
  const arns = [...new Set(targetGroupArns)];
  const health = await mapBounded(
    arns,
    options.concurrency ?? HEALTH_CALLS_IN_FLIGHT,
    async (arn): Promise<TargetGroupHealth> => {
      try {
        const page = await withReadRetry(
          `DescribeTargetHealth ${arn}`,
          () => client.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })),
          elbv2ReadRetry(options.retry),
        );
        const states = (page.TargetHealthDescriptions ?? []).map((d) => d.TargetHealth?.State);
        return {
          healthy: states.filter((state) => state === 'healthy').length,
          total: states.filter((state) => state !== 'draining').length,
        };
      } catch (error) {
        throw error instanceof ClusterShiftError ? withDetails(error, { targetGroupArn: arn }) : error;
      }
    },
  );
  return new Map(arns.map((arn, index) => [arn, health[index] ?? { healthy: 0, total: 0 }]));
};
