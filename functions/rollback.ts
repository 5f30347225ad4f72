import { z } from 'zod';
import { applyWeights, readWeights } from '../aws/elbv2';
import { isClusterShiftError } from '../core/errors';
import { stepWeights } from '../core/planner';
import { sameWeights } from '../core/routes';
import { now } from './shared/clock';
import { taskHandler } from './shared/handler';
import { logger } from './shared/logger';
import { findStoredPlan } from './shared/plan';

const rollbackEvent = z.object({
  executionId: z.string().min(1),
  error: z.object({ Error: z.string(), Cause: z.unknown().optional() }).passthrough(),
});

/**
 * After a failure: every route this execution wrote goes back to its snapshot (the weights read
 * when the shift was planned). A route someone else changed meanwhile is left as found and named.
 * With `onFailure: hold` (always for a failover: never send traffic back to a sick cluster), or
 * when another execution now holds the lock, nothing is written and the state is reported.
 */
export const handler = taskHandler(rollbackEvent, async (event, { config, store }) => {
  const stored = await findStoredPlan(store, event.executionId);
  if (stored === undefined)
    return { mode: 'nothing-written', restored: 0, alreadyAtSnapshot: 0, leftAsFound: [] };
  const { meta, plan } = stored;
  const at = now();

  if (meta.onFailure === 'hold') {
    const report = {
      mode: 'hold',
      appliedStepIndex: meta.appliedStepIndex,
      restored: 0,
      alreadyAtSnapshot: 0,
      leftAsFound: [],
    };
    await store.appendHistoryStep(event.executionId, { kind: 'rollback', at: at.toISOString(), ...report });
    return report;
  }
  try {
    await store.renewLock(event.executionId, at, config.lock.leaseSeconds);
  } catch (error) {
    if (!isClusterShiftError(error) || error.name !== 'LockLost') throw error;
    const holder = await store.getLock();
    if (holder !== undefined && holder.expiresAt > at.getTime() / 1000) {
      const report = {
        mode: 'skipped',
        reason: `the lock is held by ${holder.executionId} (${holder.action})`,
        restored: 0,
        alreadyAtSnapshot: 0,
        leftAsFound: [],
      };
      await store.appendHistoryStep(event.executionId, { kind: 'rollback', at: at.toISOString(), ...report });
      logger.warn('rollback skipped: another shift owns the fleet', { holder });
      return report;
    }
    await store.acquireLock(
      {
        executionId: event.executionId,
        action: meta.action,
        requestedBy: meta.requestedBy,
        ...(meta.cluster === undefined ? {} : { cluster: meta.cluster }),
      },
      at,
      config.lock.leaseSeconds,
    );
  }

  const live = await readWeights(plan.routes.map((r) => r.route));
  const changes = [];
  const leftAsFound: { name: string; live: Record<string, number> }[] = [];
  let alreadyAtSnapshot = 0;
  // Weights this execution may have written: every step up to one past the last recorded one (a
  // step can fail halfway, before it is recorded).
  const lastPossible = Math.min(meta.appliedStepIndex + 1, plan.steps.length - 1);
  for (const routePlan of plan.routes) {
    const current = live.get(routePlan.route.id) ?? {};
    if (sameWeights(current, routePlan.from)) {
      alreadyAtSnapshot += 1;
      continue;
    }
    let ours = false;
    for (let index = 0; index <= lastPossible && !ours; index++) {
      ours = sameWeights(current, stepWeights(plan, routePlan, index));
    }
    if (ours) changes.push({ route: routePlan.route, expected: current, desired: routePlan.from });
    else leftAsFound.push({ name: routePlan.route.name, live: current });
  }
  const result = await applyWeights(changes);
  const report = {
    mode: 'rollback',
    restored: result.written.length,
    alreadyAtSnapshot: alreadyAtSnapshot + result.alreadyDesired.length,
    leftAsFound: leftAsFound.map((r) => r.name),
  };
  await store.appendHistoryStep(event.executionId, {
    kind: 'rollback',
    at: now().toISOString(),
    cause: event.error.Error,
    ...report,
  });
  logger.warn('rolled back', { ...report, cause: event.error.Error });
  return report;
});
