import type { ShiftStore } from '../../aws/store';
import { InvalidRequestError } from '../../core/errors';
import type { RoutePlan } from '../../core/planner';
import type { PlanMeta } from '../../core/stored-plan';
import { toPlan } from '../../core/stored-plan';
import type { PlanSummary } from '../../core/summary';
import { logger } from './logger';

export type StoredMeta = PlanMeta & { readonly summary: PlanSummary };

/** Loads the plan Prepare stored for this execution, or undefined when there is none. */
export const findStoredPlan = async (store: ShiftStore, executionId: string) => {
  const stored = await store.loadPlan<StoredMeta, RoutePlan>(executionId);
  if (stored === undefined) return undefined;
  logger.appendKeys({ cluster: stored.meta.cluster ?? 'all', action: stored.meta.action });
  return { meta: stored.meta, plan: toPlan(stored.meta, stored.routes) };
};

export const loadStoredPlan = async (store: ShiftStore, executionId: string) => {
  const stored = await findStoredPlan(store, executionId);
  if (stored === undefined) {
    throw new InvalidRequestError([
      { path: 'executionId', message: `no plan stored for execution ${executionId}` },
    ]);
  }
  return stored;
};
