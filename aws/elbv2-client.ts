import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RetryOptions } from './retry';

let shared: ElasticLoadBalancingV2Client | undefined;

/**
 * The client used when none is passed, built on first use. SDK retries are off (maxAttempts 1):
 * withRetry does the retrying, so every API call we make is one request and the counts are exact.
 */
export const defaultElbv2Client = (): ElasticLoadBalancingV2Client =>
  (shared ??= new ElasticLoadBalancingV2Client({ maxAttempts: 1 }));

export interface Elbv2Options {
  retry?: RetryOptions;
}
