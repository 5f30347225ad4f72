import * as z from 'zod/mini';
import { failedDrainLeavesNoBaseline } from '../core/execution';
import {
  describeEndState,
  type EndStateInput,
  endStateOf,
  type OutcomeNotification,
  renderText,
  type ShiftOutcome,
} from '../core/notification';
import { receivingClusters } from '../core/planner';
import { now } from './shared/clock';
import { taskHandler } from './shared/handler';
import { logger } from './shared/logger';
import { deliverNotification } from './shared/notify';
import { findStoredPlan } from './shared/plan';
import { caughtError, executionId } from './shared/schemas';

const finishEvent = z.object({
  executionId,
  outcome: z.enum(['SUCCEEDED', 'FAILED', 'DUPLICATE', 'SKIPPED']),
  /** DUPLICATE: the failover execution that does the work this one would have done. */
  duplicateOf: z.optional(z.string().check(z.minLength(1))),
  /** SKIPPED: why an auto-restore did not restore (not safe, or nothing to restore). */
  skipped: z.optional(z.string().check(z.minLength(1))),
  /** The workflow state at the end: carries `error` and `rollback` on the failure path. */
  state: z._default(
    z.looseObject({
      error: z.optional(caughtError),
      rollback: z.optional(z.record(z.string(), z.unknown())),
      rollbackError: z.optional(caughtError),
      action: z.optional(z.unknown()),
      cluster: z.optional(z.unknown()),
      requestedBy: z.optional(z.unknown()),
      reason: z.optional(z.unknown()),
    }),
    {},
  ),
});

const text = (value: unknown, max = 300): string | undefined =>
  typeof value === 'string' && value !== '' ? value.slice(0, max) : undefined;

/** The error message from a Catch: Lambda puts a JSON document in Cause, the local runner plain text. */
const causeMessage = (cause: unknown): string => {
  if (typeof cause !== 'string') return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause;
  } catch {
    return cause;
  }
};

/**
 * The end of every execution: releases the lock, closes the history record (opening one for a
 * request refused before it took the lock), records a completed restore or failover, notifies.
 * A DUPLICATE (an alarm's failover that found the same failover running or done) is recorded in
 * history too — every alarm that fired stays visible — but notifies only at level `all`; so does a
 * SKIPPED auto-restore (an alarm back to OK whose cluster it was not safe or not needed to restore).
 */
export const handler = taskHandler(finishEvent, async (event, { config, store }) => {
  const at = now();
  const stored = await findStoredPlan(store, event.executionId);
  const meta = stored?.meta;
  const error = event.state.error;
  const wroteAnything = meta !== undefined && meta.appliedStepIndex >= 0;
  const status: ShiftOutcome['status'] =
    event.outcome === 'SUCCEEDED' || event.outcome === 'DUPLICATE' || event.outcome === 'SKIPPED'
      ? event.outcome
      : wroteAnything || event.state.rollback
        ? 'FAILED'
        : 'REFUSED';

  if (status === 'SUCCEEDED' && meta?.cluster !== undefined && stored !== undefined) {
    if (meta.action === 'restore') await store.deleteBaseline(meta.cluster);
    // ApplyStep recorded the write; the end of a successful failover restarts the cooldown.
    if (meta.action === 'failover' && wroteAnything) {
      await store.setLastFailover({
        at: at.toISOString(),
        cluster: meta.cluster,
        executionId: event.executionId,
        receivers: [...receivingClusters(stored.plan)],
      });
    }
  }
  if (
    status === 'FAILED' &&
    meta?.cluster !== undefined &&
    failedDrainLeavesNoBaseline({
      action: meta.action,
      wroteAnything,
      ...(event.state.rollback === undefined ? {} : { rollback: event.state.rollback }),
      rollbackFailed: event.state.rollbackError !== undefined,
    }) &&
    (await store.getBaseline(meta.cluster))?.executionId === event.executionId
  ) {
    await store.deleteBaseline(meta.cluster);
  }
  const released = await store.releaseLock(event.executionId);

  // Lock opened the record; a request refused before it (invalid input, guardrail, lock held) gets
  // one here, with who asked and why. startHistory keeps an existing record as it is.
  const cluster = meta?.cluster ?? text(event.state.cluster, 40);
  await store.startHistory({
    executionId: event.executionId,
    action: meta?.action ?? text(event.state.action, 20) ?? 'unknown',
    ...(cluster === undefined ? {} : { cluster }),
    requestedBy: meta?.requestedBy ?? text(event.state.requestedBy, 200) ?? 'unknown',
    reason: meta?.reason ?? text(event.state.reason, 500) ?? '',
    startedAt: at,
    planSummary: meta?.summary ?? null,
    forced: meta?.forced.map((v) => v.guardrail) ?? [],
  });
  const errorInfo =
    error === undefined
      ? undefined
      : { name: error.Error, message: causeMessage(error.Cause).slice(0, 2_000) };
  const rollbackError = event.state.rollbackError;
  const endStateInput =
    errorInfo === undefined
      ? undefined
      : {
          errorName: errorInfo.name,
          errorMessage: errorInfo.message,
          wroteAnything,
          totalSteps: meta?.steps.length ?? 0,
          ...(event.state.rollback === undefined
            ? {}
            : { rollback: event.state.rollback as EndStateInput['rollback'] }),
          ...(rollbackError === undefined
            ? {}
            : { rollbackError: { name: rollbackError.Error, message: causeMessage(rollbackError.Cause) } }),
        };
  // What the failed execution reports as its cause: the original message and where every route is.
  const cause = endStateInput === undefined ? '' : describeEndState(endStateInput);
  await store.finishHistory(event.executionId, {
    status,
    ...(errorInfo === undefined ? {} : { error: errorInfo.name, cause }),
    finishedAt: at,
    details: {
      rollback: event.state.rollback ?? null,
      rollbackError: event.state.rollbackError ?? null,
      lockReleased: released,
      ...(event.duplicateOf === undefined ? {} : { duplicateOf: event.duplicateOf }),
      ...(event.skipped === undefined ? {} : { skipped: event.skipped }),
    },
  });

  const rollback = event.state.rollback as ShiftOutcome['rollback'] | undefined;
  const action = meta?.action ?? text(event.state.action, 20);
  const requestedBy = meta?.requestedBy ?? text(event.state.requestedBy, 200);
  const reason = meta?.reason ?? text(event.state.reason, 500);
  // A success ends at the plan's target: each cluster's share there.
  const finalShares =
    status === 'SUCCEEDED' && (meta?.summary.routesChanging ?? 0) > 0
      ? meta?.summary.steps.at(-1)?.shares
      : undefined;
  const outcome: OutcomeNotification = {
    kind: 'outcome',
    status,
    fleet: config.fleet,
    executionId: event.executionId,
    ...(action === undefined ? {} : { action }),
    ...(requestedBy === undefined ? {} : { requestedBy }),
    ...(reason === undefined ? {} : { reason }),
    ...(cluster === undefined ? {} : { cluster }),
    ...(event.duplicateOf === undefined ? {} : { duplicateOf: event.duplicateOf }),
    ...(status === 'SKIPPED' ? { skipped: event.skipped ?? 'no reason given' } : {}),
    ...(errorInfo === undefined ? {} : { error: errorInfo }),
    ...(rollback === undefined ? {} : { rollback }),
    ...(endStateInput === undefined ? {} : { endState: endStateOf(endStateInput) }),
    ...(finalShares === undefined ? {} : { shares: finalShares }),
  };
  const message = renderText(outcome);
  const notification = await deliverNotification(config, outcome);
  logger.info('shift finished', { status, lockReleased: released, error: errorInfo?.name });
  return {
    status,
    executionId: event.executionId,
    duplicateOf: event.duplicateOf ?? null,
    ...(event.skipped === undefined ? {} : { skipped: event.skipped }),
    lockReleased: released,
    message: message.text,
    cause,
    notification,
  };
});
