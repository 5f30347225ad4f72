import * as z from 'zod/mini';
import { stopShift } from '../aws/sfn';
import type { Lock, ShiftStore } from '../aws/store';
import { resolveAutoRestoreLockConflict } from '../core/auto-restore';
import { ClusterShiftError, isClusterShiftError } from '../core/errors';
import { planOutdatedByFailover, resolveLockConflict, supersedingFailover } from '../core/failover';
import { isAutoRestore } from '../core/request';
import { now } from './shared/clock';
import { taskHandler } from './shared/handler';
import { logger } from './shared/logger';
import { loadStoredPlan, type StoredMeta } from './shared/plan';
import { executionId } from './shared/schemas';

const lockEvent = z.object({ executionId });

/**
 * What the workflow does next: go on (all null), end quietly (duplicateOf, or skipped: an auto-restore
 * with nothing to do), or re-plan (preempted).
 */
interface LockResult {
  lockedAt: string;
  duplicateOf: string | null;
  preempted: string | null;
  skipped: string | null;
  /** The failover (of another cluster) that wrote after this plan: plan again before writing. */
  replan: string | null;
}

const holderOf = (error: unknown): Lock | undefined => {
  if (!isClusterShiftError(error) || error.name !== 'LockHeld') return undefined;
  return error.details.holder as Lock | undefined;
};

/** LockBusy: a failover waits for the failover of another cluster (the workflow retries it). */
const waitForFailover = (why: string, fleet: string, holder: Lock, cause: unknown): ClusterShiftError =>
  new ClusterShiftError('LockBusy', `${why}: fleet ${fleet} is locked by ${holder.executionId}`, {
    cause,
    details: { holder },
  });

/** Who the lock names: this execution, what it does and who asked. */
const lockHolder = (meta: StoredMeta) => ({
  executionId: meta.executionId,
  action: meta.action,
  ...(meta.cluster === undefined ? {} : { cluster: meta.cluster }),
  requestedBy: meta.requestedBy,
});

/**
 * Takes the lock from the manual execution, then stops it (best effort: if the stop fails, it halts
 * with LockLost at its next gate or write, and its rollback skips because the lock is not its own),
 * and closes its history as PREEMPTED.
 */
const preempt = async (
  store: ShiftStore,
  meta: StoredMeta,
  victim: string,
  at: Date,
  leaseSeconds: number,
) => {
  const cause = `preempted by failover ${meta.executionId}`;
  // The lock first: from then on every write the victim tries is refused (its writes check the
  // lock), even one from a task that was already running when it is stopped.
  await store.preemptLock(lockHolder(meta), victim, at, leaseSeconds);
  try {
    await stopShift(victim, { error: 'Preempted', cause });
  } catch (error) {
    logger.warn('could not stop the preempted execution; it halts at its next lock check', {
      victim,
      error: (error as Error).message,
    });
  }
  // Only a record still RUNNING is closed: a victim already in its Finish has recorded what it did
  // to the weights, and that stays (conditional, so a Finish writing at this moment is not undone).
  const closed = await store.finishHistoryIfRunning(victim, {
    status: 'PREEMPTED',
    error: 'Preempted',
    cause,
    finishedAt: at,
  });
  if (closed === 'closed') {
    await store.appendHistoryStep(victim, { kind: 'preempted', at: at.toISOString(), by: meta.executionId });
  }
  logger.warn('preempted a manual shift', { victim });
};

/**
 * Takes the fleet's lock (one shift per fleet), opens the history record, and for a drain or
 * failover records the baseline `restore` will return to (kept if one exists: a baseline lives
 * until a restore completes). A failover that finds the lock held ends quietly behind a failover
 * of the same cluster, or preempts a manual shift and asks to be re-planned from the live weights.
 */
export const handler = taskHandler(lockEvent, async (event, { config, store }): Promise<LockResult> => {
  const { meta, plan } = await loadStoredPlan(store, event.executionId);
  const at = now();
  const result: LockResult = {
    lockedAt: at.toISOString(),
    duplicateOf: null,
    preempted: null,
    skipped: null,
    replan: null,
  };
  const autoRestore = isAutoRestore({ action: meta.action, requestedBy: meta.requestedBy });
  try {
    await store.acquireLock(
      lockHolder({ ...meta, executionId: event.executionId }),
      at,
      config.lock.leaseSeconds,
    );
  } catch (error) {
    const holder = holderOf(error);
    if (holder === undefined) throw error;
    if (autoRestore) {
      const quiet = resolveAutoRestoreLockConflict(meta.cluster, holder);
      if (quiet.kind === 'refuse') throw error;
      logger.info('the lock is held: auto-restore ending quietly', { holder: holder.executionId });
      return quiet.kind === 'duplicate'
        ? { ...result, duplicateOf: quiet.of }
        : { ...result, skipped: quiet.why };
    }
    const conflict = resolveLockConflict(
      {
        action: meta.action,
        ...(meta.cluster === undefined ? {} : { cluster: meta.cluster }),
        alreadyPreempted: meta.preempted !== undefined,
      },
      holder,
    );
    if (conflict.kind === 'refuse') throw error;
    if (conflict.kind === 'wait') {
      // Two clusters sick at once: the second failover waits its turn (the workflow retries
      // LockBusy) rather than give up and leave its cluster serving.
      throw waitForFailover(conflict.why, config.fleet, holder, error);
    }
    if (conflict.kind === 'duplicate') {
      logger.info('the same failover is running: ending quietly', { duplicateOf: conflict.of });
      return { ...result, duplicateOf: conflict.of };
    }
    try {
      await preempt(
        store,
        { ...meta, executionId: event.executionId },
        conflict.victim,
        at,
        config.lock.leaseSeconds,
      );
    } catch (preemptError) {
      // Another failover preempted the same shift a moment before: wait for it, as above.
      const winner = holderOf(preemptError);
      if (winner?.action !== 'failover') throw preemptError;
      throw waitForFailover(
        `a failover of ${winner.cluster} took the fleet first`,
        config.fleet,
        winner,
        preemptError,
      );
    }
    return { ...result, preempted: conflict.victim };
  }

  // The lock was free because a failover of the same cluster had just finished: its work is done.
  const lastFailover = meta.action === 'failover' ? await store.getLastFailover() : undefined;
  const superseding = supersedingFailover({
    action: meta.action,
    ...(meta.cluster === undefined ? {} : { cluster: meta.cluster }),
    executionId: event.executionId,
    plannedAt: meta.createdAt,
    ...(lastFailover === undefined ? {} : { lastFailover }),
  });
  if (superseding !== undefined) {
    await store.releaseLock(event.executionId);
    logger.info('a failover of the same cluster wrote after this plan: ending quietly', {
      duplicateOf: superseding,
    });
    return { ...result, duplicateOf: superseding };
  }

  // It waited for a failover of another cluster, which moved the weights this plan started from.
  const outdatedBy = planOutdatedByFailover({
    action: meta.action,
    ...(meta.cluster === undefined ? {} : { cluster: meta.cluster }),
    plannedAt: meta.createdAt,
    ...(lastFailover === undefined ? {} : { lastFailover }),
  });
  if (outdatedBy !== undefined) {
    logger.info('a failover of another cluster wrote after this plan: planning again', { outdatedBy });
    return { ...result, replan: outdatedBy };
  }

  // Another auto-restore of the same cluster finished between this one's plan and now: done already.
  if (autoRestore && (await store.getBaseline(meta.cluster ?? '')) === undefined) {
    await store.releaseLock(event.executionId);
    const skipped = `no baseline for ${meta.cluster} any more: it was restored after this plan`;
    logger.info('auto-restore skipped: ending quietly', { skipped });
    return { ...result, skipped };
  }

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
  if (meta.preempted !== undefined) {
    await store.appendHistoryStep(event.executionId, {
      kind: 'preempted',
      at: at.toISOString(),
      victim: meta.preempted,
    });
  }
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
  return result;
});
