import { CHAT_COMMANDS, type ChatCommandName } from '../chat-commands';
import { type Block, context, escapeMrkdwn, section } from './blocks';
import { COMMAND_USAGE, EXAMPLES, SHIFT_OPTION_USAGE } from './usage';

export interface HelpOptions {
  /** The slash command as the Slack app names it. */
  readonly slashCommand?: string;
  /** What this user may run; every command is listed, these are marked. */
  readonly allowed?: readonly ChatCommandName[];
  /** A line shown first (why help is shown: an unknown command, say). Plain text; it is escaped. */
  readonly note?: string;
}

/** ✓ or ✗ before a command when the user's list is known. */
const mark = (command: ChatCommandName, allowed?: readonly ChatCommandName[]): string =>
  allowed === undefined ? '' : allowed.includes(command) ? '✓ ' : '✗ ';

const line = (slash: string, command: ChatCommandName, allowed?: readonly ChatCommandName[]): string => {
  const { usage, does } = COMMAND_USAGE[command];
  return `${mark(command, allowed)}\`${escapeMrkdwn(`${slash} ${usage}`)}\` — ${escapeMrkdwn(does)}`;
};

/** The help text as mrkdwn sections (each within Slack's 3,000 characters). */
export const helpBlocks = (options: HelpOptions = {}): Block[] => {
  const slash = options.slashCommand ?? '/clustershift';
  const { allowed } = options;
  return [
    ...(options.note === undefined ? [] : [section(escapeMrkdwn(options.note))]),
    section(['*Commands*', ...CHAT_COMMANDS.map((command) => line(slash, command, allowed))].join('\n')),
    section(
      [
        '*Options* (plan, drain, restore, shift)',
        ...SHIFT_OPTION_USAGE.map(([option, does]) => `\`${escapeMrkdwn(option)}\` — ${escapeMrkdwn(does)}`),
        'Quote text with "…" or \'…\'; `--` ends the options.',
      ].join('\n'),
    ),
    section(
      ['*Examples*', ...EXAMPLES.map((example) => `\`${escapeMrkdwn(`${slash} ${example}`)}\``)].join('\n'),
    ),
    ...(allowed === undefined
      ? []
      : [context([`You may run: ${allowed.length === 0 ? 'nothing' : allowed.join(', ')} (✓ above).`])]),
  ];
};

/** The same as plain text (the generic webhook's reply, a message's fallback). */
export const helpText = (options: HelpOptions = {}): string => {
  const slash = options.slashCommand ?? '/clustershift';
  const { allowed } = options;
  return [
    ...(options.note === undefined ? [] : [options.note, '']),
    'Commands:',
    ...CHAT_COMMANDS.map(
      (command) =>
        `  ${mark(command, allowed)}${slash} ${COMMAND_USAGE[command].usage} — ${COMMAND_USAGE[command].does}`,
    ),
    'Options (plan, drain, restore, shift):',
    ...SHIFT_OPTION_USAGE.map(([option, does]) => `  ${option} — ${does}`),
    'Examples:',
    ...EXAMPLES.map((example) => `  ${slash} ${example}`),
    ...(allowed === undefined
      ? []
      : [`You may run: ${allowed.length === 0 ? 'nothing' : allowed.join(', ')}`]),
  ].join('\n');
};
