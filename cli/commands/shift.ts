import type { Command } from 'commander';
import type { Runner } from '../runner';
import { type StartOptions, startShiftCommand, withStartOptions } from '../start-shift';

export const register = (program: Command, runner: Runner): void => {
  withStartOptions(
    program
      .command('shift')
      .description('move the fleet step by step to an explicit split, e.g. --weights blue=20,green=80')
      .requiredOption('--weights <split>', 'percent per cluster, whole numbers summing to 100'),
  ).action(
    runner.action<StartOptions>((ctx, _args, options) => startShiftCommand(ctx, 'shift', undefined, options)),
  );
};
