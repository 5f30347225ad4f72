import { TwinError } from '../errors';
import { optionalInteger, optionalList, optionalObject } from '../protocol/scalars';
import type { TwinInput } from '../service';
import {
  checkEventBus,
  constraintError,
  DEFAULT_BUS,
  RULE_NAME,
  requiredParam,
  stringParam,
  TARGET_ID,
  validation,
} from './input';
import { InvalidInputTransformerError, validateInputTransformer } from './input-transformer';
import { type CompiledEventPattern, compileEventPattern, InvalidEventPatternError } from './pattern';

/** A rule target as PutTargets takes it (the parts the twin uses, AWS's field names). */
export interface RuleTarget {
  readonly Id: string;
  readonly Arn: string;
  readonly Input?: string;
  readonly InputPath?: string;
  readonly InputTransformer?: {
    readonly InputPathsMap?: Readonly<Record<string, string>>;
    readonly InputTemplate: string;
  };
  readonly RetryPolicy?: {
    readonly MaximumRetryAttempts?: number;
    readonly MaximumEventAgeInSeconds?: number;
  };
  readonly DeadLetterConfig?: { readonly Arn?: string };
  readonly RoleArn?: string;
}

export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
const RULE_STATES: readonly RuleState[] = [
  'ENABLED',
  'DISABLED',
  'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
];

export interface StoredRule {
  readonly name: string;
  readonly arn: string;
  readonly eventPattern: string;
  readonly pattern: CompiledEventPattern;
  readonly state: RuleState;
  readonly description?: string;
  readonly roleArn?: string;
  readonly targets: Map<string, RuleTarget>;
}

export interface RuleSpec {
  readonly name: string;
  /** The pattern as JSON text or as an object. */
  readonly eventPattern: unknown;
  readonly state?: RuleState;
  readonly description?: string;
  readonly roleArn?: string;
}

const MAX_TARGETS_PER_RULE = 5;
const MAX_PATTERN_LENGTH = 4096;

export const invalidPattern = (message: string): TwinError =>
  new TwinError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${message}`);

/** Pattern text or object → its JSON text and compiled form; InvalidEventPatternException otherwise. */
export const compilePattern = (pattern: unknown): { text: string; compiled: CompiledEventPattern } => {
  let parsed: unknown = pattern;
  const text = typeof pattern === 'string' ? pattern : JSON.stringify(pattern);
  if (typeof pattern === 'string') {
    try {
      parsed = JSON.parse(pattern);
    } catch (error) {
      throw invalidPattern(`the pattern is not valid JSON: ${(error as Error).message}`);
    }
  }
  try {
    return { text, compiled: compileEventPattern(parsed) };
  } catch (error) {
    if (error instanceof InvalidEventPatternError) throw invalidPattern(error.message);
    throw error;
  }
};

const ruleNotFound = (name: string): TwinError =>
  new TwinError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${DEFAULT_BUS}.`);

/** The rules of the twin's default event bus and their targets. */
export class RuleStore {
  private readonly byName = new Map<string, StoredRule>();

  constructor(
    private readonly ruleArnPrefix: string,
    readonly busArn: string,
  ) {}

  get(name: string): StoredRule {
    const rule = this.byName.get(name);
    if (rule === undefined) throw ruleNotFound(name);
    return rule;
  }

  /** Every rule, by name. */
  all(): StoredRule[] {
    return [...this.byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Creates or updates a rule; an update keeps its targets, as PutRule does. */
  put(spec: RuleSpec): StoredRule {
    const { text, compiled } = compilePattern(spec.eventPattern);
    const existing = this.byName.get(spec.name);
    const rule: StoredRule = {
      name: spec.name,
      arn: `${this.ruleArnPrefix}${spec.name}`,
      eventPattern: text,
      pattern: compiled,
      state: spec.state ?? 'ENABLED',
      ...(spec.description === undefined ? {} : { description: spec.description }),
      ...(spec.roleArn === undefined ? {} : { roleArn: spec.roleArn }),
      targets: existing?.targets ?? new Map(),
    };
    this.byName.set(spec.name, rule);
    return rule;
  }

  setState(name: string, state: RuleState): void {
    const rule = this.get(name);
    this.byName.set(name, { ...rule, state });
  }

  delete(name: string): void {
    const rule = this.byName.get(name);
    if (rule === undefined) return;
    if (rule.targets.size > 0) throw validation("Rule can't be deleted since it has targets.");
    this.byName.delete(name);
  }

  putTargets(name: string, targets: readonly RuleTarget[]): void {
    const rule = this.get(name);
    const ids = new Set([...rule.targets.keys(), ...targets.map((target) => target.Id)]);
    if (ids.size > MAX_TARGETS_PER_RULE)
      throw new TwinError(
        'LimitExceededException',
        `The requested resource exceeds the maximum number allowed: a rule has at most ${MAX_TARGETS_PER_RULE} targets.`,
      );
    for (const target of targets) rule.targets.set(target.Id, target);
  }

  /** The ids that were not targets of the rule. */
  removeTargets(name: string, ids: readonly string[]): string[] {
    const rule = this.get(name);
    return ids.filter((id) => !rule.targets.delete(id));
  }

  // PutRule input → spec (the operation's validation).
  static ruleSpecOf(input: TwinInput, busArn: string): RuleSpec {
    const name = requiredParam(input.Name, 'name', { min: 1, max: 64, pattern: RULE_NAME });
    checkEventBus(input.EventBusName, busArn);
    const pattern = stringParam(input.EventPattern, 'eventPattern', { max: MAX_PATTERN_LENGTH });
    const schedule = stringParam(input.ScheduleExpression, 'scheduleExpression', { max: 256 });
    if (pattern === undefined && schedule === undefined)
      throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    if (schedule !== undefined)
      throw validation('The local twin does not run scheduled rules (ScheduleExpression).');
    const state = stringParam(input.State, 'state', { max: 64 });
    if (state !== undefined && !RULE_STATES.includes(state as RuleState))
      throw constraintError(
        'state',
        state,
        `Member must satisfy enum value set: [${RULE_STATES.join(', ')}]`,
      );
    const description = stringParam(input.Description, 'description', { max: 512 });
    const roleArn = stringParam(input.RoleArn, 'roleArn', { min: 1, max: 1600 });
    return {
      name,
      eventPattern: pattern,
      ...(state === undefined ? {} : { state: state as RuleState }),
      ...(description === undefined ? {} : { description }),
      ...(roleArn === undefined ? {} : { roleArn }),
    };
  }
}

/** One PutTargets target → RuleTarget, validated as EventBridge does. */
export const parseTarget = (value: unknown, index: number): RuleTarget => {
  const path = `targets.${index + 1}.member`;
  const target = optionalObject(value, path);
  if (target === undefined) throw validation(`${path} must be a structure`);
  const id = requiredParam(target.Id, `${path}.id`, { min: 1, max: 64, pattern: TARGET_ID });
  const arn = requiredParam(target.Arn, `${path}.arn`, { min: 1, max: 1600 });
  const input = stringParam(target.Input, `${path}.input`, { max: 8192 });
  const inputPath = stringParam(target.InputPath, `${path}.inputPath`, { max: 256 });
  const transformer = optionalObject(target.InputTransformer, `${path}.inputTransformer`);
  const given = [input, inputPath, transformer].filter((item) => item !== undefined).length;
  if (given > 1)
    throw validation(`Target ${id}: only one of Input, InputPath and InputTransformer may be provided.`);
  if (input !== undefined) {
    try {
      JSON.parse(input);
    } catch {
      throw validation(`Target ${id}: Input is not valid JSON text.`);
    }
  }
  if (inputPath !== undefined && !inputPath.startsWith('$'))
    throw validation(`Target ${id}: InputPath ${inputPath} is not a valid JSON path (it starts with $).`);
  const retry = optionalObject(target.RetryPolicy, `${path}.retryPolicy`);
  const attempts = optionalInteger(retry?.MaximumRetryAttempts, `${path}.retryPolicy.maximumRetryAttempts`);
  if (attempts !== undefined && (attempts < 0 || attempts > 185))
    throw constraintError(
      `${path}.retryPolicy.maximumRetryAttempts`,
      attempts,
      'Member must be between 0 and 185',
    );
  const age = optionalInteger(
    retry?.MaximumEventAgeInSeconds,
    `${path}.retryPolicy.maximumEventAgeInSeconds`,
  );
  if (age !== undefined && (age < 60 || age > 86_400))
    throw constraintError(
      `${path}.retryPolicy.maximumEventAgeInSeconds`,
      age,
      'Member must be between 60 and 86400',
    );
  const deadLetter = optionalObject(target.DeadLetterConfig, `${path}.deadLetterConfig`);
  const deadLetterArn = stringParam(deadLetter?.Arn, `${path}.deadLetterConfig.arn`, { min: 1, max: 1600 });
  if (deadLetterArn !== undefined && !/^arn:[^:]+:sqs:[^:]+:[0-9]{12}:.+$/.test(deadLetterArn))
    throw validation(`Target ${id}: the dead-letter queue ${deadLetterArn} is not an SQS queue ARN.`);
  const roleArn = stringParam(target.RoleArn, `${path}.roleArn`, { min: 1, max: 1600 });
  return {
    Id: id,
    Arn: arn,
    ...(input === undefined ? {} : { Input: input }),
    ...(inputPath === undefined ? {} : { InputPath: inputPath }),
    ...(transformer === undefined ? {} : { InputTransformer: parseTransformer(transformer, path, id) }),
    ...(retry === undefined
      ? {}
      : {
          RetryPolicy: {
            ...(attempts === undefined ? {} : { MaximumRetryAttempts: attempts }),
            ...(age === undefined ? {} : { MaximumEventAgeInSeconds: age }),
          },
        }),
    ...(deadLetter === undefined
      ? {}
      : { DeadLetterConfig: deadLetterArn === undefined ? {} : { Arn: deadLetterArn } }),
    ...(roleArn === undefined ? {} : { RoleArn: roleArn }),
  };
};

const parseTransformer = (
  transformer: Record<string, unknown>,
  path: string,
  id: string,
): NonNullable<RuleTarget['InputTransformer']> => {
  const template = requiredParam(transformer.InputTemplate, `${path}.inputTransformer.inputTemplate`, {
    min: 1,
    max: 8192,
  });
  const paths = optionalObject(transformer.InputPathsMap, `${path}.inputTransformer.inputPathsMap`);
  try {
    validateInputTransformer({
      ...(paths === undefined ? {} : { InputPathsMap: paths as Record<string, string> }),
      InputTemplate: template,
    });
  } catch (error) {
    if (error instanceof InvalidInputTransformerError) throw validation(`Target ${id}: ${error.message}`);
    throw error;
  }
  return {
    ...(paths === undefined ? {} : { InputPathsMap: paths as Record<string, string> }),
    InputTemplate: template,
  };
};

/** PutTargets' Targets list: 1 to 10. */
export const parseTargets = (value: unknown): RuleTarget[] => {
  const list = optionalList(value, 'targets');
  if (list === undefined)
    throw validation(
      "1 validation error detected: Value null at 'targets' failed to satisfy constraint: Member must not be null",
    );
  if (list.length < 1 || list.length > 10)
    throw constraintError('targets', `[${list.length} items]`, 'Member must have length between 1 and 10');
  return list.map(parseTarget);
};
