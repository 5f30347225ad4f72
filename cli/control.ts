import type { Command } from 'commander';
import { describeShift } from '../aws/sfn';
import type { PlanMeta } from '../core/stored-plan';
import type { Context } from './context';
import { CliError } from './errors';
import { targetExecution } from './executions';
import { isRunning } from './progress';

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

export const withExecutionOption = (command: Command): Command =>
  command.option('--execution <arn|name>', 'the execution (default: the one holding the fleet lock)');

/** The running execution to act on; refuses one that has ended (its flags would do nothing). */
export const controlTarget = async (ctx: Context, named: string | undefined): Promise<ControlTarget> => {
  const executionArn = await targetExecution(ctx, named);
  const described = await describeShift(executionArn, ctx.clients.sfn());
  if (!isRunning(described.status)) {
    throw new CliError(`execution ${executionArn} is not running (${described.status}); nothing was changed`);
  }
  const stored = await (await ctx.store()).loadPlan<PlanMeta, unknown>(executionArn);
  return { executionArn, ...(stored === undefined ? {} : { meta: stored.meta }) };
};

/** `within N s`: how soon the workflow sees a flag (its gate check interval). */
export const whenSeen = (target: ControlTarget): string =>
  target.meta === undefined
    ? 'at its first gate check'
    : `at its next gate check (every ${target.meta.checkIntervalSeconds} s)`;

export const controlJson = (target: ControlTarget, flags: object) => ({
  executionArn: target.executionArn,
  ...flags,
});
