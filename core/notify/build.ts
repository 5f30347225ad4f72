/** Builds the started and step notifications from what Prepare stored for an execution. */
import type { Plan } from '../planner';
import { stepWeights } from '../planner';
import type { PlanMeta } from '../stored-plan';
import type { PlanSummary } from '../summary';
import { clusterShares } from '../summary';
import type {
  GateReadings,
  NotificationBase,
  ObservedShare,
  StartedNotification,
  StepNotification,
} from './model';

export interface StoredShift {
  readonly meta: PlanMeta & { readonly summary: PlanSummary };
  readonly plan: Plan;
}

const base = (fleet: string, meta: PlanMeta): NotificationBase => ({
  fleet,
  executionId: meta.executionId,
  action: meta.action,
  ...(meta.cluster === undefined ? {} : { cluster: meta.cluster }),
  requestedBy: meta.requestedBy,
  reason: meta.reason,
});

/** Each cluster's mean weight share over the changing routes after step `index` (-1: before any). */
const sharesAt = (plan: Plan, clusters: readonly string[], index: number) =>
  clusterShares(
    plan.routes.map((r) => ({ route: r.route, weights: stepWeights(plan, r, index) })),
    clusters,
  );

export const startedNotification = (
  fleet: string,
  clusters: readonly string[],
  { meta, plan }: StoredShift,
): StartedNotification => ({
  ...base(fleet, meta),
  kind: 'started',
  plan: {
    steps: plan.steps,
    bakeSeconds: plan.bakeSeconds,
    pauseBeforeSteps: plan.pauseBeforeSteps,
    routesChanging: plan.routes.length,
    routesUnchanged: plan.unchanged,
    held: plan.held.map((h) => ({ name: h.name, reason: h.reason })),
    forced: meta.forced.map((v) => v.guardrail),
    sharesBefore: sharesAt(plan, clusters, -1),
    sharesTarget: sharesAt(plan, clusters, plan.steps.length - 1),
    routes: meta.summary.routes.map((r) => ({
      name: r.name,
      before: r.before,
      after: r.steps.at(-1) ?? r.before,
    })),
    routesOmitted: meta.summary.routesOmitted,
  },
});

export interface StepReadings {
  readonly observed: ObservedShare;
  readonly gates: GateReadings;
  /** The highest step index an operator has approved (-1: none). */
  readonly approvedThroughStep: number;
}

export const stepNotification = (
  fleet: string,
  clusters: readonly string[],
  { meta, plan }: StoredShift,
  stepIndex: number,
  readings: StepReadings,
): StepNotification => {
  const next = stepIndex + 1;
  return {
    ...base(fleet, meta),
    kind: 'step',
    step: { index: stepIndex, total: plan.steps.length, fraction: plan.steps[stepIndex] ?? 1 },
    bakeSeconds: plan.bakeSeconds,
    shares: sharesAt(plan, clusters, stepIndex),
    observed: readings.observed,
    gates: readings.gates,
    nextStepAwaitsApproval:
      next < plan.steps.length && plan.pauseBeforeSteps.includes(next) && readings.approvedThroughStep < next,
  };
};
