import type { Command } from 'commander';
import { utc } from '../../ops/format';
import { unfreezeFleet } from '../../ops/freeze';
import { EXIT } from '../errors';
import type { Runner } from '../runner';

export const register = (program: Command, runner: Runner): void => {
  program
    .command('unfreeze')
    .description('allow manual shifts again')
    .action(
      runner.action(async (ctx) => {
        const previous = await unfreezeFleet(ctx);
        ctx.out.line(
          previous === undefined
            ? `fleet ${ctx.config.fleet} was not frozen`
            : `fleet ${ctx.config.fleet} unfrozen (was frozen by ${previous.by} since ${utc(previous.at)} UTC: ${previous.reason})`,
        );
        ctx.out.data({ fleet: ctx.config.fleet, frozen: false, previous: previous ?? null });
        return EXIT.ok;
      }),
    );
};
