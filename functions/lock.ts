import * as z from 'zod/mini';
import { now } from './shared/clock';
import { taskHandler } from './shared/handler';
import { logger } from './shared/logger';
import { loadStoredPlan } from './shared/plan';
import { executionId } from './shared/schemas';

const lockEvent = z.object({ executionId });

/**
 * Takes the fleet's lock (one shift per fleet), opens the history record, and for a drain or
 * failover records the baseline `restore` will return to (kept if one exists: a baseline lives
 * until a restore completes).
 */
export const handler = taskHandler(lockEvent, async (event, { config, store }) => {
  const { meta, plan } = await loadStoredPlan(store, event.executionId);
  const at = now();
  await store.acquireLock(
    {
      executionId: event.executionId,
      action: meta.action,
      ...(meta.cluster === undefined ? {} : { cluster: meta.cluster }),
      requestedBy: meta.requestedBy,
    },
    at,
    config.lock.leaseSeconds,
  );
  await store.startHistory({
    executionId: event.executionId,
    action: meta.action,
    ...(meta.cluster === undefined ? {} : { cluster: meta.cluster }),
    requestedBy: meta.requestedBy,
    reason: meta.reason,
    startedAt: at,
    planSummary: meta.summary,
    forced: meta.forced.map((v) => v.guardrail),
  });
  if (
    (meta.action === 'drain' || meta.action === 'failover') &&
    meta.cluster !== undefined &&
    plan.routes.length > 0
  ) {
    const recorded = await store.saveBaselineIfAbsent(
      meta.cluster,
      event.executionId,
      Object.fromEntries(plan.routes.map((r) => [r.route.id, r.from])),
      at,
    );
    logger.info(recorded ? 'baseline recorded' : 'baseline kept from an earlier drain', {
      routes: plan.routes.length,
    });
  }
  return { lockedAt: at.toISOString() };
});
