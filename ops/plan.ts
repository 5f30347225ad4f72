import { describeTargetHealth } from '../aws/elbv2';
import { readPlanInputs } from '../aws/plan-inputs';
import { isForceable } from '../core/guardrail-names';
import { evaluateGuardrails, type Violation } from '../core/guardrails';
import { planShift, targetGroupsOf } from '../core/plan-shift';
import type { Plan } from '../core/planner';
import type { ShiftRequest } from '../core/request';
import type { RouteState } from '../core/routes';
import type { FleetAccess } from './access';

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
export const planLocally = async (ctx: FleetAccess, request: ShiftRequest): Promise<LocalPlan> => {
  const { config } = ctx;
  const elbv2 = ctx.clients.elbv2();
  const inputs = await readPlanInputs(config, request, await ctx.store(), {
    elbv2,
    cloudwatch: ctx.clients.cloudwatch(),
  });
  const { routes, alarms, freeze, lastFailover } = inputs;
  const plan = planShift({ config, request, ...inputs });
  const health =
    inputs.health ?? (await describeTargetHealth(targetGroupsOf(plan.routes.map((r) => r.route)), elbv2));
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
