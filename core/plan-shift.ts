import type { FleetConfig } from './config';
import { InvalidRequestError } from './errors';
import { orderByHarm } from './harm-order';
import { clustersWithoutAlarm, healthyTargetGroups } from './health';
import { buildPlan, type Plan } from './planner';
import type { ShiftRequest } from './request';
import type { AlarmState, RouteState, TargetGroupHealth, Weights } from './routes';

/** Every target group the routes forward to, once each. */
export const targetGroupsOf = (routes: readonly Pick<RouteState, 'targets'>[]): string[] => [
  ...new Set(routes.flatMap((route) => route.targets.map((target) => target.targetGroupArn))),
];

/**
 * The target groups whose health a failover reads before planning: every one that could receive
 * traffic, i.e. of every cluster but the one failing over (its own health changes nothing: traffic
 * leaves it either way).
 */
export const failoverCandidateTargetGroups = (
  routes: readonly Pick<RouteState, 'targets'>[],
  failing: string | undefined,
): string[] => [
  ...new Set(
    routes.flatMap((route) =>
      route.targets.filter((target) => target.cluster !== failing).map((target) => target.targetGroupArn),
    ),
  ),
];

/**
 * A failover plans from its receivers' health (it hands traffic only to target groups that can take
 * it), so their health is read before planning; other shifts read only the plan's receivers after.
 */
export const needsHealthBeforePlan = (request: Pick<ShiftRequest, 'action'>): boolean =>
  request.action === 'failover';

export interface ShiftPlanInput {
  readonly config: FleetConfig;
  readonly request: ShiftRequest;
  readonly routes: readonly RouteState[];
  readonly alarms: ReadonlyMap<string, AlarmState>;
  /** The cluster's recorded baseline (restore only). */
  readonly baseline?: { readonly weightsByRoute: Readonly<Record<string, Weights>> };
  /** Target health read before planning (a failover's; see needsHealthBeforePlan). */
  readonly health?: ReadonlyMap<string, TargetGroupHealth>;
  /**
   * A failover's recent requests per minute to each target group of the failing cluster (one
   * CloudWatch round): its writes go busiest route first. Absent: the discovery order.
   */
  readonly recentRequests?: ReadonlyMap<string, number>;
}

/**
 * The plan the workflow's Prepare makes, and the CLI's `plan` shows: a restore needs its baseline;
 * a failover hands traffic only to clusters whose health alarms are quiet and to target groups
 * healthy enough to receive, and writes the routes that send the failing cluster most requests first.
 */
export const planShift = (input: ShiftPlanInput): Plan => {
  const { config, request, baseline, health } = input;
  if (request.action === 'restore' && baseline === undefined) {
    throw new InvalidRequestError([
      {
        path: 'cluster',
        message: `no baseline recorded for ${request.cluster}: it was not drained by clustershift (use shift with explicit weights)`,
      },
    ]);
  }
  const plan = buildPlan({
    config,
    request,
    routes: input.routes,
    ...(baseline === undefined ? {} : { baseline: baseline.weightsByRoute }),
    healthyClusters: clustersWithoutAlarm(config, input.alarms),
    ...(health !== undefined && needsHealthBeforePlan(request)
      ? { healthyTargetGroups: healthyTargetGroups(health, config.thresholds) }
      : {}),
  });
  return request.action === 'failover' && input.recentRequests !== undefined && request.cluster !== undefined
    ? { ...plan, routes: orderByHarm(plan.routes, request.cluster, input.recentRequests) }
    : plan;
};
