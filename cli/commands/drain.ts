import type { Command } from 'commander';
import type { Runner } from '../runner';
import { type StartOptions, startShiftCommand, withStartOptions } from '../start-shift';

const DESCRIPTION =
  'move traffic off a cluster step by step (gates, bake, rollback), recording the baseline restore returns to';

export const register = (program: Command, runner: Runner): void => {
  withStartOptions(
    program.command('drain').description(DESCRIPTION).argument('<cluster>', 'the cluster to drain'),
  ).action(
    runner.action<StartOptions>((ctx, [cluster], options) =>
      startShiftCommand(ctx, 'drain', cluster, options),
    ),
  );
};
