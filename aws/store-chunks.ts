import { ClusterShiftError } from '../core/errors';
import { chunkSk } from './store-keys';

/** DynamoDB caps an item at 400 KB; a chunk stays well below, whatever a route weighs. */
const MAX_PER_CHUNK = 100;
const MAX_CHUNK_CHARS = 300_000;

/**
 * Splits a long list into chunks of at most 100 entries, fewer when entries are large, so a plan of
 * thousands of routes fits in items of the size DynamoDB allows.
 */
export const splitChunks = <T>(values: readonly T[]): T[][] => {
  const chunks: T[][] = [];
  let current: T[] = [];
  let chars = 0;
  for (const value of values) {
    const size = JSON.stringify(value)?.length ?? 0;
    if (current.length >= MAX_PER_CHUNK || (current.length > 0 && chars + size > MAX_CHUNK_CHARS)) {
      chunks.push(current);
      current = [];
      chars = 0;
    }
    current.push(value);
    chars += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
};

/** Items for the chunks of one list, keyed `<prefix>#0000` …, each holding `values`. */
export const chunkItems = <T>(
  pk: string,
  prefix: string,
  values: readonly T[],
  extra: Record<string, unknown> = {},
): { pk: string; sk: string; values: T[] }[] =>
  splitChunks(values).map((part, index) => ({ ...extra, pk, sk: chunkSk(prefix, index), values: part }));

/** Joins chunk items back in order, using only the first `count` (a shorter re-save leaves stale ones). */
export const joinChunks = <T>(
  items: readonly Record<string, unknown>[],
  prefix: string,
  count: number,
): T[] => {
  const byKey = new Map(items.map((item) => [item.sk, item]));
  const values: T[] = [];
  for (let index = 0; index < count; index++) {
    const item = byKey.get(chunkSk(prefix, index));
    if (item === undefined) {
      // Only a write interrupted half-way leaves this; reading on would silently lose routes.
      throw new ClusterShiftError(
        'AwsCallFailed',
        `stored ${prefix} is incomplete: ${chunkSk(prefix, index)} is missing`,
        {
          details: { operation: 'DynamoDB Query', missing: chunkSk(prefix, index) },
        },
      );
    }
    values.push(...((item.values ?? []) as T[]));
  }
  return values;
};
