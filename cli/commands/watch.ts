import type { Command } from 'commander';
import { targetExecution } from '../../ops/executions';
import { follow } from '../follow';
import { parseWhole } from '../options';
import type { Runner } from '../runner';

/** Live progress of a shift until it ends; exit 1 if it did not succeed. */
export const register = (program: Command, runner: Runner): void => {
  program
    .command('watch')
    .description('follow a shift live: step, weights, observed traffic, gates; ends with the execution')
    .argument('[execution]', 'execution ARN or name (default: the running shift)')
    .option('--interval <seconds>', 'seconds between updates', '5')
    .action(
      runner.action<{ interval: string }>(async (ctx, [execution], options) => {
        const intervalMs = parseWhole('--interval', 1)(options.interval) * 1000;
        const executionArn = await targetExecution(ctx, execution);
        ctx.out.line(`watching ${executionArn}`);
        return follow(ctx, executionArn, { progress: true, intervalMs });
      }),
    );
};
