import type { Command } from 'commander';
import { controlTarget, resumeShift, whenSeen } from '../../ops/control';
import { controlJson, withExecutionOption } from '../control';
import { EXIT } from '../errors';
import type { Runner } from '../runner';

export const register = (program: Command, runner: Runner): void => {
  withExecutionOption(
    program.command('resume').description('let a paused shift go on (also approves its next step)'),
  ).action(
    runner.action<{ execution?: string }>(async (ctx, _args, options) => {
      const target = await controlTarget(ctx, options.execution);
      const { flags, approvedStep } = await resumeShift(ctx, target, await ctx.requestedBy());
      ctx.out.line(`resume requested for ${target.executionArn} (step ${approvedStep + 1} approved)`);
      ctx.out.line(`the workflow goes on ${whenSeen(target)}`);
      ctx.out.data(controlJson(target, flags));
      return EXIT.ok;
    }),
  );
};
