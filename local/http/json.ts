import { TwinError } from '../errors';
import type { TwinInput } from '../service';

/**
 * awsJson 1.0/1.1 (Step Functions, EventBridge; CloudWatch has its own wrapper): JSON object in,
 * JSON out, timestamps as epoch seconds, errors as `{ "__type": code, "message": … }`.
 */
export const decodeJsonInput = (body: Buffer): TwinInput => {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new TwinError('SerializationException', 'the request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TwinError('SerializationException', 'the request body must be a JSON object');
  }
  return parsed as TwinInput;
};

/** JSON.stringify with Dates as epoch seconds, the awsJson timestamp format. */
export const encodeJsonOutput = (value: unknown): string =>
  JSON.stringify(
    value ?? {},
    function replacer(this: Record<string, unknown>, key: string, current: unknown) {
      const raw = this[key];
      return raw instanceof Date ? raw.getTime() / 1000 : current;
    },
  );

export const encodeJsonError = (error: TwinError): string =>
  JSON.stringify({ __type: error.code, message: error.message });
