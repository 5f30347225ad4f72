/**
 * EventBridge target input: InputPath and InputTransformer, per AWS's "Amazon EventBridge input
 * transformation" guide and the InputTransformer API reference. Hand-written: the substitution rules
 * (quote-aware placeholders, the reserved aws.events.* variables) are EventBridge's own, and the paths
 * are a small dot-notation subset no JSONPath library restricts itself to.
 *
 * Substitution, as documented: outside a JSON string a placeholder becomes the value's JSON text
 * (strings gain quotes); inside a string it becomes the bare text, NOT escaped ("EventBridge doesn't
 * escape values extracted by Input Path"), so a value holding a quote yields invalid JSON, as on AWS.
 * Objects and arrays inside a string lose their quotes. A path absent from the event gives no value:
 * empty inside a string, `null` outside one (the twin's choice where AWS documents only "won't appear").
 * A template that is not a JSON object or array (`<id> is <state>`, `"<id> is <state>"`) is text, so
 * every value goes in bare. Placeholders naming no variable are left as written.
 */

export class InvalidInputTransformerError extends Error {
  override readonly name = 'InvalidInputTransformer';
}

export type InputTransformer = { InputPathsMap?: Record<string, string>; InputTemplate?: string };
export type TransformContext = { ruleArn: string; ruleName: string; ingestionTime: Date };

export const MAX_INPUT_PATHS = 100;
export const MAX_INPUT_TEMPLATE_LENGTH = 8192;
const MAX_PATH_LENGTH = 256;
const KEY_SYNTAX = /^[A-Za-z0-9_-]{1,256}$/;

const RULE_ARN = 'aws.events.rule-arn';
const RULE_NAME = 'aws.events.rule-name';
const INGESTION_TIME = 'aws.events.event.ingestion-time';
/** The event without its detail; inserted as raw JSON wherever it appears. */
const EVENT = 'aws.events.event';
/** The whole event; inserted as raw JSON wherever it appears. */
const EVENT_JSON = 'aws.events.event.json';
const PREDEFINED = new Set([RULE_ARN, RULE_NAME, INGESTION_TIME, EVENT, EVENT_JSON]);

type Segment = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'all' };

const invalid = (message: string): never => {
  throw new InvalidInputTransformerError(message);
};

/** `$`, `$.a.b`, `$.a[0]`, `$.a.*`, `$.a[*]`: dot notation only, as EventBridge requires. */
const parsePath = (path: string, what: string): Segment[] => {
  if (path.length > MAX_PATH_LENGTH) invalid(`${what} is longer than ${MAX_PATH_LENGTH} characters`);
  if (!path.startsWith('$')) invalid(`${what} ${JSON.stringify(path)} must be a JSON path starting with "$"`);
  const segments: Segment[] = [];
  const syntax = /^(?:\.([^.[\]]+)|\[(\d+)\]|\[\*\])/;
  let rest = path.slice(1);
  while (rest !== '') {
    const match = syntax.exec(rest);
    if (match === null) {
      return invalid(
        `${what} ${JSON.stringify(path)} is not a dot-notation JSON path (near ${JSON.stringify(rest)})`,
      );
    }
    const [text, key, index] = match;
    if (key === '*' || text === '[*]') segments.push({ kind: 'all' });
    else if (key !== undefined) segments.push({ kind: 'key', key });
    else segments.push({ kind: 'index', index: Number(index) });
    rest = rest.slice(text.length);
  }
  return segments;
};

const children = (value: unknown): unknown[] =>
  Array.isArray(value)
    ? value
    : typeof value === 'object' && value !== null
      ? Object.values(value as Record<string, unknown>)
      : [];

const step = (value: unknown, segment: Segment): unknown => {
  if (segment.kind === 'index') return Array.isArray(value) ? value[segment.index] : undefined;
  if (segment.kind === 'key' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    return Object.hasOwn(record, segment.key) ? record[segment.key] : undefined;
  }
  return undefined;
};

const read = (value: unknown, segments: Segment[]): unknown => {
  const [segment, ...rest] = segments;
  if (segment === undefined) return value;
  if (segment.kind === 'all') {
    return children(value)
      .map((child) => read(child, rest))
      .filter((found) => found !== undefined);
  }
  const next = step(value, segment);
  return next === undefined ? undefined : read(next, rest);
};

/** The value a target's InputPath selects; undefined when the event has nothing there. */
export const inputPathValue = (path: string, event: unknown): unknown =>
  read(event, parsePath(path, 'InputPath'));

type TemplatePart = { text: string } | { name: string; quoted: boolean };

/** Splits a template into text and placeholders, knowing whether each placeholder sits inside a string. */
const scanTemplate = (template: string, isVariable: (name: string) => boolean): TemplatePart[] => {
  const parts: TemplatePart[] = [];
  let text = '';
  let inString = false;
  for (let index = 0; index < template.length; index += 1) {
    const char = template[index] as string;
    if (inString && char === '\\') {
      text += template.slice(index, index + 2);
      index += 1;
      continue;
    }
    if (char === '"') inString = !inString;
    if (char === '<') {
      const close = template.indexOf('>', index + 1);
      const name = close === -1 ? '' : template.slice(index + 1, close);
      if (isVariable(name)) {
        parts.push({ text }, { name, quoted: inString });
        text = '';
        index = close;
        continue;
      }
    }
    text += char;
  }
  parts.push({ text });
  return parts;
};

/** Validates a transformer as PutTargets would; transformInput calls it too. */
export const validateInputTransformer = (transformer: InputTransformer): void => {
  const { InputPathsMap: paths = {}, InputTemplate: template } = transformer;
  if (typeof template !== 'string' || template.length === 0) invalid('InputTemplate is required');
  if ((template as string).length > MAX_INPUT_TEMPLATE_LENGTH) {
    invalid(`InputTemplate is longer than ${MAX_INPUT_TEMPLATE_LENGTH} characters`);
  }
  if (typeof paths !== 'object' || paths === null || Array.isArray(paths))
    invalid('InputPathsMap must be a map');
  const entries = Object.entries(paths);
  if (entries.length > MAX_INPUT_PATHS)
    invalid(`InputPathsMap has ${entries.length} entries; at most ${MAX_INPUT_PATHS}`);
  for (const [key, path] of entries) {
    if (!KEY_SYNTAX.test(key))
      invalid(`InputPathsMap key ${JSON.stringify(key)} must be letters, digits, "_" or "-"`);
    if (/^aws/i.test(key)) invalid(`InputPathsMap key ${JSON.stringify(key)} cannot start with "AWS"`);
    const text = typeof path === 'string' ? path : invalid(`InputPathsMap.${key} must be a string`);
    parsePath(text, `InputPathsMap.${key}`);
  }
  if (looksLikeJsonContainer(template as string)) rejectPlaceholderKeys(template as string, paths);
};

/** A template that is not a JSON object or array is plain text: every value goes in as bare text. */
const looksLikeJsonContainer = (template: string): boolean => /^\s*[[{]/.test(template);

const rejectPlaceholderKeys = (template: string, paths: Record<string, string>): void => {
  const isVariable = (name: string) => Object.hasOwn(paths, name) || PREDEFINED.has(name);
  const parts = scanTemplate(template, isVariable);
  parts.forEach((part, index) => {
    const after = parts[index + 1];
    if (
      'name' in part &&
      !part.quoted &&
      after !== undefined &&
      'text' in after &&
      /^\s*:/.test(after.text)
    ) {
      invalid(`InputTemplate uses <${part.name}> as an object key, which a JSON template cannot`);
    }
  });
};

const withoutDetail = (event: unknown): unknown => {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return event;
  const { detail: _detail, ...rest } = event as Record<string, unknown>;
  return rest;
};

const render = (value: unknown, quoted: boolean): string => {
  if (value === undefined) return quoted ? '' : 'null';
  if (!quoted) return JSON.stringify(value);
  if (typeof value === 'string') return value;
  const json = JSON.stringify(value);
  return typeof value === 'object' && value !== null ? json.replaceAll('"', '') : json;
};

/** The text EventBridge hands the target for this event. */
export const transformInput = (
  transformer: InputTransformer,
  event: unknown,
  context: TransformContext,
): string => {
  validateInputTransformer(transformer);
  const paths = transformer.InputPathsMap ?? {};
  const values = new Map<string, unknown>();
  for (const [key, path] of Object.entries(paths)) values.set(key, inputPathValue(path, event));
  const predefined: Record<string, () => string> = {
    [RULE_ARN]: () => context.ruleArn,
    [RULE_NAME]: () => context.ruleName,
    [INGESTION_TIME]: () => context.ingestionTime.toISOString(),
  };
  const raw: Record<string, () => string> = {
    [EVENT]: () => JSON.stringify(withoutDetail(event)),
    [EVENT_JSON]: () => JSON.stringify(event),
  };
  const isVariable = (name: string) => values.has(name) || PREDEFINED.has(name);
  const template = transformer.InputTemplate as string;
  const plainText = !looksLikeJsonContainer(template);
  return scanTemplate(template, isVariable)
    .map((part) => {
      if ('text' in part) return part.text;
      const rawJson = raw[part.name];
      if (rawJson !== undefined) return rawJson();
      const fixed = predefined[part.name];
      return render(fixed === undefined ? values.get(part.name) : fixed(), part.quoted || plainText);
    })
    .join('');
};
