/**
 * EventBridge event patterns: compile (validating like PutRule) and match. Hand-written: no maintained
 * npm library evaluates EventBridge patterns; AWS's own engine (event-ruler) is Java. Semantics follow
 * AWS's documentation ("Content filtering in Amazon EventBridge event patterns", "Comparison operators")
 * and event-ruler's documented behaviour where the user guide is silent.
 *
 * Matching is structural: a pattern object matches an event object when every field matches; a field's
 * array of values matches when any value matches any leaf at that path. Arrays in the event are
 * "crushed": an object pattern matches an array when it matches one element as a whole, so two fields
 * never match across different elements (event-ruler's array-consistent matching).
 */

export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPattern';
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

/** PutRule's EventPattern maximum (the default account quota is 2048, raisable to this). */
export const MAX_EVENT_PATTERN_LENGTH = 4096;
/** No documented AWS figure; a guard so hostile nesting cannot exhaust the stack. */
export const MAX_EVENT_PATTERN_DEPTH = 64;
/** Numeric matching is limited to this magnitude (event-ruler's documented range). */
export const NUMERIC_LIMIT = 5e9;

type Leaf = string | number | boolean | null;
type Condition = { kind: 'exists'; present: boolean } | { kind: 'value'; test: (value: Leaf) => boolean };
type LeafRule = { kind: 'leaf'; conditions: Condition[] };
type ObjectRule = {
  kind: 'object';
  fields: Array<{ key: string; rule: LeafRule | ObjectRule }>;
  ors: ObjectRule[][];
};

declare const compiled: unique symbol;
export type CompiledEventPattern = ObjectRule & { readonly [compiled]: true };

const OR = '$or';
const OPERATORS = [
  'prefix',
  'suffix',
  'equals-ignore-case',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
  'wildcard',
] as const;
/** Field names event-ruler refuses inside a `$or` branch: the operators and names it reserves. */
const RESERVED_IN_OR = new Set<string>([
  ...OPERATORS,
  'exactly',
  'html',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;

const joinPath = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);
const shown = (path: string): string => (path === '' ? '(pattern)' : path);

const fail = (path: string, problem: string): never => {
  throw new InvalidEventPatternError(shown(path), problem);
};

/** Compiles a pattern (object or JSON text), throwing InvalidEventPatternError as PutRule would reject it. */
export const compileEventPattern = (pattern: unknown): CompiledEventPattern => {
  let parsed = pattern;
  if (typeof pattern === 'string') {
    try {
      parsed = JSON.parse(pattern);
    } catch (error) {
      fail('', `is not valid JSON (${(error as Error).message})`);
    }
  }
  if (!isPlainObject(parsed)) return fail('', `must be a JSON object, not ${describe(parsed)}`);
  const length = JSON.stringify(parsed).length;
  if (length > MAX_EVENT_PATTERN_LENGTH) {
    fail('', `is ${length} characters; the maximum is ${MAX_EVENT_PATTERN_LENGTH}`);
  }
  return compileObject(parsed, '', 1, false) as CompiledEventPattern;
};

const compileObject = (
  source: Record<string, unknown>,
  path: string,
  depth: number,
  insideOr: boolean,
): ObjectRule => {
  if (depth > MAX_EVENT_PATTERN_DEPTH) fail(path, `nests deeper than ${MAX_EVENT_PATTERN_DEPTH} levels`);
  const entries = Object.entries(source);
  if (entries.length === 0) fail(path, 'empty objects are not allowed');
  const rule: ObjectRule = { kind: 'object', fields: [], ors: [] };
  for (const [key, value] of entries) {
    const fieldPath = joinPath(path, key);
    if (key === OR) {
      rule.ors.push(compileOr(value, fieldPath, depth));
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) {
      fail(fieldPath, `"${key}" is a reserved name and cannot be a field inside "$or"`);
    }
    if (Array.isArray(value)) rule.fields.push({ key, rule: compileLeaf(value, fieldPath) });
    else if (isPlainObject(value)) {
      rule.fields.push({ key, rule: compileObject(value, fieldPath, depth + 1, insideOr) });
    } else fail(fieldPath, `must be an object or an array of match values, not ${describe(value)}`);
  }
  return rule;
};

const compileOr = (value: unknown, path: string, depth: number): ObjectRule[] => {
  if (!Array.isArray(value)) return fail(path, `must be an array of objects, not ${describe(value)}`);
  if (value.length < 2) fail(path, 'needs at least 2 objects');
  return value.map((branch, index) => {
    const branchPath = `${path}[${index}]`;
    if (!isPlainObject(branch)) return fail(branchPath, `must be an object, not ${describe(branch)}`);
    return compileObject(branch, branchPath, depth + 1, true);
  });
};

const compileLeaf = (values: unknown[], path: string): LeafRule => {
  if (values.length === 0) fail(path, 'empty arrays are not allowed');
  return { kind: 'leaf', conditions: values.map((value) => compileCondition(value, path)) };
};

const compileCondition = (value: unknown, path: string): Condition => {
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    return { kind: 'value', test: (leaf) => leaf === value };
  }
  if (!isPlainObject(value))
    return fail(
      path,
      `match values must be strings, numbers, booleans, null or operator objects, not ${describe(value)}`,
    );
  const keys = Object.keys(value);
  const [operator] = keys;
  if (operator === undefined) return fail(path, 'an operator object needs exactly one operator');
  if (keys.length > 1)
    fail(path, `an operator object takes one operator, got ${keys.map((k) => `"${k}"`).join(', ')}`);
  const operand = value[operator];
  switch (operator) {
    case 'exists':
      if (typeof operand !== 'boolean') fail(path, `"exists" needs true or false, not ${describe(operand)}`);
      return { kind: 'exists', present: operand as boolean };
    case 'prefix':
      return stringTest(path, 'prefix', operand, (text, affix) => text.startsWith(affix));
    case 'suffix':
      return stringTest(path, 'suffix', operand, (text, affix) => text.endsWith(affix));
    case 'equals-ignore-case':
      return valueTest(ignoreCaseEquals(requireString(path, operator, operand)));
    case 'wildcard':
      return valueTest(wildcardTest(path, requireString(path, operator, operand)));
    case 'numeric':
      return valueTest(numericTest(path, operand));
    case 'cidr':
      return valueTest(cidrTest(path, operand));
    case 'anything-but':
      return valueTest(anythingButTest(path, operand));
    default:
      return fail(path, `unknown operator "${operator}"`);
  }
};

const valueTest = (test: (text: Leaf) => boolean): Condition => ({ kind: 'value', test });

const requireString = (path: string, operator: string, operand: unknown): string =>
  typeof operand === 'string'
    ? operand
    : fail(path, `"${operator}" needs a string, not ${describe(operand)}`);

const foldCase = (text: string): string => text.toLowerCase();

const ignoreCaseEquals =
  (expected: string) =>
  (leaf: Leaf): boolean =>
    typeof leaf === 'string' && foldCase(leaf) === foldCase(expected);

/** prefix/suffix, with their `{ "equals-ignore-case": ... }` form. */
const stringTest = (
  path: string,
  operator: 'prefix' | 'suffix',
  operand: unknown,
  test: (text: string, affix: string) => boolean,
): Condition => {
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length !== 1 || keys[0] !== 'equals-ignore-case') {
      fail(path, `"${operator}" takes a string or { "equals-ignore-case": string }`);
    }
    const affix = foldCase(
      requireString(path, `${operator}.equals-ignore-case`, operand['equals-ignore-case']),
    );
    return valueTest((leaf) => typeof leaf === 'string' && test(foldCase(leaf), affix));
  }
  const affix = requireString(path, operator, operand);
  return valueTest((leaf) => typeof leaf === 'string' && test(leaf, affix));
};

/**
 * `*` matches any run of characters; `\*` is a literal asterisk and `\\` a literal backslash. AWS
 * rejects consecutive wildcards and a backslash before anything else.
 */
const wildcardTest = (path: string, pattern: string): ((leaf: Leaf) => boolean) => {
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index] as string;
    if (char === '\\') {
      const next = pattern[index + 1];
      if (next !== '*' && next !== '\\')
        fail(path, `"wildcard" has an invalid escape at character ${index + 1}`);
      source += `\\${next}`;
      index += 1;
    } else if (char === '*') {
      if (pattern[index + 1] === '*') fail(path, '"wildcard" cannot have consecutive wildcard characters');
      source += '[\\s\\S]*';
    } else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  const regex = new RegExp(`^${source}$`, 'u');
  return (leaf) => typeof leaf === 'string' && regex.test(leaf);
};

const requireNumber = (path: string, operator: string, operand: unknown): number => {
  if (typeof operand !== 'number' || !Number.isFinite(operand)) {
    return fail(path, `"numeric" needs a number after "${operator}", not ${describe(operand)}`);
  }
  if (Math.abs(operand) > NUMERIC_LIMIT) fail(path, `"numeric" values must lie within ±${NUMERIC_LIMIT}`);
  return operand;
};

/** `["=", n]`, `[">"|">=", n]`, `["<"|"<=", n]`, or a lower bound then an upper bound. */
const numericTest = (path: string, operand: unknown): ((leaf: Leaf) => boolean) => {
  const shape = '"numeric" needs an array of operator/value pairs';
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) return fail(path, shape);
  const [first, firstValue, second, secondValue] = operand as unknown[];
  if (typeof first !== 'string' || !['=', '>', '>=', '<', '<='].includes(first)) {
    return fail(path, `"numeric" has an unknown operator ${JSON.stringify(first)}`);
  }
  const lower = requireNumber(path, first, firstValue);
  if (operand.length === 2) {
    switch (first) {
      case '=':
        return (leaf) => typeof leaf === 'number' && leaf === lower;
      case '>':
        return (leaf) => typeof leaf === 'number' && leaf > lower;
      case '>=':
        return (leaf) => typeof leaf === 'number' && leaf >= lower;
      case '<':
        return (leaf) => typeof leaf === 'number' && leaf < lower;
      case '<=':
        return (leaf) => typeof leaf === 'number' && leaf <= lower;
      default:
        return fail(path, `"numeric" has an unknown operator ${JSON.stringify(first)}`);
    }
  }
  if (first !== '>' && first !== '>=')
    return fail(path, `"numeric" range must start with ">" or ">=", not ${JSON.stringify(first)}`);
  if (second !== '<' && second !== '<=')
    return fail(path, `"numeric" range must end with "<" or "<=", not ${JSON.stringify(second)}`);
  const upper = requireNumber(path, second, secondValue);
  if (lower >= upper) fail(path, `"numeric" range is empty: ${lower} is not below ${upper}`);
  const aboveLower = first === '>' ? (n: number) => n > lower : (n: number) => n >= lower;
  const belowUpper = second === '<' ? (n: number) => n < upper : (n: number) => n <= upper;
  return (leaf) => typeof leaf === 'number' && aboveLower(leaf) && belowUpper(leaf);
};

type IpAddress = { bits: 32 | 128; value: bigint };

const parseIpv4 = (text: string): IpAddress | undefined => {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return { bits: 32, value };
};

const parseIpv6 = (text: string): IpAddress | undefined => {
  if (!/^[0-9a-fA-F:]+$/.test(text) || text.split('::').length > 2) return undefined;
  const [head = '', tail] = text.split('::');
  const groups = (side: string) => (side === '' ? [] : side.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const all = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  let value = 0n;
  for (const group of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(`0x${group}`);
  }
  return { bits: 128, value };
};

const parseIp = (text: string): IpAddress | undefined => parseIpv4(text) ?? parseIpv6(text);

const cidrTest = (path: string, operand: unknown): ((leaf: Leaf) => boolean) => {
  const text = requireString(path, 'cidr', operand);
  const [address = '', length, extra] = text.split('/');
  const network = parseIp(address);
  const prefixLength = length !== undefined && /^\d{1,3}$/.test(length) ? Number(length) : Number.NaN;
  if (network === undefined || extra !== undefined || !(prefixLength <= network.bits)) {
    return fail(path, `"cidr" needs an IPv4 or IPv6 network like 10.0.0.0/24, not ${JSON.stringify(text)}`);
  }
  const shift = BigInt(network.bits - prefixLength);
  const base = network.value >> shift;
  return (leaf) => {
    if (typeof leaf !== 'string') return false;
    const ip = parseIp(leaf);
    return ip !== undefined && ip.bits === network.bits && ip.value >> shift === base;
  };
};

/**
 * `anything-but` excludes: one string or number, a non-empty list of only strings or only numbers, or
 * `{ prefix | suffix | equals-ignore-case | wildcard: string | string[] }`. A present value of another
 * type is never excluded (event-ruler compares the JSON text, so a number never equals a string).
 */
const anythingButTest = (path: string, operand: unknown): ((leaf: Leaf) => boolean) => {
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    const [kind] = keys;
    if (keys.length !== 1 || kind === undefined) {
      return fail(path, '"anything-but" takes one of prefix, suffix, equals-ignore-case, wildcard');
    }
    if (!['prefix', 'suffix', 'equals-ignore-case', 'wildcard'].includes(kind)) {
      fail(path, `"anything-but" does not support "${kind}"`);
    }
    const strings = anythingButStrings(path, kind, operand[kind]);
    const excluded = anythingButNested(path, kind, strings);
    return (leaf) => !excluded(leaf);
  }
  const values = Array.isArray(operand) ? operand : [operand];
  if (values.length === 0) fail(path, '"anything-but" cannot have an empty list');
  const allStrings = values.every((value) => typeof value === 'string');
  const allNumbers = values.every((value) => typeof value === 'number');
  if (!allStrings && !allNumbers) {
    fail(path, '"anything-but" needs a string, a number, or a list of only strings or only numbers');
  }
  if (allNumbers) for (const value of values) requireNumber(path, 'anything-but', value);
  const excluded = new Set<unknown>(values);
  return (leaf) => !excluded.has(leaf);
};

const anythingButStrings = (path: string, kind: string, operand: unknown): string[] => {
  const values = Array.isArray(operand) ? operand : [operand];
  if (values.length === 0) fail(path, `"anything-but" "${kind}" cannot have an empty list`);
  for (const value of values) {
    if (typeof value !== 'string')
      fail(path, `"anything-but" "${kind}" needs strings, not ${describe(value)}`);
    if ((kind === 'prefix' || kind === 'suffix') && value === '') {
      fail(path, `"anything-but" "${kind}" cannot be empty`);
    }
  }
  return values as string[];
};

const anythingButNested = (path: string, kind: string, strings: string[]): ((leaf: Leaf) => boolean) => {
  const tests = strings.map((text): ((leaf: Leaf) => boolean) => {
    switch (kind) {
      case 'prefix':
        return (leaf) => typeof leaf === 'string' && leaf.startsWith(text);
      case 'suffix':
        return (leaf) => typeof leaf === 'string' && leaf.endsWith(text);
      case 'equals-ignore-case':
        return ignoreCaseEquals(text);
      case 'wildcard':
        return wildcardTest(path, text);
      default:
        return fail(path, `"anything-but" does not support "${kind}"`);
    }
  });
  return (leaf) => tests.some((test) => test(leaf));
};

/** The leaves at a field: a scalar, the scalars of a (nested) array; objects are not leaves. */
const leavesOf = (value: unknown, into: Leaf[] = []): Leaf[] => {
  if (Array.isArray(value)) for (const element of value) leavesOf(element, into);
  else if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) into.push(value as Leaf);
  return into;
};

const matchesLeaf = (rule: LeafRule, value: unknown): boolean => {
  const leaves = leavesOf(value);
  return rule.conditions.some((condition) =>
    condition.kind === 'exists'
      ? condition.present === leaves.length > 0
      : leaves.some((leaf) => condition.test(leaf)),
  );
};

const matchesObject = (rule: ObjectRule, value: unknown): boolean => {
  if (Array.isArray(value)) return value.some((element) => matchesObject(rule, element));
  const fields = isPlainObject(value) ? value : {};
  for (const field of rule.fields) {
    const child = Object.hasOwn(fields, field.key) ? fields[field.key] : undefined;
    const matched =
      field.rule.kind === 'leaf' ? matchesLeaf(field.rule, child) : matchesObject(field.rule, child);
    if (!matched) return false;
  }
  return rule.ors.every((branches) => branches.some((branch) => matchesObject(branch, value)));
};

export const matchesEventPattern = (pattern: CompiledEventPattern, event: unknown): boolean =>
  matchesObject(pattern, event);
