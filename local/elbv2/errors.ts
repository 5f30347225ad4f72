import { TwinError } from '../errors';
import { ALB_RULES_PER_LOAD_BALANCER, ALB_TARGET_GROUPS_PER_LOAD_BALANCER } from '../limits';

/** The ELBv2 error codes the twin answers with, spelled and worded as AWS does (all HTTP 400, Sender). */
export const loadBalancerNotFound = (message = 'One or more load balancers not found'): TwinError =>
  new TwinError('LoadBalancerNotFound', message);

export const listenerNotFound = (message = 'One or more listeners not found'): TwinError =>
  new TwinError('ListenerNotFound', message);

export const ruleNotFound = (message = 'One or more rules not found'): TwinError =>
  new TwinError('RuleNotFound', message);

export const targetGroupNotFound = (message = 'One or more target groups not found'): TwinError =>
  new TwinError('TargetGroupNotFound', message);

export const invalidAction = (message: string): TwinError =>
  new TwinError('InvalidLoadBalancerAction', message);

export const validation = (message: string): TwinError => new TwinError('ValidationError', message);

/** AWS's wording for a value outside a modelled constraint. */
export const constraint = (path: string, value: unknown, rule: string): TwinError =>
  validation(
    `1 validation error detected: Value '${String(value).slice(0, 100)}' at '${path}' failed to satisfy constraint: Member must ${rule}`,
  );

export const invalidTarget = (message: string): TwinError => new TwinError('InvalidTarget', message);

/** CreateRule on a load balancer that has its quota of rules (local/limits.ts), default rules not counted. */
export const tooManyRules = (loadBalancerArn: string): TwinError =>
  new TwinError(
    'TooManyRules',
    `You've reached the limit on the number of rules per load balancer (${ALB_RULES_PER_LOAD_BALANCER} for ${loadBalancerArn}, default rules not counted); spread the rules over more load balancers`,
  );

/**
 * A listener or rule change that would make the load balancer forward to more distinct target groups
 * than its quota (local/limits.ts). The code is the one the API reference lists for CreateListener,
 * CreateRule, ModifyListener and ModifyRule (HTTP 400, as every ELBv2 client error); AWS documents
 * no message text, so the message is the API reference's description of the error with the figures.
 */
export const tooManyUniqueTargetGroups = (loadBalancerArn: string, count: number): TwinError =>
  new TwinError(
    'TooManyUniqueTargetGroupsPerLoadBalancer',
    `You've reached the limit on the number of unique target groups per load balancer across all listeners (${ALB_TARGET_GROUPS_PER_LOAD_BALANCER} for ${loadBalancerArn}; this change would make it ${count}). If a target group is used by multiple actions for a load balancer, it is counted as only one use`,
  );
