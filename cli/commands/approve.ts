import type { Command } from 'commander';
import { approveSteps, controlTarget, whenSeen } from '../../ops/control';
import { controlJson, withExecutionOption } from '../control';
import { EXIT } from '../errors';
import { parseWhole } from '../options';
import type { Runner } from '../runner';

/** Approves steps up to one (1-based) past their pause-before points; never lowers an approval. */
export const register = (program: Command, runner: Runner): void => {
  withExecutionOption(
    program
      .command('approve')
      .description('approve the next step of a shift started with --pause-before')
      .option('--through <step>', 'approve every step up to this one (1-based; default: the next step)'),
  ).action(
    runner.action<{ execution?: string; through?: string }>(async (ctx, _args, options) => {
      const through =
        options.through === undefined ? undefined : parseWhole('--through', 1)(options.through) - 1;
      const target = await controlTarget(ctx, options.execution);
      const { flags, step, total } = await approveSteps(ctx, target, await ctx.requestedBy(), through);
      ctx.out.line(`approved through step ${step + 1} of ${total} for ${target.executionArn}`);
      ctx.out.line(`the workflow sees it ${whenSeen(target)}`);
      ctx.out.data(controlJson(target, flags));
      return EXIT.ok;
    }),
  );
};
