import type { Command } from 'commander';
import { controlTarget, pauseShift, whenSeen } from '../../ops/control';
import { controlJson, withExecutionOption } from '../control';
import { EXIT } from '../errors';
import type { Runner } from '../runner';

export const register = (program: Command, runner: Runner): void => {
  withExecutionOption(
    program.command('pause').description('hold the running shift where it is (gates keep being checked)'),
  ).action(
    runner.action<{ execution?: string }>(async (ctx, _args, options) => {
      const target = await controlTarget(ctx, options.execution);
      const flags = await pauseShift(ctx, target, await ctx.requestedBy());
      ctx.out.line(`pause requested for ${target.executionArn}`);
      ctx.out.line(`the workflow holds ${whenSeen(target)}; clustershift resume lets it go on`);
      ctx.out.data(controlJson(target, flags));
      return EXIT.ok;
    }),
  );
};
