/**
 * ARN arithmetic for the traffic model. CloudWatch names ALB resources by ARN suffix: LoadBalancer `app/<name>/<id>` (after
 * `loadbalancer/`), TargetGroup `targetgroup/<name>/<id>` (after the account id). Same rule as
 * aws/cloudwatch.ts uses to ask.
 */
const after = (arn: string, marker: string): string | undefined => {
  const at = arn.indexOf(marker);
  return at === -1 ? undefined : arn.slice(at + marker.length);
};

export const loadBalancerDimension = (loadBalancerArn: string): string =>
  after(loadBalancerArn, ':loadbalancer/') ?? loadBalancerArn;

export const targetGroupDimension = (targetGroupArn: string): string => {
  const rest = after(targetGroupArn, ':targetgroup/');
  return rest === undefined ? targetGroupArn : `targetgroup/${rest}`;
};

/**
 * The load balancer ARN a listener or listener-rule ARN belongs to: both embed its
 * `app/<name>/<id>` right after the resource type.
 */
const FORWARD_ARN =
  /^(arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*):listener(?:-rule)?\/((?:app|net|gwy)\/[^/]+\/[^/]+)\//;

export const loadBalancerArnOfForward = (listenerOrRuleArn: string): string | undefined => {
  const match = FORWARD_ARN.exec(listenerOrRuleArn);
  return match === null ? undefined : `${match[1]}:loadbalancer/${match[2]}`;
};

/** The listener a forward belongs to: the key itself for a default action, the rule ARN minus its last part otherwise. */
export const listenerArnOfForward = (listenerOrRuleArn: string): string => {
  if (!listenerOrRuleArn.includes(':listener-rule/')) return listenerOrRuleArn;
  const withoutRule = listenerOrRuleArn.slice(0, listenerOrRuleArn.lastIndexOf('/'));
  return withoutRule.replace(':listener-rule/', ':listener/');
};
