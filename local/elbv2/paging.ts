import { validation } from './errors';
import { intInRange } from './input';

/**
 * Marker/PageSize paging as the Describe operations do it. The marker is opaque to clients; here it
 * carries the offset of the next item (base64url, so clients do not read meaning into it).
 */
const MAX_PAGE_SIZE = 400;

const decodeMarker = (marker: string): number => {
  const text = Buffer.from(marker, 'base64url').toString('utf8');
  const match = /^next:([0-9]{1,9})$/.exec(text);
  if (match?.[1] === undefined) throw validation('The specified marker is not valid');
  return Number(match[1]);
};

const encodeMarker = (offset: number): string => Buffer.from(`next:${offset}`).toString('base64url');

export interface Paging {
  readonly start: number;
  readonly size: number;
}

/** Reads Marker and PageSize, before anything is looked up (AWS checks parameters first). */
export const paging = (input: { Marker?: unknown; PageSize?: unknown }): Paging => {
  // AWS documents no default page size; the twin uses the largest one allowed.
  const size = intInRange(input.PageSize, 'pageSize', 1, MAX_PAGE_SIZE) ?? MAX_PAGE_SIZE;
  const marker = input.Marker;
  if (marker !== undefined && typeof marker !== 'string')
    throw validation('The specified marker is not valid');
  return { start: marker === undefined || marker === '' ? 0 : decodeMarker(marker), size };
};

/** One page of `items`, and the marker of the next when there is more. */
export const page = <T>(
  items: readonly T[],
  { start, size }: Paging,
): { items: T[]; NextMarker?: string } => {
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? encodeMarker(start + size) : undefined;
  return next === undefined ? { items: slice } : { items: slice, NextMarker: next };
};
