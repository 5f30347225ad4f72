import { guardrailViolations, readPlanInputs } from '../aws/plan-inputs';
import { isForceable } from '../core/guardrail-names';
import type { Violation } from '../core/guardrails';
import { planShift } from '../core/plan-shift';
import type { Plan } from '../core/planner';
import type { ShiftRequest } from '../core/request';
import type { RouteState } from '../core/routes';
import type { ReadAccess } from './access';

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
export const planLocally = async (ctx: ReadAccess, request: ShiftRequest): Promise<LocalPlan> => {
  const { config } = ctx;
  const clients = { elbv2: ctx.clients.elbv2(), cloudwatch: ctx.clients.cloudwatch() };
  const now = await ctx.serviceNow();
  const inputs = await readPlanInputs(config, request, await ctx.store(), now, clients);
  const plan = planShift({ config, request, ...inputs });
  const checked = await guardrailViolations(config, request, plan, inputs, now, clients);
  const violations = checked.map((v) => ({
    ...v,
    forceable: isForceable(v.guardrail),
    forced: isForceable(v.guardrail) && request.force.includes(v.guardrail),
  }));
  return { request, plan, routes: inputs.routes, violations, refused: violations.some((v) => !v.forced) };
};
