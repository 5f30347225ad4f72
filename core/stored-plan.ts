import type { Violation } from './guardrails';
import type { Plan, RoutePlan } from './planner';

/**
 * What the workflow keeps in DynamoDB for one execution: everything but the routes in one meta item,
 * the routes in chunks. The execution payload itself carries only ids, indexes and counters.
 */
export interface PlanMeta extends Omit<Plan, 'routes'> {
  readonly executionId: string;
  readonly reason: string;
  readonly requestedBy: string;
  readonly forced: readonly Violation[];
  readonly onFailure: 'rollback' | 'hold';
  readonly createdAt: string;
  /** Index of the last step whose weights were written (-1: none yet). */
  readonly appliedStepIndex: number;
  readonly lastWriteAt?: string;
  /** The manual execution this failover stopped and took the lock from (the plan was made after). */
  readonly preempted?: string;
  /** The time of the alarm event that started a failover (`trigger.time`): where its latency starts. */
  readonly triggeredAt?: string;
}

export const planMeta = (
  plan: Plan,
  extra: Pick<
    PlanMeta,
    | 'executionId'
    | 'reason'
    | 'requestedBy'
    | 'forced'
    | 'onFailure'
    | 'createdAt'
    | 'preempted'
    | 'triggeredAt'
  >,
): PlanMeta => {
  const { routes: _routes, ...rest } = plan;
  return { ...rest, ...extra, appliedStepIndex: -1 };
};

export const toPlan = (meta: PlanMeta, routes: readonly RoutePlan[]): Plan => ({
  action: meta.action,
  ...(meta.cluster === undefined ? {} : { cluster: meta.cluster }),
  steps: meta.steps,
  bakeSeconds: meta.bakeSeconds,
  checkIntervalSeconds: meta.checkIntervalSeconds,
  pauseBeforeSteps: meta.pauseBeforeSteps,
  routes,
  unchanged: meta.unchanged,
  held: meta.held,
});
