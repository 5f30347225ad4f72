import { requiredString } from '../protocol/scalars';
import type { TwinInput } from '../service';
import { requireArnOf } from './arns';
import {
  listenerNotFound,
  loadBalancerNotFound,
  ruleNotFound,
  targetGroupNotFound,
  validation,
} from './errors';
import { exclusive, stringList } from './input';
import { page, paging } from './paging';
import {
  renderDefaultRule,
  renderListener,
  renderLoadBalancer,
  renderRule,
  renderTargetGroup,
} from './render';
import type { Elbv2State, ListenerState } from './state';

/** At most 20 names or ARNs per Describe call (AWS: "You cannot describe more than '20' … at a time"). */
const MAX_NAMED = 20;

const named = (value: unknown, path: string, what: string): string[] | undefined => {
  const items = stringList(value, path);
  if (items !== undefined && items.length > MAX_NAMED) {
    throw validation(`You cannot describe more than '${MAX_NAMED}' ${what} at a time`);
  }
  return items;
};

/** Looks up every ARN; any unknown one fails the whole call, as in AWS. */
const every = <T>(
  arns: readonly string[],
  lookup: (arn: string) => T | undefined,
  missing: () => Error,
): T[] =>
  arns.map((arn) => {
    const found = lookup(arn);
    if (found === undefined) throw missing();
    return found;
  });

export const describeLoadBalancers = (state: Elbv2State, input: TwinInput) => {
  const pages = paging(input);
  exclusive(input, ['LoadBalancerArns', 'Names']);
  const arns = named(input.LoadBalancerArns, 'loadBalancerArns', 'load balancers');
  const names = named(input.Names, 'names', 'load balancers');
  let found = [...state.loadBalancers.values()];
  if (arns !== undefined) {
    found = every(
      arns,
      (arn) => state.loadBalancers.get(requireArnOf('loadbalancer', arn)),
      () => loadBalancerNotFound(),
    );
  } else if (names !== undefined) {
    const missing = names.filter((name) => !found.some((lb) => lb.name === name));
    if (missing.length > 0) throw loadBalancerNotFound(`Load balancers '[${missing.join(', ')}]' not found`);
    found = found.filter((lb) => names.includes(lb.name));
  }
  const { items, NextMarker } = page(found, pages);
  return { LoadBalancers: items.map((lb) => renderLoadBalancer(lb)), NextMarker };
};

export const describeListeners = (state: Elbv2State, input: TwinInput) => {
  const pages = paging(input);
  exclusive(input, ['LoadBalancerArn', 'ListenerArns']);
  const arns = named(input.ListenerArns, 'listenerArns', 'listeners');
  let found: ListenerState[];
  if (arns !== undefined) {
    found = every(
      arns,
      (arn) => state.listeners.get(requireArnOf('listener', arn)),
      () => listenerNotFound(),
    );
  } else if (input.LoadBalancerArn !== undefined) {
    const lb = state.loadBalancer(requiredString(input.LoadBalancerArn, 'loadBalancerArn'));
    found = state.listenersOf(lb.arn);
  } else {
    throw validation('You must specify either listener ARNs or a load balancer ARN');
  }
  const { items, NextMarker } = page(found, pages);
  return { Listeners: items.map(renderListener), NextMarker };
};

export const describeRules = (state: Elbv2State, input: TwinInput) => {
  const pages = paging(input);
  exclusive(input, ['ListenerArn', 'RuleArns']);
  const arns = stringList(input.RuleArns, 'ruleArns');
  let rendered: ReturnType<typeof renderRule>[];
  if (arns !== undefined) {
    rendered = every(
      arns,
      (arn) => {
        requireArnOf('listener-rule', arn);
        const rule = state.rules.get(arn);
        if (rule !== undefined) return renderRule(rule);
        const listener = state.listenerOfDefaultRule(arn);
        return listener === undefined ? undefined : renderDefaultRule(listener);
      },
      () => ruleNotFound(),
    );
  } else if (input.ListenerArn !== undefined) {
    const listener = state.listener(requiredString(input.ListenerArn, 'listenerArn'));
    // By priority, the default rule last, as AWS lists them.
    rendered = [...state.rulesOf(listener.arn).map(renderRule), renderDefaultRule(listener)];
  } else {
    throw validation('You must specify either listener or rule ARNs');
  }
  const { items, NextMarker } = page(rendered, pages);
  return { Rules: items, NextMarker };
};

export const describeTargetGroups = (state: Elbv2State, input: TwinInput) => {
  const pages = paging(input);
  exclusive(input, ['LoadBalancerArn', 'TargetGroupArns', 'Names']);
  const arns = named(input.TargetGroupArns, 'targetGroupArns', 'target groups');
  const names = named(input.Names, 'names', 'target groups');
  const attached = state.attachments();
  let found = [...state.targetGroups.values()];
  if (arns !== undefined) {
    found = every(
      arns,
      (arn) => state.targetGroups.get(requireArnOf('targetgroup', arn)),
      () => targetGroupNotFound(),
    );
  } else if (names !== undefined) {
    const missing = names.filter((name) => !found.some((group) => group.name === name));
    if (missing.length > 0) throw targetGroupNotFound(`Target groups '[${missing.join(', ')}]' not found`);
    found = found.filter((group) => names.includes(group.name));
  } else if (input.LoadBalancerArn !== undefined) {
    const lb = state.loadBalancer(requiredString(input.LoadBalancerArn, 'loadBalancerArn'));
    found = found.filter((group) => attached.get(group.arn)?.includes(lb.arn) ?? false);
  }
  // By name, as AWS (and moto) list target groups.
  found = [...found].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const { items, NextMarker } = page(found, pages);
  return {
    TargetGroups: items.map((group) => renderTargetGroup(group, attached.get(group.arn) ?? [])),
    NextMarker,
  };
};
