import { TwinError } from '../errors';

/**
 * Scalars arrive as strings (awsQuery), numbers/booleans (awsJson, CBOR), epoch seconds (awsJson
 * timestamps) or Dates (CBOR). These turn any of them into one type, or throw the AWS-style
 * validation error naming the parameter.
 */
const invalid = (name: string, value: unknown, expected: string): TwinError =>
  new TwinError(
    'ValidationError',
    `1 validation error detected: Value '${String(value).slice(0, 100)}' at '${name}' failed to satisfy constraint: Member must be ${expected}`,
  );

export const optionalString = (value: unknown, name: string): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(name, value, 'a string');
  return value;
};

export const requiredString = (value: unknown, name: string): string => {
  const text = optionalString(value, name);
  if (text === undefined) {
    throw new TwinError(
      'ValidationError',
      `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return text;
};

export const optionalNumber = (value: unknown, name: string): number | undefined => {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) throw invalid(name, value, 'a number');
  return number;
};

export const optionalInteger = (value: unknown, name: string): number | undefined => {
  const number = optionalNumber(value, name);
  if (number !== undefined && !Number.isInteger(number)) throw invalid(name, value, 'an integer');
  return number;
};

export const optionalBoolean = (value: unknown, name: string): boolean | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalid(name, value, 'a boolean');
};

/** Epoch seconds (number), ISO 8601 or epoch-seconds string, or a Date. */
export const optionalTimestamp = (value: unknown, name: string): Date | undefined => {
  if (value === undefined || value === null) return undefined;
  let date: Date | undefined;
  if (value instanceof Date) date = value;
  else if (typeof value === 'number') date = new Date(value * 1000);
  else if (typeof value === 'string')
    date = /^-?[0-9]+(\.[0-9]+)?$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  if (date === undefined || Number.isNaN(date.getTime())) throw invalid(name, value, 'a timestamp');
  return date;
};

export const optionalList = (value: unknown, name: string): unknown[] | undefined => {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalid(name, '[object]', 'a list');
  return value;
};

export const optionalObject = (value: unknown, name: string): Record<string, unknown> | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value) || value instanceof Date)
    throw invalid(name, '[value]', 'a structure');
  return value as Record<string, unknown>;
};
