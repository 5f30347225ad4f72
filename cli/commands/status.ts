import type { Command } from 'commander';
import { readStatus, renderStatus } from '../../ops/status';
import { EXIT } from '../errors';
import { parseWhole } from '../options';
import type { Runner } from '../runner';

export const register = (program: Command, runner: Runner): void => {
  program
    .command('status')
    .description('traffic share, health, alarms, lock, freeze and running shift of the fleet')
    .option('--minutes <n>', 'minutes of CloudWatch RequestCount for the observed share', '5')
    .action(
      runner.action<{ minutes: string }>(async (ctx, _args, options) => {
        const minutes = parseWhole('--minutes', 1)(options.minutes);
        const report = await readStatus(ctx, minutes);
        ctx.out.lines(renderStatus(report));
        ctx.out.data(report);
        return report.unavailable.length === 0 ? EXIT.ok : EXIT.failed;
      }),
    );
};
