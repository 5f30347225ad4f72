import { TwinError } from '../errors';
import { requiredString } from '../protocol/scalars';
import type { TwinInput } from '../service';
import { parseActions } from './actions';
import { parseConditions } from './conditions';
import { checkTargetGroupQuota, listenerSettings } from './create';
import { renderListener, renderRule } from './render';
import type { Elbv2State } from './state';

/**
 * ModifyRule and ModifyListener replace what they are given whole: the action list sent becomes
 * the action list, in the order sent. Everything is checked before anything changes.
 */
export const modifyRule = (state: Elbv2State, input: TwinInput) => {
  const arn = requiredString(input.RuleArn, 'ruleArn');
  if (state.listenerOfDefaultRule(arn) !== undefined) {
    throw new TwinError(
      'OperationNotPermitted',
      'The default rule cannot be modified; use ModifyListener to change its actions',
    );
  }
  const rule = state.rule(arn);
  const listener = state.listener(rule.listenerArn);
  const conditions = input.Conditions === undefined ? undefined : parseConditions(input.Conditions);
  const actions =
    input.Actions === undefined
      ? undefined
      : parseActions(input.Actions, {
          state,
          loadBalancerArn: listener.loadBalancerArn,
          previous: rule.actions,
          path: 'actions',
        });
  if (actions !== undefined) {
    checkTargetGroupQuota(state, listener.loadBalancerArn, actions, { arn: rule.arn, actions: rule.actions });
  }
  if (conditions !== undefined) rule.conditions = conditions;
  if (actions !== undefined) state.setRuleActions(rule, actions);
  return { Rules: [renderRule(rule)] };
};

export const modifyListener = (state: Elbv2State, input: TwinInput) => {
  const listener = state.listener(requiredString(input.ListenerArn, 'listenerArn'));
  const settings = listenerSettings(input, listener);
  const clash = state
    .listenersOf(listener.loadBalancerArn)
    .some((other) => other.arn !== listener.arn && other.port === settings.port);
  if (clash) throw new TwinError('DuplicateListener', 'A listener with the specified port already exists');
  const actions =
    input.DefaultActions === undefined
      ? undefined
      : parseActions(input.DefaultActions, {
          state,
          loadBalancerArn: listener.loadBalancerArn,
          previous: listener.defaultActions,
          path: 'defaultActions',
        });
  if (actions !== undefined) {
    checkTargetGroupQuota(state, listener.loadBalancerArn, actions, {
      arn: listener.arn,
      actions: listener.defaultActions,
    });
  }
  Object.assign(listener, settings);
  if (actions !== undefined) state.setDefaultActions(listener, actions);
  return { Listeners: [renderListener(listener)] };
};
