/** The chat commands (Slack slash command and the generic webhook), apart so config and parser share them. */
export const CHAT_COMMANDS = [
  'status',
  'plan',
  'history',
  'help',
  'drain',
  'restore',
  'shift',
  'pause',
  'resume',
  'approve',
  'abort',
  'freeze',
  'unfreeze',
] as const;
export type ChatCommandName = (typeof CHAT_COMMANDS)[number];

/** What a user may run when the config lists no commands for them: nothing that writes. */
export const READ_ONLY_CHAT_COMMANDS = [
  'status',
  'plan',
  'history',
  'help',
] as const satisfies readonly ChatCommandName[];

/** The buttons on a progress message, each pressed for one execution. */
export const BUTTON_ACTIONS = ['pause', 'resume', 'abort', 'approve'] as const;
export type ButtonAction = (typeof BUTTON_ACTIONS)[number];

/**
 * A button's Slack `action_id` (`clustershift.pause` …); its `value` is the execution ARN. The
 * notifications that draw the buttons and the chat handler that reads them share this contract.
 */
export const buttonActionId = (action: ButtonAction): string => `clustershift.${action}`;

/**
 * The chat workers, each a function with only the clients and permissions its commands need: the
 * two that read cannot start, stop or write anything, and the one that acts cannot read a load
 * balancer. `help` is answered by the chat endpoint itself and reaches no worker.
 */
export const CHAT_WORKERS = ['status', 'plan', 'act'] as const;
export type ChatWorker = (typeof CHAT_WORKERS)[number];

const WORKER_OF: Readonly<Record<Exclude<ChatCommandName, 'help'>, ChatWorker>> = {
  status: 'status',
  history: 'status',
  plan: 'plan',
  drain: 'act',
  restore: 'act',
  shift: 'act',
  pause: 'act',
  resume: 'act',
  approve: 'act',
  abort: 'act',
  freeze: 'act',
  unfreeze: 'act',
};

/** The worker that runs a command (`help` runs in none). */
export const chatWorkerFor = (command: ChatCommandName): ChatWorker | undefined =>
  command === 'help' ? undefined : WORKER_OF[command];
