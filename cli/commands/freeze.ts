import type { Command } from 'commander';
import { utc } from '../../ops/format';
import { freezeFleet } from '../../ops/freeze';
import { EXIT, usageError } from '../errors';
import type { Runner } from '../runner';

/** Freeze refuses manual shifts (guardrail `frozen`, forceable); automatic failovers still run. */
export const register = (program: Command, runner: Runner): void => {
  program
    .command('freeze')
    .description('refuse manual shifts until unfreeze (automatic failovers still run)')
    .requiredOption('--reason <text>', 'why (shown to whoever tries a shift)')
    .action(
      runner.action<{ reason: string }>(async (ctx, _args, options) => {
        const reason = options.reason.trim();
        if (reason === '') throw usageError('--reason: a reason is required');
        const freeze = await freezeFleet(ctx, reason, await ctx.requestedBy());
        ctx.out.line(`fleet ${ctx.config.fleet} frozen by ${freeze.by} at ${utc(freeze.at)} UTC: ${reason}`);
        ctx.out.data({ fleet: ctx.config.fleet, frozen: true, ...freeze, at: freeze.at.toISOString() });
        return EXIT.ok;
      }),
    );
};
