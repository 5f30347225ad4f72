/**
 * AWS's documented API rate limits that clustershift paces itself by (aws/elbv2-pacing.ts) and that
 * the local twin enforces (local/limits.ts): one place for the figures.
 */

/** A token bucket: `capacity` calls at once, refilled by `refillPerSecond` tokens every second. */
export interface BucketLimit {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

/** ELBv2's three request buckets, per account and region. */
export type Elbv2BucketName = 'describe' | 'mutating' | 'registration';

/**
 * "Request throttling for the ELB API" (Elastic Load Balancing user guide, section "Bucket capacity
 * and refill rate"): ELB API version 2 throttles per account and Region with token buckets shared by
 * every caller (the console, the CLI, your code, the AWS Load Balancer Controller in each cluster;
 * only services such as CloudFormation, ECS and EC2 Auto Scaling have buckets of their own).
 * Non-mutating `Describe*` actions: 40 tokens, 10 per second (the page's worked example).
 * Registration actions (`RegisterTargets`, `DeregisterTargets`): 20 tokens, 4 per second.
 * Every other (mutating) action, `ModifyRule` and `ModifyListener` among them: 20 tokens, 3 per
 * second. The AWS Load Balancer Controller's default client-side limits were aligned with the same
 * figures (RegisterTargets|DeregisterTargets 4:20, Modify.* 3:20), which corroborates them.
 * AWS Support may raise an account's limits.
 */
export const ELBV2_API_BUCKETS: Readonly<Record<Elbv2BucketName, BucketLimit>> = {
  describe: { capacity: 40, refillPerSecond: 10 },
  mutating: { capacity: 20, refillPerSecond: 3 },
  registration: { capacity: 20, refillPerSecond: 4 },
};

/** Which of ELBv2's buckets an action spends. */
export const elbv2BucketOf = (action: string): Elbv2BucketName => {
  if (action.startsWith('Describe')) return 'describe';
  if (action === 'RegisterTargets' || action === 'DeregisterTargets') return 'registration';
  return 'mutating';
};

/**
 * The least time (ms) in which `writes` rule changes can all be accepted, starting from a full
 * mutating bucket with nobody else spending it: the bucket's capacity at once, then its refill rate.
 */
export const elbv2WriteFloorMs = (writes: number, bucket: BucketLimit = ELBV2_API_BUCKETS.mutating): number =>
  (Math.max(0, writes - bucket.capacity) / bucket.refillPerSecond) * 1000;
