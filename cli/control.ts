import type { Command } from 'commander';
import type { ControlTarget } from '../ops/control';

export const withExecutionOption = (command: Command): Command =>
  command.option('--execution <arn|name>', 'the execution (default: the one holding the fleet lock)');

export const controlJson = (target: ControlTarget, flags: object) => ({
  executionArn: target.executionArn,
  ...flags,
});
