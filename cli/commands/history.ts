import type { Command } from 'commander';
import { renderHistory } from '../../ops/history';
import { EXIT } from '../errors';
import { parseWhole } from '../options';
import type { Runner } from '../runner';

export const register = (program: Command, runner: Runner): void => {
  program
    .command('history')
    .description('past shifts, newest first: when, who, what, outcome, steps')
    .option('--limit <n>', 'how many', '20')
    .action(
      runner.action<{ limit: string }>(async (ctx, _args, options) => {
        const limit = parseWhole('--limit', 1)(options.limit);
        const records = await (await ctx.store()).listHistory(limit);
        ctx.out.lines(renderHistory(records));
        ctx.out.data(records);
        return EXIT.ok;
      }),
    );
};
