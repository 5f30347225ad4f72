import type { Command } from 'commander';
import { controlJson, controlTarget, whenSeen, withExecutionOption } from '../control';
import { CliError, EXIT } from '../errors';
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
      if (target.meta === undefined) {
        throw new CliError(
          `execution ${target.executionArn} has no plan yet (still preparing); try again shortly`,
        );
      }
      const { meta } = target;
      const step = through ?? meta.appliedStepIndex + 1;
      if (step >= meta.steps.length) {
        throw new CliError(
          `the plan has ${meta.steps.length} step(s); there is no step ${step + 1} to approve`,
        );
      }
      const store = await ctx.store();
      const current = await store.getControl(target.executionArn);
      const flags = await store.updateControl(
        target.executionArn,
        { approvedThroughStep: Math.max(current.approvedThroughStep, step), by: await ctx.requestedBy() },
        ctx.now(),
      );
      ctx.out.line(`approved through step ${step + 1} of ${meta.steps.length} for ${target.executionArn}`);
      ctx.out.line(`the workflow sees it ${whenSeen(target)}`);
      ctx.out.data(controlJson(target, flags));
      return EXIT.ok;
    }),
  );
};
