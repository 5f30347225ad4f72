import { GUARDRAIL_NAMES, type GuardrailName, isForceable } from '../guardrail-names';
import { CLUSTER_NAME, EXECUTION_ARN, EXECUTION_NAME } from './patterns';
import { quote, refuse } from './refusal';
import type { Token } from './tokenize';

/** The options of plan, drain, restore and shift, named as in the shift request. */
export interface ChatShiftOptions {
  readonly force?: GuardrailName[];
  readonly steps?: number[];
  readonly bakeSeconds?: number;
  /** 0-based, as the workflow counts; typed 1-based in chat, as the CLI takes them. */
  readonly pauseBeforeSteps?: number[];
  readonly dryRun?: boolean;
}

export const SHIFT_OPTIONS = ['force', 'steps', 'bake', 'pause-before', 'dry-run'] as const;
export const CONTROL_OPTIONS = ['execution'] as const;
export type OptionName = (typeof SHIFT_OPTIONS)[number] | (typeof CONTROL_OPTIONS)[number];

const EXAMPLE_VALUE: Readonly<Record<OptionName, string>> = {
  force: '--force receiver-alarm',
  steps: '--steps 0.25,0.5,1',
  bake: '--bake 120',
  'pause-before': '--pause-before 2,3',
  'dry-run': '--dry-run',
  execution: '--execution <name or ARN>',
};

export interface SplitArguments {
  readonly positionals: Token[];
  readonly options: ReadonlyMap<OptionName, string | true>;
}

/** `—steps` and `–steps`: what typographic substitution makes of `--steps`. */
const DASHED = /^(?:--|\u2014|\u2013)(?=[A-Za-z])/;
const OPTION = /^--([a-z][a-z-]*)(?:=(.*))?$/;

const isOption = (token: Token): boolean => !token.quoted && (token.text === '--' || DASHED.test(token.text));

/**
 * Options (anywhere after the command) apart from the other words. Only the named options are
 * known; anything else that looks like one is refused rather than guessed at. `--` ends the
 * options: what follows is text even if it starts with dashes (as does quoted text).
 */
export const splitArguments = (
  command: string,
  tokens: readonly Token[],
  allowed: readonly OptionName[],
): SplitArguments => {
  const positionals: Token[] = [];
  const options = new Map<OptionName, string | true>();
  let textOnly = false;
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index];
    if (token === undefined) break;
    if (textOnly || !isOption(token)) {
      positionals.push(token);
      continue;
    }
    if (token.text === '--') {
      textOnly = true;
      continue;
    }
    const match = OPTION.exec(token.text.replace(DASHED, '--'));
    const name = allowed.find((option) => option === match?.[1]);
    if (match === null || name === undefined) {
      return refuse(
        allowed.length === 0
          ? `${command} takes no options, got ${quote(token.text)} (quote text that starts with dashes)`
          : `${command}: unknown option ${quote(token.text)} (options: ${allowed.map((o) => `--${o}`).join(', ')})`,
      );
    }
    if (options.has(name)) refuse(`--${name} is given twice`);
    const inline = match[2];
    if (name === 'dry-run') {
      if (inline !== undefined) refuse('--dry-run takes no value');
      options.set(name, true);
      continue;
    }
    const next = tokens[index + 1];
    const value = inline ?? (next === undefined || isOption(next) ? undefined : next.text);
    if (value === undefined || value.trim() === '')
      return refuse(`--${name} needs a value, e.g. ${EXAMPLE_VALUE[name]}`);
    if (inline === undefined) index += 1;
    options.set(name, value);
  }
  return { positionals, options };
};

const listItems = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

const FORCEABLE = GUARDRAIL_NAMES.filter(isForceable);

/** Only named guardrails, and never one that cannot be forced. */
const parseForce = (value: string): GuardrailName[] => {
  const names = new Set<GuardrailName>();
  for (const item of listItems(value)) {
    const name = GUARDRAIL_NAMES.find((guardrail) => guardrail === item);
    if (name === undefined)
      refuse(`--force: unknown guardrail ${quote(item)} (forceable: ${FORCEABLE.join(', ')})`);
    else if (!isForceable(name)) refuse(`--force: ${name} can never be forced`);
    else names.add(name);
  }
  if (names.size === 0) refuse(`--force needs guardrail names (forceable: ${FORCEABLE.join(', ')})`);
  return [...names];
};

const MAX_LIST = 20;

const boundedList = (option: string, value: string): string[] => {
  const items = listItems(value);
  if (items.length === 0) refuse(`--${option} needs a value, e.g. ${EXAMPLE_VALUE.steps}`);
  if (items.length > MAX_LIST) refuse(`--${option}: at most ${MAX_LIST} values`);
  return items;
};

/** Syntax only here; range and order are the request schema's to judge (as for the workflow). */
const parseSteps = (value: string): number[] =>
  boundedList('steps', value).map((item) =>
    /^(?:\d{1,3}(?:\.\d{1,6})?|\.\d{1,6})$/.test(item)
      ? Number(item)
      : refuse(`--steps: ${quote(item)} is not a fraction such as 0.25`),
  );

const parseBake = (value: string): number =>
  /^\d{1,6}$/.test(value) ? Number(value) : refuse(`--bake: expected whole seconds, got ${quote(value)}`);

const parsePauseBefore = (value: string): number[] =>
  boundedList('pause-before', value).map((item) =>
    /^\d{1,2}$/.test(item) && Number(item) >= 1
      ? Number(item) - 1
      : refuse(`--pause-before: expected step numbers from 1, got ${quote(item)}`),
  );

export const shiftOptionsOf = (options: SplitArguments['options']): ChatShiftOptions => {
  const text = (name: OptionName): string | undefined => {
    const value = options.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const force = text('force');
  const steps = text('steps');
  const bake = text('bake');
  const pauseBefore = text('pause-before');
  return {
    ...(force === undefined ? {} : { force: parseForce(force) }),
    ...(steps === undefined ? {} : { steps: parseSteps(steps) }),
    ...(bake === undefined ? {} : { bakeSeconds: parseBake(bake) }),
    ...(pauseBefore === undefined ? {} : { pauseBeforeSteps: parsePauseBefore(pauseBefore) }),
    ...(options.get('dry-run') === true ? { dryRun: true } : {}),
  };
};

export const clusterName = (command: string, token: Token | undefined, usage: string): string => {
  if (token === undefined) return refuse(`${command} needs a cluster: ${usage}`);
  if (!CLUSTER_NAME.test(token.text))
    refuse(
      `${quote(token.text)} is not a cluster name (lowercase letters, digits and dashes, starting with a letter)`,
    );
  return token.text;
};

export const executionRef = (text: string): string =>
  EXECUTION_ARN.test(text) || EXECUTION_NAME.test(text)
    ? text
    : refuse(`${quote(text)} is not an execution name or execution ARN`);

const WEIGHT = /^([^=]*)=(.*)$/;
/** A word that is a split (`blue=20,green=80`), as opposed to reason text. */
export const looksLikeWeights = (token: Token): boolean =>
  !token.quoted &&
  listItems(token.text).length > 0 &&
  listItems(token.text).every((item) => WEIGHT.test(item));

/** `blue=20,green=80` (one word or several) → { blue: 20, green: 80 }; the sum is the schema's to check. */
export const parseWeights = (tokens: readonly Token[]): Record<string, number> => {
  const weights: Record<string, number> = {};
  for (const item of tokens.flatMap((token) => listItems(token.text))) {
    const [, cluster = '', percent = ''] = WEIGHT.exec(item) ?? [];
    if (!CLUSTER_NAME.test(cluster)) refuse(`${quote(cluster)} is not a cluster name (in ${quote(item)})`);
    if (!/^\d{1,3}$/.test(percent))
      refuse(`${cluster}: percent must be a whole number 0-100, got ${quote(percent)}`);
    if (Object.hasOwn(weights, cluster)) refuse(`${cluster} is given twice`);
    weights[cluster] = Number(percent);
  }
  return weights;
};
