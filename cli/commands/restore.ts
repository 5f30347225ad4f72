import type { Command } from 'commander';
import type { Runner } from '../runner';
import { type StartOptions, startShiftCommand, withStartOptions } from '../start-shift';

const DESCRIPTION = 'return a drained cluster to its recorded baseline, step by step';

export const register = (program: Command, runner: Runner): void => {
  withStartOptions(
    program.command('restore').description(DESCRIPTION).argument('<cluster>', 'the cluster to restore'),
  ).action(
    runner.action<StartOptions>((ctx, [cluster], options) =>
      startShiftCommand(ctx, 'restore', cluster, options),
    ),
  );
};
