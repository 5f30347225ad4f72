import { TwinError } from '../errors';
import { optionalString } from '../protocol/scalars';

/** EventBridge's validation errors: ValidationException with the Smithy constraint wording. */
export const validation = (message: string): TwinError => new TwinError('ValidationException', message);

export const constraintError = (name: string, value: unknown, constraint: string): TwinError =>
  validation(
    `1 validation error detected: Value '${String(value).slice(0, 100)}' at '${name}' failed to satisfy constraint: ${constraint}`,
  );

/** A string parameter within length bounds (and matching `pattern`), or undefined when absent. */
export const stringParam = (
  value: unknown,
  name: string,
  bounds: { min?: number; max: number; pattern?: RegExp },
): string | undefined => {
  const text = optionalString(value, name);
  if (text === undefined) return undefined;
  if (text.length < (bounds.min ?? 0))
    throw constraintError(name, text, `Member must have length greater than or equal to ${bounds.min}`);
  if (text.length > bounds.max)
    throw constraintError(name, text, `Member must have length less than or equal to ${bounds.max}`);
  if (bounds.pattern !== undefined && !bounds.pattern.test(text))
    throw constraintError(
      name,
      text,
      `Member must satisfy regular expression pattern: ${bounds.pattern.source}`,
    );
  return text;
};

export const requiredParam = (
  value: unknown,
  name: string,
  bounds: { min?: number; max: number; pattern?: RegExp },
): string => {
  const text = stringParam(value, name, bounds);
  if (text === undefined)
    throw validation(
      `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
    );
  return text;
};

export const RULE_NAME = /^[.\-_A-Za-z0-9]+$/;
export const TARGET_ID = /^[.\-_A-Za-z0-9]+$/;
export const DEFAULT_BUS = 'default';

/**
 * The twin has the default event bus only: `EventBusName` may be omitted, `default`, or the default
 * bus's ARN; anything else is a bus that does not exist.
 */
export const checkEventBus = (value: unknown, busArn: string): void => {
  const name = stringParam(value, 'eventBusName', { min: 1, max: 1600 });
  if (name === undefined || name === DEFAULT_BUS || name === busArn) return;
  throw new TwinError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
};
