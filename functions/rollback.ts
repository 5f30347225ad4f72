import * as z from 'zod/mini';
import { applyWeights, readWeights } from '../aws/elbv2';
import { isClusterShiftError } from '../core/errors';
import { rollbackChanges } from '../core/execution';
import type { RollbackMode } from '../core/metrics';
import { now } from './shared/clock';
import { taskHandler } from './shared/handler';
import { logger } from './shared/logger';
import { recordRollback } from './shared/metrics';
import { findStoredPlan } from './shared/plan';
import { caughtError, count, executionId } from './shared/schemas';

const rollbackEvent = z.object({
  executionId,
  error: caughtError,
  // Set by the workflow when it invokes again a rollback the previous invocation could not finish.
  restoredBefore: z.optional(count()),
  invocation: z.optional(count()),
});

/**
 * Routes named in `leftAsFound` at most: the report is the task's output and a history entry, and
 * both must stay small whatever the fleet size (256 KB per state, 400 KB per DynamoDB item).
 */
export const LEFT_AS_FOUND_NAMED = 20;

/**
 * After a failure: every route this execution wrote goes back to its snapshot (the weights read
 * when the shift was planned). A route someone else changed meanwhile is left as found and named.
 * With `onFailure: hold` (always for a failover: never send traffic back to a sick cluster), when
 * another execution now holds the lock, or when the lock was released because this execution was
 * stopped, nothing is written and the state is reported.
 * A rollback over more routes than one invocation can write (ELBv2's mutating bucket, the 5-minute
 * timeout) returns `done: false` with what it restored so far, and the workflow invokes it again:
 * the routes already back at their snapshot are skipped.
 */
/** What the rollback did; every field always present (the workflow's ResultSelector picks them). */
interface RollbackReport {
  mode: RollbackMode;
  reason: string;
  appliedStepIndex: number;
  restored: number;
  alreadyAtSnapshot: number;
  /** The first LEFT_AS_FOUND_NAMED of them; `leftAsFoundCount` says how many there are. */
  leftAsFound: string[];
  leftAsFoundCount: number;
  /** False when routes are left to restore: the workflow invokes the rollback again. */
  done: boolean;
  /** Invocations of this rollback so far, this one included. */
  invocation: number;
}

const report = (fields: Partial<RollbackReport> & Pick<RollbackReport, 'mode'>): RollbackReport => ({
  reason: '',
  appliedStepIndex: -1,
  restored: 0,
  alreadyAtSnapshot: 0,
  leftAsFound: [],
  leftAsFoundCount: fields.leftAsFound?.length ?? 0,
  done: true,
  invocation: 1,
  ...fields,
  ...(fields.leftAsFound === undefined
    ? {}
    : { leftAsFound: fields.leftAsFound.slice(0, LEFT_AS_FOUND_NAMED) }),
});

export const handler = taskHandler(
  rollbackEvent,
  async (event, { config, store }): Promise<RollbackReport> => {
    const stored = await findStoredPlan(store, event.executionId);
    if (stored === undefined) {
      recordRollback('nothing-written');
      return report({ mode: 'nothing-written', reason: 'no plan was stored' });
    }
    const { meta, plan } = stored;
    const restoredBefore = event.restoredBefore ?? 0;
    const invocation = event.invocation ?? 0;
    const at = now();
    const record = async (result: RollbackReport) => {
      recordRollback(result.mode);
      await store.appendHistoryStep(event.executionId, {
        kind: 'rollback',
        at: at.toISOString(),
        cause: event.error.Error,
        ...result,
      });
      return result;
    };

    if (meta.onFailure === 'hold') {
      return record(
        report({ mode: 'hold', reason: 'onFailure is hold', appliedStepIndex: meta.appliedStepIndex }),
      );
    }
    try {
      await store.renewLock(event.executionId, at, config.lock.leaseSeconds);
    } catch (error) {
      if (!isClusterShiftError(error) || error.name !== 'LockLost') throw error;
      const holder = await store.getLock();
      if (holder !== undefined && holder.expiresAt > at.getTime() / 1000) {
        logger.warn('rollback skipped: another shift owns the fleet', { holder });
        return record(
          report({
            mode: 'skipped',
            reason: `the lock is held by ${holder.executionId} (${holder.action}), which now owns the weights`,
            appliedStepIndex: meta.appliedStepIndex,
          }),
        );
      }
      if (holder === undefined) {
        // Released, not expired: only this execution's end (its Finish, or execution-ended after a
        // stop) releases its lock, so it was stopped while this task ran. Writing now, unlocked,
        // could race whatever shift starts next; leave the weights as they are and say so.
        logger.warn('rollback skipped: the lock was released, this execution was stopped');
        return record(
          report({
            mode: 'skipped',
            reason: 'the lock was released: this execution was stopped while rolling back',
            appliedStepIndex: meta.appliedStepIndex,
          }),
        );
      }
      // The lease ran out and nobody took it: take it back for the rollback.
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

    // ApplyStep records `writing k` before any weight of step k moves: without that record the step
    // after the last applied one never started, and a route at its weights is someone else's doing.
    // No history to tell: counted as possibly written, as before the record existed.
    const [live, history] = await Promise.all([
      readWeights(plan.routes.map((r) => r.route)),
      store.getHistory(event.executionId),
    ]);
    const nextStep = meta.appliedStepIndex + 1;
    const nextStepStarted =
      history === undefined || history.steps.some((s) => s.kind === 'writing' && s.index === nextStep);
    const { changes, leftAsFound, alreadyAtSnapshot } = rollbackChanges(
      plan,
      meta.appliedStepIndex,
      live,
      nextStepStarted,
    );
    // Write-ahead, as for a step: a rollback cut short (the fleet taken by a failover halfway) still
    // leaves its writes accounted for. Once: a continuation restores the same routes.
    if (changes.length > 0 && invocation === 0) {
      await store.appendHistoryStep(event.executionId, {
        kind: 'rollback-writing',
        at: at.toISOString(),
        routes: changes.length,
      });
    }
    // The failover that preempts a shift may take the fleet while this runs: check before each write.
    const result = await applyWeights(changes, undefined, {
      beforeEachWrite: () => store.assertLockHeld(event.executionId),
    });
    const restored = restoredBefore + result.written.length;
    if (result.remaining.length > 0) {
      logger.warn('rollback continues in the next invocation', {
        invocation: invocation + 1,
        restored,
        remaining: result.remaining.length,
      });
      return report({
        mode: 'rollback',
        appliedStepIndex: meta.appliedStepIndex,
        restored,
        done: false,
        invocation: invocation + 1,
      });
    }
    const done = report({
      mode: 'rollback',
      appliedStepIndex: meta.appliedStepIndex,
      restored,
      // The routes earlier invocations restored read as at their snapshot now.
      alreadyAtSnapshot: Math.max(0, alreadyAtSnapshot + result.alreadyDesired.length - restoredBefore),
      leftAsFound,
      invocation: invocation + 1,
    });
    logger.warn('rolled back', { ...done, cause: event.error.Error });
    return record(done);
  },
);
