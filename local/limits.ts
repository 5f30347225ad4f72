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

/**
 * "Quotas for your Application Load Balancers" (ELB user guide, section Load balancers): Target Groups
 * per Application Load Balancer, 100, not adjustable. A target group counts once however many actions
 * of the load balancer's listeners and rules forward to it. CreateListener, CreateRule, ModifyListener
 * and ModifyRule past it answer TooManyUniqueTargetGroupsPerLoadBalancer. A route forwarding to one
 * target group per cluster of a two-cluster fleet takes 2: 50 such routes per load balancer.
 */
export const ALB_TARGET_GROUPS_PER_LOAD_BALANCER = 100;

/**
 * "Application Load Balancers per Region", 50 by default, adjustable. The twin does not enforce it
 * (a raised quota is common); with the two quotas above a two-cluster fleet holds at most 2,500 routes
 * per Region unless it is raised.
 */
export const ALBS_PER_REGION = 50;
