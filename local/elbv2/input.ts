import { optionalInteger, optionalObject, optionalString, requiredString } from '../protocol/scalars';
import type { TwinInput } from '../service';
import { constraint, validation } from './errors';

/**
 * Readers for decoded awsQuery input (every scalar a string, `member.N` lists already arrays).
 * The SDK sends an empty list as a bare `Name=` parameter, which decodes to '' — read as [].
 */
export const list = (value: unknown, path: string): unknown[] | undefined => {
  if (value === undefined || value === null) return undefined;
  if (value === '') return [];
  if (!Array.isArray(value)) throw constraint(path, '[value]', 'be a list');
  return value;
};

export const requiredList = (value: unknown, path: string): unknown[] => {
  const items = list(value, path);
  if (items === undefined) throw constraint(path, 'null', 'not be null');
  return items;
};

export const stringList = (value: unknown, path: string, max?: number): string[] | undefined => {
  const items = list(value, path);
  if (items !== undefined && max !== undefined && items.length > max) {
    throw constraint(path, `${items.length} items`, `have length less than or equal to ${max}`);
  }
  return items?.map((item, index) => requiredString(item, `${path}.${index + 1}.member`));
};

export const struct = (value: unknown, path: string): TwinInput => {
  // An empty structure arrives as '' too (no members sent).
  if (value === '') return {};
  const object = optionalObject(value, path);
  if (object === undefined) throw constraint(path, 'null', 'not be null');
  return object;
};

export const optionalStruct = (value: unknown, path: string): TwinInput | undefined =>
  value === undefined || value === null ? undefined : struct(value, path);

export const intInRange = (value: unknown, path: string, min: number, max: number): number | undefined => {
  const number = optionalInteger(value, path);
  if (number === undefined) return undefined;
  if (number < min) throw constraint(path, value, `have value greater than or equal to ${min}`);
  if (number > max) throw constraint(path, value, `have value less than or equal to ${max}`);
  return number;
};

export const oneOf = <T extends string>(
  value: unknown,
  path: string,
  allowed: readonly T[],
): T | undefined => {
  const text = optionalString(value, path);
  if (text === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(text)) {
    throw constraint(path, text, `satisfy enum value set: [${allowed.join(', ')}]`);
  }
  return text as T;
};

export const boundedString = (value: unknown, path: string, min: number, max: number): string | undefined => {
  const text = optionalString(value, path);
  if (text === undefined) return undefined;
  if (text.length < min) throw constraint(path, text, `have length greater than or equal to ${min}`);
  if (text.length > max) throw constraint(path, text, `have length less than or equal to ${max}`);
  return text;
};

/** Parameters that exclude each other (AWS: "cannot be specified at the same time"). */
export const exclusive = (input: TwinInput, names: readonly string[]): void => {
  const given = names.filter((name) => input[name] !== undefined);
  if (given.length > 1) throw validation(`${given.join(' and ')} cannot be specified at the same time`);
};
