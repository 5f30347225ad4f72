import { cbor, dateToTag, tagSymbol } from '@smithy/core/cbor';
import { NumericValue } from '@smithy/core/serde';
import { TwinError } from '../errors';
import type { TwinInput } from '../service';

/**
 * Smithy RPC v2 CBOR bodies ↔ plain values, over the SDK's own CBOR codec (@smithy/core/cbor), so
 * the twin encodes exactly what the SDK decodes. What this adds: timestamps (tag 1, epoch seconds)
 * as Dates in and out, undefined members left out, and malformed input as a SerializationException
 * rather than a crash.
 */
const TIMESTAMP_TAG = 1;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const malformed = (message: string): TwinError =>
  new TwinError('SerializationException', `request body is not valid CBOR: ${message}`, 400);

interface Tagged {
  readonly tag: number | bigint;
  readonly value: unknown;
}

const isTagged = (value: object): value is Tagged => tagSymbol in value;

const fromCbor = (value: unknown): unknown => {
  if (value === null || value === undefined) return value;
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER))
      throw malformed(`integer ${value} does not fit a double`);
    return Number(value);
  }
  if (typeof value !== 'object' || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(fromCbor);
  // Decimal fractions (tag 4) arrive as the codec's NumericValue; the twin's inputs are doubles.
  if (value instanceof NumericValue) {
    const number = Number(value.string);
    if (!Number.isFinite(number)) throw malformed(`decimal ${value.string} does not fit a double`);
    return number;
  }
  if (isTagged(value)) {
    if (Number(value.tag) !== TIMESTAMP_TAG) throw malformed(`unsupported tag ${String(value.tag)}`);
    if (typeof value.value !== 'number' || !Number.isFinite(value.value))
      throw malformed('a timestamp (tag 1) must hold a number of epoch seconds');
    return new Date(value.value * 1000);
  }
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (FORBIDDEN_KEYS.has(key)) throw malformed(`forbidden map key ${key}`);
    out[key] = fromCbor(member);
  }
  return out;
};

/** A request body → the operation's input. An empty body is an empty input, as the protocol allows. */
export const decodeCbor = (body: Uint8Array): TwinInput => {
  if (body.length === 0) return {};
  let decoded: unknown;
  try {
    decoded = cbor.deserialize(body);
  } catch (error) {
    throw malformed(error instanceof Error ? error.message : String(error));
  }
  if (
    typeof decoded !== 'object' ||
    decoded === null ||
    Array.isArray(decoded) ||
    decoded instanceof Uint8Array
  )
    throw malformed('the top-level item must be a map');
  return fromCbor(decoded) as TwinInput;
};

const toCbor = (value: unknown): unknown => {
  if (value instanceof Date) return dateToTag(value);
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(toCbor);
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member !== undefined) out[key] = toCbor(member);
  }
  return out;
};

export const encodeCbor = (value: unknown): Uint8Array => cbor.serialize(toCbor(value ?? {}));

/** The error body: `__type` (the error's code unless the service names its shape) and `message`. */
export const encodeCborError = (error: TwinError, type: string = error.code): Uint8Array =>
  encodeCbor({ __type: type, message: error.message });
