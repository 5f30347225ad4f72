import type { RoutePlan } from './planner';

/**
 * Requests per minute each route recently sent to the failing cluster: the RequestCount of the
 * route's target groups of that cluster. A target group several routes forward to is counted once
 * in CloudWatch (its RequestCount is per target group and load balancer, not per rule), so its
 * requests are split evenly between those routes rather than credited to each in full.
 */
export const harmByRoute = (
  routes: readonly Pick<RoutePlan, 'route'>[],
  failing: string,
  recentRequests: ReadonlyMap<string, number>,
): Map<string, number> => {
  const sharers = new Map<string, number>();
  for (const { route } of routes) {
    for (const arn of new Set(
      route.targets.filter((t) => t.cluster === failing).map((t) => t.targetGroupArn),
    ))
      sharers.set(arn, (sharers.get(arn) ?? 0) + 1);
  }
  return new Map(
    routes.map(({ route }) => {
      const arns = new Set(route.targets.filter((t) => t.cluster === failing).map((t) => t.targetGroupArn));
      let harm = 0;
      for (const arn of arns) {
        const requests = recentRequests.get(arn) ?? 0;
        // A negative or non-finite figure is no traffic we could read: it must not jump the queue.
        if (Number.isFinite(requests) && requests > 0) harm += requests / (sharers.get(arn) ?? 1);
      }
      return [route.id, harm];
    }),
  );
};

/**
 * A failover's write order: the routes that send the failing cluster the most requests first, so
 * the fewest requests reach it while ELBv2's mutating bucket (3 writes a second) works through the
 * rest. Ties (and routes with no traffic) keep the order they were discovered in.
 */
export const orderByHarm = <T extends Pick<RoutePlan, 'route'>>(
  routes: readonly T[],
  failing: string,
  recentRequests: ReadonlyMap<string, number>,
): T[] => {
  const harm = harmByRoute(routes, failing, recentRequests);
  return routes
    .map((routePlan, index) => ({ routePlan, index, harm: harm.get(routePlan.route.id) ?? 0 }))
    .sort((a, b) => b.harm - a.harm || a.index - b.index)
    .map(({ routePlan }) => routePlan);
};
