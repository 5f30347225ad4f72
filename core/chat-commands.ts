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
