import type { Command } from 'commander';
import { EXIT, usageError } from '../errors';
import { utc } from '../format';
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
        const store = await ctx.store();
        const freeze = { reason, by: await ctx.requestedBy(), at: await ctx.serviceNow() };
        await store.setFreeze(freeze);
        ctx.out.line(`fleet ${ctx.config.fleet} frozen by ${freeze.by} at ${utc(freeze.at)} UTC: ${reason}`);
        ctx.out.data({ fleet: ctx.config.fleet, frozen: true, ...freeze, at: freeze.at.toISOString() });
        return EXIT.ok;
      }),
    );
};
