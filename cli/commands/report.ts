import { join } from 'node:path';
import type { Command } from 'commander';
import { executionArnFor } from '../../core/chat/execution-ref';
import { EXIT, usageError } from '../errors';
import { parseWhole } from '../options';
import { collectReport, renderReport, writeReport } from '../report';
import type { Runner } from '../runner';

/** `report-<execution name>.html` in the current directory unless `--out` says otherwise. */
const defaultPath = (cwd: string, executionArn: string): string =>
  join(cwd, `report-${(executionArn.split(':').pop() ?? 'execution').replace(/[^A-Za-z0-9._-]/g, '_')}.html`);

/**
 * An execution ARN must be one of this fleet's state machine: the history looked up is this fleet's,
 * so another machine's execution would give a report mixing two fleets.
 */
const ownExecution = (stateMachineArn: string, named: string, stackName: string): string => {
  const executionArn = executionArnFor(stateMachineArn, named);
  if (executionArn !== undefined) return executionArn;
  throw usageError(`execution ${named} is not an execution of ${stateMachineArn}`, [
    `  name an execution of stack ${stackName}, or choose its stack with --stack / --config`,
  ]);
};

export const register = (program: Command, runner: Runner): void => {
  program
    .command('report')
    .description('write an HTML report of one execution: requests per cluster over time, steps, outcome')
    .argument('<execution>', 'execution name or ARN')
    .option('--out <file>', 'where to write the HTML file (default: report-<execution>.html)')
    .option('--period <seconds>', 'CloudWatch period of the chart, whole minutes', '60')
    .action(
      runner.action<{ out?: string; period: string }>(async (ctx, args, options) => {
        const periodSeconds = parseWhole('--period', 60)(options.period);
        const [named] = args as [string];
        const { stateMachineArn, stackName } = await ctx.deployment();
        const executionArn = ownExecution(stateMachineArn, named, stackName);
        const data = await collectReport({
          executionArn,
          store: await ctx.store(),
          sfn: ctx.clients.sfn(),
          cloudwatch: ctx.clients.cloudwatch(),
          elbv2: ctx.clients.elbv2(),
          config: ctx.config,
          now: await ctx.serviceNow(),
          periodSeconds,
        });
        const path = await writeReport(
          options.out ?? defaultPath(ctx.io.cwd ?? process.cwd(), executionArn),
          renderReport(data),
        );
        ctx.out.line(`report: ${path}`);
        ctx.out.data({ path, executionArn });
        return EXIT.ok;
      }),
    );
};
