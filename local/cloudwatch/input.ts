import { TwinError } from '../errors';
import { optionalList, optionalObject, optionalString, requiredString } from '../protocol/scalars';

/**
 * CloudWatch-specific input checks on top of local/protocol/scalars.ts. Messages follow the shape
 * AWS uses for model constraint violations ("1 validation error detected: Value … at 'path' failed
 * to satisfy constraint: …"), with the member path in AWS's lowerCamel style.
 */
export const constraint = (name: string, value: unknown, rule: string): TwinError =>
  new TwinError(
    'ValidationError',
    `1 validation error detected: Value '${String(value).slice(0, 100)}' at '${name}' failed to satisfy constraint: ${rule}`,
  );

export const missing = (name: string): TwinError =>
  new TwinError(
    'ValidationError',
    `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
  );

export const invalidValue = (message: string): TwinError => new TwinError('InvalidParameterValue', message);

export const invalidCombination = (message: string): TwinError =>
  new TwinError('InvalidParameterCombination', message);

const checkLength = (text: string, name: string, min: number, max: number): string => {
  if (text.length < min)
    throw constraint(name, text, `Member must have length greater than or equal to ${min}`);
  if (text.length > max) throw constraint(name, text, `Member must have length less than or equal to ${max}`);
  return text;
};

export const stringIn = (value: unknown, name: string, min: number, max: number): string | undefined => {
  const text = optionalString(value, name);
  return text === undefined ? undefined : checkLength(text, name, min, max);
};

export const requiredStringIn = (value: unknown, name: string, min: number, max: number): string =>
  checkLength(requiredString(value, name), name, min, max);

export const optionalEnum = <T extends string>(
  value: unknown,
  name: string,
  allowed: readonly T[],
): T | undefined => {
  const text = optionalString(value, name);
  if (text === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(text))
    throw constraint(name, text, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  return text as T;
};

export const requiredEnum = <T extends string>(value: unknown, name: string, allowed: readonly T[]): T => {
  const result = optionalEnum(value, name, allowed);
  if (result === undefined) throw missing(name);
  return result;
};

/** A list whose length AWS bounds; undefined stays undefined. */
export const listOf = (value: unknown, name: string, max: number): unknown[] | undefined => {
  // awsQuery sends an empty list as `Name=`, which decodes to an empty string.
  const list = optionalList(value === '' ? [] : value, name);
  if (list !== undefined && list.length > max)
    throw constraint(name, `[${list.length} items]`, `Member must have length less than or equal to ${max}`);
  return list;
};

export const stringList = (value: unknown, name: string, max: number, maxLength = 1024): string[] =>
  (listOf(value, name, max) ?? []).map((item, index) =>
    requiredStringIn(item, `${name}.${index + 1}.member`, 1, maxLength),
  );

export const requiredObject = (value: unknown, name: string): Record<string, unknown> => {
  const object = optionalObject(value, name);
  if (object === undefined) throw missing(name);
  return object;
};

export interface Dimension {
  readonly Name: string;
  readonly Value: string;
}

/** Dimensions as AWS validates them: at most 30, names 1–255, values 1–1024 characters, no name twice. */
export const dimensions = (value: unknown, name: string): Dimension[] => {
  const list = listOf(value, name, 30) ?? [];
  const seen = new Set<string>();
  return list.map((item, index) => {
    const path = `${name}.${index + 1}.member`;
    const dimension = requiredObject(item, path);
    const dimensionName = requiredStringIn(dimension.Name, `${path}.name`, 1, 255);
    const dimensionValue = requiredStringIn(dimension.Value, `${path}.value`, 1, 1024);
    if (seen.has(dimensionName))
      throw invalidValue(`The dimension ${dimensionName} appears more than once in ${name}.`);
    seen.add(dimensionName);
    return { Name: dimensionName, Value: dimensionValue };
  });
};

export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
export type AlarmStateValue = (typeof ALARM_STATES)[number];

export const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;

export const STANDARD_UNITS = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
] as const;
