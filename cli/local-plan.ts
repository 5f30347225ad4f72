import { getAlarmStates } from '../aws/cloudwatch';
import { describeTargetHealth } from '../aws/elbv2';
import { InvalidRequestError } from '../core/errors';
import { isForceable } from '../core/guardrail-names';
import { evaluateGuardrails, type Violation } from '../core/guardrails';
import { clustersWithoutAlarm } from '../core/health';
import { buildPlan, type Plan } from '../core/planner';
import type { ShiftRequest } from '../core/request';
import type { RouteState } from '../core/routes';
import type { Context } from './context';
import { readRoutes } from './fleet';

export interface LocalPlan {
  readonly request: ShiftRequest;
  readonly plan: Plan;
  /** Every managed route with its live weights (the plan's routes and the rest). */
  readonly routes: readonly RouteState[];
  readonly violations: readonly (Violation & { forced: boolean; forceable: boolean })[];
  /** True when a violation is not forced (or cannot be): the workflow would refuse this. */
  readonly refused: boolean;
}

/**
 * The workflow's Prepare, run here and read-only: the same reads (routes, weights, health alarms,
 * target health, baseline, freeze, last failover) and the same core planner and guardrails. It
 * needs only read permissions and leaves no execution behind, and it shows every route (the
 * workflow's dry-run summary keeps 25).
 */
export const planLocally = async (ctx: Context, request: ShiftRequest): Promise<LocalPlan> => {
  const { config } = ctx;
  const store = await ctx.store();
  const healthAlarms = [...new Set(config.clusters.flatMap((c) => c.healthAlarms))];
  const [routes, alarms, baseline, freeze, lastFailover] = await Promise.all([
    readRoutes(ctx),
    getAlarmStates(healthAlarms, ctx.clients.cloudwatch()),
    request.action === 'restore' ? store.getBaseline(request.cluster ?? '') : Promise.resolve(undefined),
    store.getFreeze(),
    store.getLastFailover(),
  ]);
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
    routes,
    ...(baseline === undefined ? {} : { baseline: baseline.weightsByRoute }),
    healthyClusters: clustersWithoutAlarm(config, alarms),
  });
  const targetGroups = [...new Set(plan.routes.flatMap((r) => r.route.targets.map((t) => t.targetGroupArn)))];
  const health = await describeTargetHealth(targetGroups, ctx.clients.elbv2());
  const violations = evaluateGuardrails({
    config,
    plan,
    health,
    alarms,
    automatic: request.requestedBy.startsWith('alarm:'),
    ...(freeze === undefined ? {} : { freeze }),
    ...(lastFailover === undefined ? {} : { lastFailover }),
    now: await ctx.serviceNow(),
  }).map((v) => ({
    ...v,
    forceable: isForceable(v.guardrail),
    forced: isForceable(v.guardrail) && request.force.includes(v.guardrail),
  }));
  return { request, plan, routes, violations, refused: violations.some((v) => !v.forced) };
};
