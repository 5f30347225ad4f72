import { CHAT_COMMANDS, type ChatCommandName } from '../chat-commands';
import type { FleetConfig } from '../config';
import { ACTIONS, type Action, type ShiftRequest, validateShiftRequest } from '../request';
import {
  type ChatShiftOptions,
  CONTROL_OPTIONS,
  clusterName,
  executionRef,
  looksLikeWeights,
  parseWeights,
  SHIFT_OPTIONS,
  type SplitArguments,
  shiftOptionsOf,
  splitArguments,
} from './options';
import { codePointName, EXECUTION_ARN, FORBIDDEN_CHARACTER } from './patterns';
import { ChatRefusal, quote, refuse } from './refusal';
import { type Token, tokenize } from './tokenize';
import { COMMAND_USAGE } from './usage';

export type { ChatShiftOptions } from './options';

/** Longest command text taken; a real command is a line, and a reason is cut at 500 anyway. */
export const MAX_COMMAND_TEXT = 1_000;
export const DEFAULT_HISTORY_LIMIT = 10;
export const MAX_HISTORY_LIMIT = 50;
/** The reason a plan from chat carries (a plan writes nothing, so none is asked for). */
export const PLAN_REASON = 'plan from chat';

export type ControlCommandName = 'pause' | 'resume' | 'approve';

/** What a chat command asks for; `unknown` and `invalid` carry a message to show the user. */
export type ChatCommand =
  | { readonly command: 'help' }
  | { readonly command: 'status' }
  | { readonly command: 'history'; readonly limit: number }
  | {
      readonly command: 'plan';
      readonly action: Action;
      /** Every action but shift. */
      readonly cluster?: string;
      /** Shift only. */
      readonly weights?: Record<string, number>;
      readonly options: ChatShiftOptions;
    }
  | {
      readonly command: 'drain' | 'restore';
      readonly cluster: string;
      readonly reason: string;
      readonly options: ChatShiftOptions;
    }
  | {
      readonly command: 'shift';
      readonly weights: Record<string, number>;
      readonly reason: string;
      readonly options: ChatShiftOptions;
    }
  /** `execution`: a name or an ARN as typed; absent means the running shift. */
  | { readonly command: ControlCommandName; readonly execution?: string }
  | { readonly command: 'abort'; readonly execution?: string; readonly reason?: string }
  | { readonly command: 'freeze'; readonly reason: string }
  | { readonly command: 'unfreeze' }
  | { readonly command: 'unknown'; readonly message: string }
  /** `attempted`: the command the text named, when it named one (for its usage and authorization). */
  | { readonly command: 'invalid'; readonly message: string; readonly attempted?: ChatCommandName };

/** The commands that become a shift request (plan as a dry run). */
export type ShiftingChatCommand = Extract<ChatCommand, { command: 'plan' | 'drain' | 'restore' | 'shift' }>;

const usage = (command: ChatCommandName): string => COMMAND_USAGE[command].usage;

const reasonOf = (command: ChatCommandName, tokens: readonly Token[]): string => {
  const reason = tokens
    .map((token) => token.text)
    .join(' ')
    .trim();
  return reason === ''
    ? refuse(`${command} needs a reason (it is recorded with who asked): ${usage(command)}`)
    : reason;
};

const noArguments = (command: ChatCommandName, { positionals }: SplitArguments): void => {
  const [extra] = positionals;
  if (extra !== undefined) refuse(`${command} takes no arguments, got ${quote(extra.text)}`);
};

const parsePlan = (tokens: readonly Token[]): ChatCommand => {
  const args = splitArguments('plan', tokens, SHIFT_OPTIONS);
  const [first, ...rest] = args.positionals;
  const action = ACTIONS.find((name) => name === first?.text.toLowerCase());
  if (action === undefined) {
    return refuse(
      `plan needs an action (${ACTIONS.join(', ')})${first === undefined ? '' : `, got ${quote(first.text)}`}: ${usage('plan')}`,
    );
  }
  const options = shiftOptionsOf(args.options);
  if (action === 'shift') {
    const [weights, extra] = [rest.filter(looksLikeWeights), rest.find((token) => !looksLikeWeights(token))];
    if (weights.length === 0) refuse(`plan shift needs weights, e.g. plan shift blue=20,green=80`);
    if (extra !== undefined) refuse(`plan shift takes only weights and options, got ${quote(extra.text)}`);
    return { command: 'plan', action, weights: parseWeights(weights), options };
  }
  const [cluster, extra] = rest;
  const name = clusterName(`plan ${action}`, cluster, usage('plan'));
  if (extra !== undefined) refuse(`plan takes no reason (it writes nothing), got ${quote(extra.text)}`);
  return { command: 'plan', action, cluster: name, options };
};

const parseDrainOrRestore = (command: 'drain' | 'restore', tokens: readonly Token[]): ChatCommand => {
  const args = splitArguments(command, tokens, SHIFT_OPTIONS);
  const [cluster, ...words] = args.positionals;
  const name = clusterName(command, cluster, usage(command));
  return { command, cluster: name, reason: reasonOf(command, words), options: shiftOptionsOf(args.options) };
};

const parseShift = (tokens: readonly Token[]): ChatCommand => {
  const args = splitArguments('shift', tokens, SHIFT_OPTIONS);
  const split = args.positionals.findIndex((token) => !looksLikeWeights(token));
  const weightTokens = split === -1 ? args.positionals : args.positionals.slice(0, split);
  const words = split === -1 ? [] : args.positionals.slice(split);
  if (weightTokens.length === 0) {
    const [first] = args.positionals;
    refuse(
      `shift needs weights first, e.g. shift blue=20,green=80 <reason>${first === undefined ? '' : `; got ${quote(first.text)}`}`,
    );
  }
  return {
    command: 'shift',
    weights: parseWeights(weightTokens),
    reason: reasonOf('shift', words),
    options: shiftOptionsOf(args.options),
  };
};

const namedExecution = (args: SplitArguments): string | undefined => {
  const named = args.options.get('execution');
  return typeof named === 'string' ? executionRef(named) : undefined;
};

const parseControl = (command: ControlCommandName, tokens: readonly Token[]): ChatCommand => {
  const args = splitArguments(command, tokens, CONTROL_OPTIONS);
  const [positional, extra] = args.positionals;
  if (extra !== undefined) refuse(`${command} takes one execution at most, got ${quote(extra.text)}`);
  const named = namedExecution(args);
  if (positional !== undefined && named !== undefined) refuse(`${command}: name the execution once`);
  const execution = named ?? (positional === undefined ? undefined : executionRef(positional.text));
  return execution === undefined ? { command } : { command, execution };
};

/**
 * `abort [ARN | --execution <name>] [reason]`. A bare first word is the reason, not an execution
 * name: `abort errors rising` must abort the running shift, not look for an execution "errors".
 */
const parseAbort = (tokens: readonly Token[]): ChatCommand => {
  const args = splitArguments('abort', tokens, CONTROL_OPTIONS);
  const [first, ...rest] = args.positionals;
  const arn = first !== undefined && !first.quoted && EXECUTION_ARN.test(first.text) ? first.text : undefined;
  const named = namedExecution(args);
  if (arn !== undefined && named !== undefined) refuse('abort: name the execution once');
  const execution = arn ?? named;
  const reason = (arn === undefined ? args.positionals : rest)
    .map((token) => token.text)
    .join(' ')
    .trim();
  return {
    command: 'abort',
    ...(execution === undefined ? {} : { execution }),
    ...(reason === '' ? {} : { reason }),
  };
};

const parseHistory = (tokens: readonly Token[]): ChatCommand => {
  const args = splitArguments('history', tokens, []);
  const [count, extra] = args.positionals;
  if (extra !== undefined) refuse(`history takes one count at most, got ${quote(extra.text)}`);
  if (count === undefined) return { command: 'history', limit: DEFAULT_HISTORY_LIMIT };
  const limit = /^\d{1,3}$/.test(count.text) ? Number(count.text) : 0;
  if (limit < 1 || limit > MAX_HISTORY_LIMIT)
    refuse(`history: count must be a whole number from 1 to ${MAX_HISTORY_LIMIT}, got ${quote(count.text)}`);
  return { command: 'history', limit };
};

const parseKnown = (command: ChatCommandName, tokens: readonly Token[]): ChatCommand => {
  switch (command) {
    case 'help':
      return { command };
    case 'status':
    case 'unfreeze':
      noArguments(command, splitArguments(command, tokens, []));
      return { command };
    case 'history':
      return parseHistory(tokens);
    case 'plan':
      return parsePlan(tokens);
    case 'drain':
    case 'restore':
      return parseDrainOrRestore(command, tokens);
    case 'shift':
      return parseShift(tokens);
    case 'pause':
    case 'resume':
    case 'approve':
      return parseControl(command, tokens);
    case 'abort':
      return parseAbort(tokens);
    case 'freeze':
      return { command, reason: reasonOf(command, splitArguments(command, tokens, []).positionals) };
  }
};

/** Levenshtein distance, small words only: enough for a "did you mean" (no dependency for 10 lines). */
const distance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
};

const unknown = (word: string): ChatCommand => {
  const near = word.length <= 20 ? CHAT_COMMANDS.find((name) => distance(word, name) <= 2) : undefined;
  return {
    command: 'unknown',
    message: `unknown command ${quote(word)}${near === undefined ? '' : ` (did you mean ${near}?)`}`,
  };
};

/**
 * Reads a chat command (`drain blue upgrading to 1.31 --steps 0.5,1`). Never throws and never
 * evaluates anything: the text is data. The first problem found is returned as `invalid` with a
 * message naming it; an unknown first word is `unknown` (the handler answers with help).
 */
export const parseChatCommand = (text: string): ChatCommand => {
  if (text.length > MAX_COMMAND_TEXT)
    return { command: 'invalid', message: `the command is longer than ${MAX_COMMAND_TEXT} characters` };
  const forbidden = FORBIDDEN_CHARACTER.exec(text)?.[0];
  if (forbidden !== undefined) {
    return {
      command: 'invalid',
      message: `the command contains a control character (${codePointName(forbidden)}); type it on one line as plain text`,
    };
  }
  // Known before tokenising, so that a quoting mistake still names the command it spoils.
  const firstWord = text.trim().split(/\s+/)[0]?.toLowerCase();
  const attempted = CHAT_COMMANDS.find((name) => name === firstWord);
  // Help ignores its arguments, so a stray quote after it must not spoil it.
  if (attempted === 'help') return { command: 'help' };
  try {
    const [first, ...rest] = tokenize(text);
    if (first === undefined) return { command: 'help' };
    if (first.quoted || attempted === undefined) return unknown(first.text);
    return parseKnown(attempted, rest);
  } catch (error) {
    if (!(error instanceof ChatRefusal)) throw error;
    return { command: 'invalid', message: error.message, ...(attempted === undefined ? {} : { attempted }) };
  }
};

/** `slack:U123 (alice)`: who asked, as the request's `requestedBy` wants it (at most 255 characters after the prefix). */
export const chatRequester = (source: 'slack' | 'webhook', userId: string, userName?: string): string =>
  `${source}:${userId}${userName === undefined || userName === userId ? '' : ` (${userName})`}`.slice(
    0,
    source.length + 1 + 255,
  );

/**
 * The execution input for a plan, drain, restore or shift from chat, validated exactly as the
 * workflow's Prepare validates it, so chat refuses what the workflow would. A plan is a dry run.
 * Throws InvalidRequestError naming each bad field.
 */
export const toShiftRequest = (
  parsed: ShiftingChatCommand,
  config: FleetConfig,
  requestedBy: string,
): ShiftRequest => {
  const { force, ...tuning } = parsed.options;
  const common = { ...tuning, force: force ?? [], requestedBy };
  switch (parsed.command) {
    case 'plan':
      return validateShiftRequest(
        {
          ...common,
          action: parsed.action,
          ...(parsed.cluster === undefined ? {} : { cluster: parsed.cluster }),
          ...(parsed.weights === undefined ? {} : { weights: parsed.weights }),
          reason: PLAN_REASON,
          dryRun: true,
        },
        config,
      );
    case 'shift':
      return validateShiftRequest(
        { ...common, action: 'shift', weights: parsed.weights, reason: parsed.reason },
        config,
      );
    default:
      return validateShiftRequest(
        { ...common, action: parsed.command, cluster: parsed.cluster, reason: parsed.reason },
        config,
      );
  }
};
