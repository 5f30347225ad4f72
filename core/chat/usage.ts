import type { ChatCommandName } from '../chat-commands';

/** How each chat command is typed, and what it does: shared by the help text and the parser's messages. */
export const COMMAND_USAGE: Readonly<
  Record<ChatCommandName, { readonly usage: string; readonly does: string }>
> = {
  status: { usage: 'status', does: 'where traffic is now, and the running shift' },
  plan: {
    usage: 'plan <drain|restore|failover> <cluster> [options] | plan shift <cluster=percent,…> [options]',
    does: 'the steps and the guardrails’ verdict (writes nothing)',
  },
  history: { usage: 'history [count]', does: 'past shifts, newest first (default 10, at most 50)' },
  help: { usage: 'help', does: 'this text' },
  drain: { usage: 'drain <cluster> <reason> [options]', does: 'move a cluster’s traffic to the others' },
  restore: { usage: 'restore <cluster> <reason> [options]', does: 'give a drained cluster its traffic back' },
  shift: {
    usage: 'shift <cluster=percent,…> <reason> [options]',
    does: 'move to an explicit split (percentages summing to 100)',
  },
  pause: { usage: 'pause [execution]', does: 'hold the running shift where it is' },
  resume: { usage: 'resume [execution]', does: 'let a paused shift go on' },
  approve: {
    usage: 'approve [execution]',
    does: 'approve the next step of a shift started with --pause-before',
  },
  abort: {
    usage: 'abort [execution-arn | --execution <name>] [reason]',
    does: 'stop the running shift; the workflow rolls back what it wrote',
  },
  freeze: { usage: 'freeze <reason>', does: 'refuse manual shifts until unfreeze (failovers still run)' },
  unfreeze: { usage: 'unfreeze', does: 'allow manual shifts again' },
};

/** The options of plan, drain, restore and shift, as typed in chat (the CLI's, same meaning). */
export const SHIFT_OPTION_USAGE: readonly (readonly [string, string])[] = [
  ['--force <guardrail,…>', 'override these guardrails by name (recorded in history)'],
  ['--steps <fractions>', 'step fractions instead of the config, e.g. 0.25,0.5,1'],
  ['--bake <seconds>', 'bake time per step instead of the config'],
  ['--pause-before <steps>', 'wait for approve before these steps (1-based), e.g. 2,3'],
  ['--dry-run', 'plan and check guardrails only'],
];

export const EXAMPLES: readonly string[] = [
  'drain blue upgrading to 1.31',
  'drain blue --steps 0.5,1 --bake 120 "node pool rotation"',
  'shift blue=20,green=80 canary of green',
  'plan restore blue',
  'abort errors rising',
];
