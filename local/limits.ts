/**
 * AWS's documented limits that the twin enforces. The ELBv2 API buckets live in core/aws-limits.ts,
 * where clustershift's own pacing reads them too; figures a customer may have had raised are
 * overridden per twin (`TwinOptions.apiLimits`). What a throttled call answers is the service's
 * descriptor's (local/services/elbv2.ts: `Throttling`, "Rate exceeded", HTTP 400).
 */
export {
  type BucketLimit,
  ELBV2_API_BUCKETS,
  type Elbv2BucketName,
  elbv2BucketOf,
} from '../core/aws-limits';

/**
 * "Quotas for your Application Load Balancers" (ELB user guide, section Rules): 100 rules per load
 * balancer by default, not counting the listeners' default rules. CreateRule past it answers
 * TooManyRules; a fleet of more routes spreads them over several load balancers.
 */
export const ALB_RULES_PER_LOAD_BALANCER = 100;
