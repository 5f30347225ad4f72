import type { Command } from 'commander';
import { controlJson, controlTarget, whenSeen, withExecutionOption } from '../control';
import { EXIT } from '../errors';
import type { Runner } from '../runner';

/** Clears the pause and approves the next step, so a pause-before point does not hold it again. */
export const register = (program: Command, runner: Runner): void => {
  withExecutionOption(
    program.command('resume').description('let a paused shift go on (also approves its next step)'),
  ).action(
    runner.action<{ execution?: string }>(async (ctx, _args, options) => {
      const target = await controlTarget(ctx, options.execution);
      const store = await ctx.store();
      const current = await store.getControl(target.executionArn);
      const next = (target.meta?.appliedStepIndex ?? -1) + 1;
      const flags = await store.updateControl(
        target.executionArn,
        {
          paused: false,
          approvedThroughStep: Math.max(current.approvedThroughStep, next),
          by: await ctx.requestedBy(),
        },
        ctx.now(),
      );
      ctx.out.line(`resume requested for ${target.executionArn} (step ${next + 1} approved)`);
      ctx.out.line(`the workflow goes on ${whenSeen(target)}`);
      ctx.out.data(controlJson(target, flags));
      return EXIT.ok;
    }),
  );
};
