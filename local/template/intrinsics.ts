import { templateError } from './errors';

/**
 * CloudFormation's intrinsic functions, the ones CDK templates use: Ref, Fn::GetAtt, Fn::Join,
 * Fn::Sub (both forms), Fn::Select, Fn::Split. Written by hand: the few npm packages that evaluate
 * templates are unmaintained or pull in a whole CloudFormation emulator. Anything else fails naming
 * the intrinsic and where it is, so an unsupported template never half-deploys.
 */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** `Ref: AWS::NoValue`: the property (or list item) is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
export type Resolved = Json | typeof NO_VALUE;

export interface ResolveContext {
  /** Pseudo parameters (`AWS::Region` …) by name. */
  readonly pseudo: Readonly<Record<string, Json>>;
  /** `Ref` of a parameter or resource; throws naming `where` when there is none. */
  ref(logicalId: string, where: string): Json;
  /** `Fn::GetAtt` of a resource; throws naming `where` for an unknown resource or attribute. */
  getAtt(logicalId: string, attribute: string, where: string): Json;
}

const SUPPORTED = ['Ref', 'Fn::GetAtt', 'Fn::Join', 'Fn::Sub', 'Fn::Select', 'Fn::Split'];

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The intrinsic an object is, if it is one: a single key that is `Ref` or starts with `Fn::`. */
const intrinsicOf = (value: Record<string, unknown>): string | undefined => {
  const keys = Object.keys(value);
  const [key] = keys;
  return keys.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::'))
    ? key
    : undefined;
};

const asText = (value: Resolved, what: string, where: string): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw templateError('InvalidTemplate', `${what} in ${where} needs a string, got ${JSON.stringify(value)}`);
};

const asList = (value: Resolved, what: string, where: string): Json[] => {
  if (Array.isArray(value)) return value;
  throw templateError('InvalidTemplate', `${what} in ${where} needs a list, got ${JSON.stringify(value)}`);
};

const args = (value: unknown, count: number, name: string, where: string): unknown[] => {
  if (!Array.isArray(value) || value.length !== count) {
    throw templateError('InvalidTemplate', `${name} in ${where} takes a list of ${count} arguments`);
  }
  return value;
};

const PLACEHOLDER = /\$\{([^}]*)\}/g;

export const resolveValue = (value: unknown, context: ResolveContext, where: string): Resolved => {
  if (Array.isArray(value)) {
    return value
      .map((item) => resolveValue(item, context, where))
      .filter((item) => item !== NO_VALUE) as Json[];
  }
  if (!isPlainObject(value)) {
    if (value === undefined) return null;
    return value as Json;
  }
  const intrinsic = intrinsicOf(value);
  if (intrinsic === undefined) {
    const out: { [key: string]: Json } = {};
    for (const [key, child] of Object.entries(value)) {
      const resolved = resolveValue(child, context, where);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  }
  const argument = value[intrinsic];
  switch (intrinsic) {
    case 'Ref': {
      const name = asText(resolveValue(argument, context, where), 'Ref', where);
      if (name === 'AWS::NoValue') return NO_VALUE;
      const pseudo = context.pseudo[name];
      return pseudo !== undefined ? pseudo : context.ref(name, where);
    }
    case 'Fn::GetAtt': {
      const [logicalId, attribute] =
        typeof argument === 'string'
          ? [argument.slice(0, argument.indexOf('.')), argument.slice(argument.indexOf('.') + 1)]
          : args(argument, 2, intrinsic, where).map((part) =>
              asText(resolveValue(part, context, where), intrinsic, where),
            );
      if (!logicalId || !attribute) {
        throw templateError('InvalidTemplate', `Fn::GetAtt in ${where} needs a logical id and an attribute`);
      }
      return context.getAtt(logicalId, attribute, where);
    }
    case 'Fn::Join': {
      const [delimiter, list] = args(argument, 2, intrinsic, where);
      const separator = asText(resolveValue(delimiter, context, where), intrinsic, where);
      return asList(resolveValue(list, context, where), intrinsic, where)
        .map((item) => asText(item, intrinsic, where))
        .join(separator);
    }
    case 'Fn::Select': {
      const [index, list] = args(argument, 2, intrinsic, where);
      const position = Number(asText(resolveValue(index, context, where), intrinsic, where));
      const items = asList(resolveValue(list, context, where), intrinsic, where);
      const item = Number.isInteger(position) ? items[position] : undefined;
      if (item === undefined) {
        throw templateError(
          'InvalidTemplate',
          `Fn::Select in ${where}: index ${position} is not in a list of ${items.length}`,
        );
      }
      return item;
    }
    case 'Fn::Split': {
      const [delimiter, source] = args(argument, 2, intrinsic, where);
      const separator = asText(resolveValue(delimiter, context, where), intrinsic, where);
      return asText(resolveValue(source, context, where), intrinsic, where).split(separator);
    }
    case 'Fn::Sub':
      return substitute(argument, context, where);
    default:
      throw templateError(
        'UnsupportedIntrinsic',
        `${intrinsic} in ${where}; the twin resolves ${SUPPORTED.join(', ')}`,
      );
  }
};

/** Fn::Sub: `"text ${Name} ${Res.Attr} ${!Literal}"` or `[text, { Name: value }]`. */
const substitute = (argument: unknown, context: ResolveContext, where: string): string => {
  const [template, variables] =
    typeof argument === 'string' ? [argument, {}] : args(argument, 2, 'Fn::Sub', where);
  if (typeof template !== 'string' || !isPlainObject(variables)) {
    throw templateError(
      'InvalidTemplate',
      `Fn::Sub in ${where} takes a string, or a string and a map of variables`,
    );
  }
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    if (Object.hasOwn(variables, name)) {
      return asText(resolveValue(variables[name], context, where), `Fn::Sub variable ${name}`, where);
    }
    const dot = name.indexOf('.');
    const value =
      dot > 0 && !name.startsWith('AWS::')
        ? context.getAtt(name.slice(0, dot), name.slice(dot + 1), where)
        : resolveValue({ Ref: name }, context, where);
    return asText(value, `Fn::Sub \${${name}}`, where);
  });
};
