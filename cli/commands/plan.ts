import type { Command } from 'commander';
import { ACTIONS, type Action } from '../../core/request';
import { planLocally } from '../../ops/plan';
import { planJson, renderPlan } from '../../ops/plan-view';
import { EXIT, usageError } from '../errors';
import type { Runner } from '../runner';
import { buildShiftRequest, SHIFT_OPTION_HELP, type ShiftOptions } from '../shift-request';

/**
 * `plan <action> [cluster]`: the plan and guardrail verdict, computed here over the live weights
 * with core's planner (see local-plan.ts for why not a dry-run execution). Writes nothing.
 * Exit 1 when the workflow would refuse it.
 */
export const register = (program: Command, runner: Runner): void => {
  program
    .command('plan')
    .description('dry run: every route’s weights per step, and the guardrails’ verdict (writes nothing)')
    .argument('<action>', `one of ${ACTIONS.join(', ')}`)
    .argument('[cluster]', 'the cluster to drain, restore or fail over')
    .option('--weights <split>', 'shift only: percent per cluster, e.g. blue=20,green=80')
    .option(...SHIFT_OPTION_HELP.force)
    .option(...SHIFT_OPTION_HELP.steps)
    .option(...SHIFT_OPTION_HELP.bake)
    .option(...SHIFT_OPTION_HELP.pauseBefore)
    .action(
      runner.action<ShiftOptions>(async (ctx, [action, cluster], options) => {
        if (!ACTIONS.includes(action as Action)) {
          throw usageError(`unknown action "${action}" (one of ${ACTIONS.join(', ')})`);
        }
        const request = buildShiftRequest(ctx, action as Action, cluster, {
          ...options,
          reason: 'clustershift plan',
          dryRun: true,
        });
        const local = await planLocally(ctx, request);
        const clusters = ctx.config.clusters.map((c) => c.name);
        ctx.out.lines(renderPlan(local, clusters));
        ctx.out.data(planJson(local, clusters));
        return local.refused ? EXIT.failed : EXIT.ok;
      }),
    );
};
