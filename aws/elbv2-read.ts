import type { Action, ElasticLoadBalancingV2Client, Rule } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ClusterShiftError } from '../core/errors';
import { nameList } from '../core/name-list';
import type { Route, Weights } from '../core/routes';
import { failedAwsError } from './aws-errors';
import { mapBounded } from './bounded';
import { actionListWeights } from './elbv2-actions';
import { defaultElbv2Client, type Elbv2Options } from './elbv2-client';
import { describeRules } from './elbv2-describe';

/** A route as it is on the load balancer right now: its whole action list and the forward's weights. */
export interface LiveRoute {
  readonly actions: readonly Action[];
  readonly weights: Weights;
}

export interface ReadOptions extends Elbv2Options {
  /** Listeners read at once. */
  concurrency?: number;
}

/** The rule a route is: its own rule, or for a default action the listener's default rule. */
const routeRule = (route: Route, rules: readonly Rule[]): Rule | undefined =>
  route.kind === 'default'
    ? rules.find((rule) => rule.IsDefault === true)
    : rules.find((rule) => rule.RuleArn === route.id);

/**
 * Reads the live action lists of `routes` with one paginated DescribeRules per listener (the default
 * rule appears there too). Routes gone from the load balancer, or no longer forwarding, are reported
 * together as RouteNotFound so an operator sees every one at once.
 */
export const readLiveRoutes = async (
  routes: readonly Route[],
  client: ElasticLoadBalancingV2Client = defaultElbv2Client(),
  options: ReadOptions = {},
): Promise<Map<string, LiveRoute>> => {
  const byListener = new Map<string, Route[]>();
  for (const route of routes) {
    const listed = byListener.get(route.listenerArn);
    if (listed === undefined) byListener.set(route.listenerArn, [route]);
    else listed.push(route);
  }

  const rulesPerListener = await mapBounded(
    [...byListener.keys()],
    options.concurrency ?? 4,
    async (listenerArn) => {
      try {
        return await describeRules(client, listenerArn, options.retry);
      } catch (error) {
        // A deleted listener takes its routes with it: that is a missing route, not a failed call.
        if (failedAwsError(error) === 'ListenerNotFound') return [];
        throw error;
      }
    },
  );

  const live = new Map<string, LiveRoute>();
  const missing: Route[] = [];
  [...byListener.values()].forEach((listenerRoutes, index) => {
    const rules = rulesPerListener[index] ?? [];
    for (const route of listenerRoutes) {
      const actions = routeRule(route, rules)?.Actions ?? [];
      const weights = actionListWeights(actions);
      if (weights === undefined) missing.push(route);
      else live.set(route.id, { actions, weights });
    }
  });
  if (missing.length > 0) {
    const names = missing.map((route) => route.name);
    throw new ClusterShiftError(
      'RouteNotFound',
      `${missing.length} route(s) no longer exist or no longer forward: ${nameList(names)}`,
      { details: { routes: names, ids: missing.map((route) => route.id) } },
    );
  }
  return live;
};

/** Live weights for exactly these routes, keyed by route id. */
export const readWeights = async (
  routes: readonly Route[],
  client: ElasticLoadBalancingV2Client = defaultElbv2Client(),
  options: ReadOptions = {},
): Promise<Map<string, Weights>> => {
  const live = await readLiveRoutes(routes, client, options);
  return new Map(routes.map((route) => [route.id, live.get(route.id)?.weights ?? {}]));
};
