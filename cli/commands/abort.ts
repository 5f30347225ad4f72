import type { Command } from 'commander';
import { abortShift, controlTarget, whenSeen } from '../../ops/control';
import { controlJson, withExecutionOption } from '../control';
import { EXIT } from '../errors';
import type { Runner } from '../runner';

/**
 * Sets the abort flag: the workflow fails its next gate check with Aborted and rolls every route
 * it wrote back to its snapshot. StopExecution is only the escape hatch (`--stop`) for a workflow
 * that no longer checks its gates: a stopped execution runs no rollback at all.
 */
export const register = (program: Command, runner: Runner): void => {
  withExecutionOption(
    program
      .command('abort')
      .description('stop the running shift; the workflow rolls back what it wrote')
      .option('--reason <text>', 'why (recorded with the flag)')
      .option('--stop', 'also StopExecution at once: NO rollback, weights stay where they are'),
  ).action(
    runner.action<{ execution?: string; reason?: string; stop?: boolean }>(async (ctx, _args, options) => {
      const target = await controlTarget(ctx, options.execution);
      const flags = await abortShift(ctx, target, await ctx.requestedBy(), {
        ...(options.reason === undefined ? {} : { reason: options.reason }),
        stop: options.stop === true,
      });
      ctx.out.line(`abort requested for ${target.executionArn}`);
      ctx.out.line(
        `the workflow fails ${whenSeen(target)} and rolls back what it wrote (clustershift watch)`,
      );
      if (options.stop === true) {
        ctx.out.note('stopped with StopExecution: no rollback runs; the weights stay where they are now');
      }
      ctx.out.data(controlJson(target, { ...flags, stopped: options.stop === true }));
      return EXIT.ok;
    }),
  );
};
