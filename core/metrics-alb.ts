/**
 * The dimension values AWS/ApplicationELB metrics carry: ARN suffixes, `app/<name>/<id>` for a load
 * balancer and `targetgroup/<name>/<id>` for a target group.
 */

const LOAD_BALANCER = /:loadbalancer\/(app\/[A-Za-z0-9-]+\/[a-f0-9]+)$/;
const TARGET_GROUP = /:(targetgroup\/[A-Za-z0-9-]+\/[a-f0-9]+)$/;

export const ALB_NAMESPACE = 'AWS/ApplicationELB';

/** The per-target-group metrics the dashboard charts. */
export type AlbTargetGroupMetric = 'RequestCount' | 'RequestCountPerTarget' | 'HTTPCode_Target_5XX_Count';

/** `LoadBalancer` dimension value of an Application Load Balancer ARN. */
export const loadBalancerDimension = (arn: string): string => {
  const match = LOAD_BALANCER.exec(arn);
  if (match?.[1] === undefined) throw new Error(`not an Application Load Balancer ARN: ${arn}`);
  return match[1];
};

/** `TargetGroup` dimension value of a target group ARN. */
export const targetGroupDimension = (arn: string): string => {
  const match = TARGET_GROUP.exec(arn);
  if (match?.[1] === undefined) throw new Error(`not a target group ARN: ${arn}`);
  return match[1];
};
