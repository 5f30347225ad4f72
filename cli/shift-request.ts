import type { Action, ShiftRequest } from '../core/request';
import { validateShiftRequest } from '../core/request';
import type { Context } from './context';
import { parseList, parseStepNumbers, parseSteps, parseWeights, parseWhole } from './options';

/** Options of the commands that start (or plan) a shift, as commander hands them over. */
export interface ShiftOptions {
  readonly weights?: string;
  readonly force?: string;
  readonly reason?: string;
  readonly steps?: string;
  readonly bake?: string;
  readonly pauseBefore?: string;
  readonly dryRun?: boolean;
}

/** Stands in for who asks while the input is checked, so nothing is sent before it is valid. */
const PENDING_REQUESTER = 'cli:pending';

/**
 * The execution input from the command line, validated exactly as the workflow's Prepare will
 * (core validateShiftRequest against the fleet config). Throws before anything is sent.
 */
export const buildShiftRequest = (
  ctx: Context,
  action: Action,
  cluster: string | undefined,
  options: ShiftOptions,
  requestedBy = PENDING_REQUESTER,
): ShiftRequest => {
  const input = {
    action,
    ...(cluster === undefined ? {} : { cluster }),
    ...(options.weights === undefined ? {} : { weights: parseWeights(options.weights) }),
    ...(options.steps === undefined ? {} : { steps: parseSteps(options.steps) }),
    ...(options.bake === undefined ? {} : { bakeSeconds: parseWhole('--bake')(options.bake) }),
    ...(options.pauseBefore === undefined
      ? {}
      : { pauseBeforeSteps: parseStepNumbers('--pause-before')(options.pauseBefore) }),
    reason: options.reason ?? '',
    requestedBy,
    dryRun: options.dryRun === true,
    force: options.force === undefined ? [] : parseList(options.force),
  };
  return validateShiftRequest(input, ctx.config);
};

/** Options shared by plan, drain, restore and shift. */
export const SHIFT_OPTION_HELP = {
  force: ['--force <guardrails>', 'override these guardrails by name, comma-separated (recorded in history)'],
  steps: ['--steps <fractions>', 'step fractions instead of the config, e.g. 0.1,0.5,1'],
  bake: ['--bake <seconds>', 'bake time per step instead of the config'],
  pauseBefore: [
    '--pause-before <steps>',
    'wait for `clustershift approve` before these steps (1-based), e.g. 2,3',
  ],
} as const;
