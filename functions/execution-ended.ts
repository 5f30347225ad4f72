import * as z from 'zod/mini';
import type { FleetConfig } from '../core/config';
import type { OutcomeNotification } from '../core/notification';
import { now } from './shared/clock';
import { taskHandler } from './shared/handler';
import { logger } from './shared/logger';
import { type DeliveryResult, deliverNotification } from './shared/notify';
import { findStoredPlan } from './shared/plan';

/** The statuses this handler cleans up after; the rule matches only these, others are ignored. */
const ENDED_OUTSIDE_CATCH = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;
type EndedStatus = (typeof ENDED_OUTSIDE_CATCH)[number];

const optionalText = z.optional(z.nullable(z.string()));

/**
 * EventBridge's "Step Functions Execution Status Change" event. Loose objects: AWS adds fields to
 * its events (redrive*, inputDetails …) and this handler needs only these.
 */
const executionStatusChange = z.looseObject({
  source: z.literal('aws.states'),
  'detail-type': z.literal('Step Functions Execution Status Change'),
  time: z.string(),
  detail: z.looseObject({
    executionArn: z.string().check(z.minLength(1)),
    stateMachineArn: z.string().check(z.minLength(1)),
    name: z.string(),
    status: z.string().check(z.minLength(1)),
    error: optionalText,
    cause: optionalText,
  }),
});

const isEndedStatus = (status: string): status is EndedStatus =>
  (ENDED_OUTSIDE_CATCH as readonly string[]).includes(status);

/** `arn:…:stateMachine:clustershift-<fleet>`: the workflow of this fleet (the name is fixed by infra). */
const isThisFleetsWorkflow = (stateMachineArn: string, config: FleetConfig): boolean =>
  stateMachineArn.endsWith(`:stateMachine:clustershift-${config.fleet}`);

// Long enough for a Step Functions cause to be useful in history, short enough for the item.
const CAUSE_LIMIT = 2_000;

export interface ExecutionEndedResult {
  readonly outcome: 'cleaned-up' | 'nothing-to-do' | 'ignored';
  readonly executionArn: string;
  readonly status: string;
  readonly lockReleased: boolean;
  readonly historyClosed: boolean;
  readonly notification: DeliveryResult;
  readonly note?: string;
}

/**
 * Cleans up after an execution that failed, timed out or was stopped without running its own Finish
 * (a state's timeout, StopExecution, a failure in Finish itself): releases the fleet lock if that
 * execution still holds it, closes its history record if still RUNNING, and notifies. An execution
 * that ended through Finish left nothing behind, so nothing is done or sent; a repeated event finds
 * nothing left to do either (idempotent).
 */
export const handler = taskHandler(executionStatusChange, async (event, { config, store }) => {
  const { executionArn, stateMachineArn, status } = event.detail;
  logger.appendKeys({ execution: executionArn });
  const nothing = {
    lockReleased: false,
    historyClosed: false,
    notification: { attempted: false, delivered: false },
  };
  if (!isEndedStatus(status) || !isThisFleetsWorkflow(stateMachineArn, config)) {
    const note = isEndedStatus(status)
      ? `state machine ${stateMachineArn} is not this fleet's workflow`
      : `status ${status} needs no cleanup`;
    logger.info('execution status change ignored', { status, note });
    return { outcome: 'ignored', executionArn, status, ...nothing, note } satisfies ExecutionEndedResult;
  }

  // Conditional delete: releases only if this execution still holds the lock, so a failover that
  // preempted it (and holds the lock now) is never touched.
  const lockReleased = await store.releaseLock(executionArn);
  const history = await store.getHistory(executionArn);
  const historyClosed = history?.status === 'RUNNING';
  const awsCause = event.detail.cause ?? undefined;
  if (historyClosed) {
    const summary = `ended outside its own catch (${status}): ${lockReleased ? 'lock released' : 'lock not held'}`;
    await store.finishHistory(executionArn, {
      status,
      error: event.detail.error ?? status,
      cause: (awsCause === undefined || awsCause === '' ? summary : `${summary}; ${awsCause}`).slice(
        0,
        CAUSE_LIMIT,
      ),
      finishedAt: now(),
      details: { lockReleased, closedBy: 'execution-ended', eventTime: event.time },
    });
  }
  // A failover preempted it: the lock and the history are the failover's doing, but nobody has
  // told the channel that this shift ended, and the stop skipped its own Finish.
  const preempted = history?.status === 'PREEMPTED' && status === 'ABORTED';
  if (!lockReleased && !historyClosed && !preempted) {
    logger.info('execution ended with nothing left to clean up', { status });
    return { outcome: 'nothing-to-do', executionArn, status, ...nothing } satisfies ExecutionEndedResult;
  }

  const stored = await findStoredPlan(store, executionArn);
  const written =
    stored === undefined
      ? undefined
      : { steps: stored.meta.appliedStepIndex + 1, of: stored.meta.steps.length };
  const notification = await deliverNotification(
    config,
    outcomeOf(config, {
      executionArn,
      status,
      lockReleased,
      history,
      awsCause: preempted ? (history?.cause ?? awsCause) : awsCause,
      written,
      preempted,
    }),
  );
  logger.info('cleaned up after an execution that ended outside its own catch', {
    status,
    lockReleased,
    historyClosed,
  });
  return {
    outcome: 'cleaned-up',
    executionArn,
    status,
    lockReleased,
    historyClosed,
    notification,
  } satisfies ExecutionEndedResult;
});

interface Ended {
  readonly executionArn: string;
  readonly status: EndedStatus;
  readonly lockReleased: boolean;
  readonly history: { action: string; cluster?: string; requestedBy: string; reason: string } | undefined;
  readonly awsCause: string | undefined;
  /** Steps whose weights were written, from the stored plan; unknown without one. */
  readonly written: { readonly steps: number; readonly of: number } | undefined;
  /** Stopped by a failover that took the lock (and now owns the weights). */
  readonly preempted: boolean;
}

/** Where the routes were left: what an operator has to decide on first. */
const whereRoutesAre = (written: Ended['written']): string => {
  if (written === undefined) return 'no plan was stored, so no weights were written';
  if (written.steps <= 0) return 'no weights were written';
  return (
    `weights were written through step ${written.steps} of ${written.of} and not rolled back ` +
    '(a step can be partly written): check the history and the load balancer'
  );
};

const outcomeOf = (config: FleetConfig, ended: Ended): OutcomeNotification => ({
  kind: 'outcome',
  status: 'FAILED',
  fleet: config.fleet,
  executionId: ended.executionArn,
  ...(ended.history === undefined
    ? {}
    : { action: ended.history.action, requestedBy: ended.history.requestedBy, reason: ended.history.reason }),
  ...(ended.history?.cluster === undefined ? {} : { cluster: ended.history.cluster }),
  error: ended.preempted
    ? {
        name: 'Preempted',
        message:
          `${ended.awsCause ?? 'a failover stopped it and took the lock'}; the failover re-planned from the ` +
          `live weights and owns them now; ${whereRoutesAre(ended.written)}.`,
      }
    : {
        name: ended.status,
        message:
          `the execution ended outside its own catch${ended.awsCause ? ` (${ended.awsCause.slice(0, 500)})` : ''}; ` +
          `${ended.lockReleased ? 'its lock was released' : 'it did not hold the lock'}; ${whereRoutesAre(ended.written)}.`,
      },
});
