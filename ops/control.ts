import { describeShift, isRunning, stopShift } from '../aws/sfn';
import type { ControlFlags } from '../aws/store';
import type { PlanMeta } from '../core/stored-plan';
import type { FleetAccess } from './access';
import { OperationRefused } from './errors';
import { targetExecution } from './executions';

/**
 * Pause, resume, approve and abort are control flags in the table (`exec#<arn>` / `control`), read
 * by the workflow's gate check every check interval; it is the workflow that holds, goes on or
 * rolls back, so every route it wrote is accounted for.
 */

export interface ControlTarget {
  readonly executionArn: string;
  /** The stored plan's meta, once Prepare has stored it. */
  readonly meta?: PlanMeta;
}

/** The running execution to act on; refuses one that has ended (its flags would do nothing). */
export const controlTarget = async (
  access: FleetAccess,
  named: string | undefined,
): Promise<ControlTarget> => {
  const executionArn = await targetExecution(access, named);
  const described = await describeShift(executionArn, access.clients.sfn());
  if (!isRunning(described.status)) {
    throw new OperationRefused(
      `execution ${executionArn} is not running (${described.status}); nothing was changed`,
    );
  }
  const stored = await (await access.store()).loadPlan<PlanMeta, unknown>(executionArn);
  return { executionArn, ...(stored === undefined ? {} : { meta: stored.meta }) };
};

/** `at its next gate check (every 30 s)`: how soon the workflow sees a flag. */
export const whenSeen = (target: ControlTarget): string =>
  target.meta === undefined
    ? 'at its first gate check'
    : `at its next gate check (every ${target.meta.checkIntervalSeconds} s)`;

export const pauseShift = async (
  access: FleetAccess,
  target: ControlTarget,
  by: string,
): Promise<ControlFlags> =>
  (await access.store()).updateControl(target.executionArn, { paused: true, by }, access.now());

/** Clears the pause and approves the next step, so a pause-before point does not hold it again. */
export const resumeShift = async (
  access: FleetAccess,
  target: ControlTarget,
  by: string,
): Promise<{ flags: ControlFlags; approvedStep: number }> => {
  const store = await access.store();
  const current = await store.getControl(target.executionArn);
  const next = (target.meta?.appliedStepIndex ?? -1) + 1;
  const flags = await store.updateControl(
    target.executionArn,
    { paused: false, approvedThroughStep: Math.max(current.approvedThroughStep, next), by },
    access.now(),
  );
  return { flags, approvedStep: next };
};

/**
 * Approves steps up to `throughStep` (0-based; default the next step) past their pause-before
 * points; never lowers an approval.
 */
export const approveSteps = async (
  access: FleetAccess,
  target: ControlTarget,
  by: string,
  throughStep?: number,
): Promise<{ flags: ControlFlags; step: number; total: number }> => {
  if (target.meta === undefined) {
    throw new OperationRefused(
      `execution ${target.executionArn} has no plan yet (still preparing); try again shortly`,
    );
  }
  const { meta } = target;
  const step = throughStep ?? meta.appliedStepIndex + 1;
  if (step >= meta.steps.length) {
    throw new OperationRefused(
      `the plan has ${meta.steps.length} step(s); there is no step ${step + 1} to approve`,
    );
  }
  const store = await access.store();
  const current = await store.getControl(target.executionArn);
  const flags = await store.updateControl(
    target.executionArn,
    { approvedThroughStep: Math.max(current.approvedThroughStep, step), by },
    access.now(),
  );
  return { flags, step, total: meta.steps.length };
};

/**
 * Sets the abort flag: the workflow fails its next gate check with Aborted and rolls every route
 * it wrote back to its snapshot. `stop` (StopExecution) is only the escape hatch for a workflow
 * that no longer checks its gates: a stopped execution runs no rollback at all.
 */
export const abortShift = async (
  access: FleetAccess,
  target: ControlTarget,
  requestedBy: string,
  options: { reason?: string; stop?: boolean } = {},
): Promise<ControlFlags> => {
  // The store's control item has no reason field; who and why travel together in `updatedBy`.
  const by = options.reason === undefined ? requestedBy : `${requestedBy}: ${options.reason}`;
  const flags = await (await access.store()).updateControl(
    target.executionArn,
    { aborted: true, by },
    access.now(),
  );
  if (options.stop === true) {
    await stopShift(
      target.executionArn,
      { error: 'Aborted', cause: `stopped by ${by}` },
      access.clients.sfn(),
    );
  }
  return flags;
};
