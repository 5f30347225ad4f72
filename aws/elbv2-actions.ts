import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Weights } from '../core/routes';

/** The forward action of an action list (a rule or listener has at most one). */
export const findForward = (actions: readonly Action[]): Action | undefined =>
  actions.find((action) => action.Type === 'forward');

/**
 * Weight per target group of a forward action. A tuple without Weight counts as 1 (the ELBv2 API
 * reference documents no default; 1 is what CloudFormation/CDK use and what the console shows), and a
 * plain forward naming only TargetGroupArn sends all traffic to it, i.e. weight 1 of 1.
 */
export const forwardWeights = (action: Action): Weights => {
  const tuples = action.ForwardConfig?.TargetGroups ?? [];
  const weights: Record<string, number> = {};
  if (tuples.length > 0) {
    for (const tuple of tuples) if (tuple.TargetGroupArn) weights[tuple.TargetGroupArn] = tuple.Weight ?? 1;
  } else if (action.TargetGroupArn) {
    weights[action.TargetGroupArn] = 1;
  }
  return weights;
};

/** Live weights of an action list, or undefined when it no longer forwards anywhere. */
export const actionListWeights = (actions: readonly Action[]): Weights | undefined => {
  const forward = findForward(actions);
  if (forward === undefined) return undefined;
  const weights = forwardWeights(forward);
  return Object.keys(weights).length === 0 ? undefined : weights;
};

/**
 * The action list to send back in ModifyRule/ModifyListener: the list exactly as read (order, Order
 * fields, other actions, stickiness) with only the weights named in `desired` changed. ModifyRule
 * replaces the whole list, so anything we dropped would be deleted on the load balancer.
 */
export const actionsWithWeights = (actions: readonly Action[], desired: Weights): Action[] =>
  actions.map((read) => {
    const action = structuredClone(read);
    if (action.Type === 'authenticate-oidc') keepClientSecret(action);
    if (action.Type === 'forward') setForwardWeights(action, desired);
    return action;
  });

/**
 * Describe calls never return the OIDC client secret; writing the config back without it and without
 * UseExistingClientSecret would be rejected (or clear the secret), so ask AWS to keep the one it has.
 */
const keepClientSecret = (action: Action): void => {
  const config = action.AuthenticateOidcConfig;
  if (config !== undefined && config.ClientSecret === undefined && config.UseExistingClientSecret !== true) {
    config.UseExistingClientSecret = true;
  }
};

const setForwardWeights = (action: Action, desired: Weights): void => {
  const tuples = action.ForwardConfig?.TargetGroups;
  if (tuples !== undefined && tuples.length > 0) {
    for (const tuple of tuples) {
      const weight = tuple.TargetGroupArn === undefined ? undefined : desired[tuple.TargetGroupArn];
      if (weight !== undefined) tuple.Weight = weight;
    }
    // With several target groups AWS rejects a top-level TargetGroupArn alongside ForwardConfig.
    if (tuples.length > 1) delete action.TargetGroupArn;
    return;
  }
  const arn = action.TargetGroupArn;
  const weight = arn === undefined ? undefined : desired[arn];
  if (arn === undefined || weight === undefined) return;
  // A plain forward has no weight to set: express it as a one-tuple ForwardConfig (same target group).
  action.ForwardConfig = { ...action.ForwardConfig, TargetGroups: [{ TargetGroupArn: arn, Weight: weight }] };
};
