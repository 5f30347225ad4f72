import type { Command } from 'commander';
import type { Action } from '../core/request';
import { startShiftExecution } from '../ops/start';
import type { Context } from './context';
import { EXIT } from './errors';
import { follow } from './follow';
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
  buildShiftRequest(ctx, action, cluster, options);
  const intervalMs = parseWhole('--interval', 1)(options.interval) * 1000;
  const dryRun = options.dryRun === true;
  const request = buildShiftRequest(ctx, action, cluster, options, await ctx.requestedBy());
  const started = await startShiftExecution(ctx, request, 'cli');
  const { name } = started;
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
