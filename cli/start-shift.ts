import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { startShift } from '../aws/sfn';
import type { Action } from '../core/request';
import type { Context } from './context';
import { CliError, EXIT } from './errors';
import { follow } from './follow';
import { utc } from './format';
import { parseWhole } from './options';
import { buildShiftRequest, SHIFT_OPTION_HELP, type ShiftOptions } from './shift-request';

export interface StartOptions extends ShiftOptions {
  readonly wait?: boolean;
  readonly watch?: boolean;
  readonly interval: string;
}

/** Adds the options every shift-starting command takes. */
export const withStartOptions = (command: Command): Command =>
  command
    .option('--reason <text>', 'why (required; recorded in the history)')
    .option(...SHIFT_OPTION_HELP.force)
    .option(...SHIFT_OPTION_HELP.steps)
    .option(...SHIFT_OPTION_HELP.bake)
    .option(...SHIFT_OPTION_HELP.pauseBefore)
    .option(
      '--dry-run',
      'let the workflow plan and check guardrails only, and print its plan (implies --wait)',
    )
    .option('--wait', 'wait until the execution ends; exit 1 if it did not succeed')
    .option('--watch', 'follow its progress until it ends; exit 1 if it did not succeed')
    .option('--interval <seconds>', 'seconds between progress checks with --wait/--watch', '5');

/** A readable, unique execution name: `cli-drain-blue-20261123T100000-3f9a`. */
const executionName = (action: Action, cluster: string | undefined, at: Date): string => {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, '');
  return ['cli', action, cluster, stamp, randomBytes(2).toString('hex')]
    .filter(Boolean)
    .join('-')
    .slice(0, 80);
};

/**
 * The workflow would refuse a shift while another holds the fleet (LockHeld) or the fleet is frozen
 * and `frozen` is not forced (GuardrailViolation); saying so before starting leaves no failed
 * execution behind.
 */
const refuseEarly = async (ctx: Context, force: readonly string[]): Promise<void> => {
  const store = await ctx.store();
  const [lock, freeze] = await Promise.all([store.getLock(), store.getFreeze()]);
  if (lock !== undefined && lock.expiresAt * 1000 > (await ctx.serviceNow()).getTime()) {
    const what = [lock.action, lock.cluster].filter(Boolean).join(' ');
    throw new CliError(`LockHeld: fleet ${ctx.config.fleet} is locked by ${lock.executionId}`, EXIT.failed, [
      `  ${what} by ${lock.requestedBy}, lease until ${utc(new Date(lock.expiresAt * 1000))} UTC`,
      '  nothing was started; wait for it (clustershift watch), or abort it (clustershift abort)',
    ]);
  }
  if (freeze !== undefined && !force.includes('frozen')) {
    throw new CliError(
      `frozen: fleet ${ctx.config.fleet} is frozen by ${freeze.by} since ${utc(freeze.at)} UTC`,
      EXIT.failed,
      [
        `  reason: ${freeze.reason}`,
        '  nothing was started; clustershift unfreeze, or --force frozen to shift anyway (recorded)',
      ],
    );
  }
};

/**
 * drain, restore and shift: validate locally (nothing is sent on bad input), refuse early while
 * another shift holds the fleet or it is frozen, then StartExecution with who asked; print the execution ARN and
 * optionally follow it to its end.
 */
export const startShiftCommand = async (
  ctx: Context,
  action: Action,
  cluster: string | undefined,
  options: StartOptions,
): Promise<number> => {
  // Checked first, with a stand-in for who asks: nothing is sent on bad input.
  const checked = buildShiftRequest(ctx, action, cluster, options);
  const intervalMs = parseWhole('--interval', 1)(options.interval) * 1000;
  const { stateMachineArn } = await ctx.deployment();
  const dryRun = options.dryRun === true;
  if (!dryRun) await refuseEarly(ctx, checked.force);
  const request = buildShiftRequest(ctx, action, cluster, options, await ctx.requestedBy());
  const name = executionName(action, cluster, ctx.now());
  const started = await startShift(stateMachineArn, request, name, ctx.clients.sfn());
  ctx.out.line(`started ${started.executionArn}`);

  const following = dryRun || options.wait === true || options.watch === true;
  if (!following) {
    ctx.out.line(`follow it: clustershift watch ${name}`);
    ctx.out.data({ executionArn: started.executionArn, name, input: request });
    return EXIT.ok;
  }
  return follow(ctx, started.executionArn, {
    progress: options.watch === true,
    intervalMs,
    extra: { name, input: request },
  });
};
