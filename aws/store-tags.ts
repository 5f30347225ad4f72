import * as z from 'zod/mini';
import type { ResourceTags, TagInventory } from '../core/tag-inventory';
import { chunkItems, joinChunks } from './store-chunks';
import { deleteItems, getItem, putItem, putItems, queryAll, type Table } from './store-db';
import { fleetPk, SK, TTL_DAYS, ttlAfter } from './store-keys';

/**
 * The fleet's tag inventory (core/tag-inventory.ts) in the table: a head item naming its writer and
 * chunk count, and the entries in chunks keyed by that writer (`tags#<writer>#0000` …), so a reader
 * never joins chunks of two writers. Chunks first, head last; the previous writer's chunks are
 * deleted after the head moves on (a reader that still holds the old head then finds a chunk
 * missing, and reads the tags live instead).
 */
const headSchema = z.object({
  writer: z.string(),
  chunks: z.number(),
  learnedAt: z.string(),
});
/** One resource: its ARN and kept tags. */
const entrySchema = z.object({ arn: z.string(), tags: z.record(z.string(), z.string()) });

const chunkPrefix = (writer: string): string => `${SK.tagInventory}#${writer}`;

/** The inventory, or undefined when there is none or it cannot be read whole. */
export const readTagInventory = async (table: Table, fleet: string): Promise<TagInventory | undefined> => {
  const pk = fleetPk(fleet);
  const head = headSchema.safeParse(await getItem(table, { pk, sk: SK.tagInventory }));
  if (!head.success) return undefined;
  const prefix = chunkPrefix(head.data.writer);
  const items = await queryAll(table, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': `${prefix}#` },
  });
  let raw: unknown[];
  try {
    raw = joinChunks<unknown>(items, prefix, head.data.chunks);
  } catch {
    return undefined;
  }
  const entries = new Map<string, ResourceTags>();
  for (const value of raw) {
    const entry = entrySchema.safeParse(value);
    if (!entry.success) return undefined;
    entries.set(entry.data.arn, entry.data.tags);
  }
  return { entries, learnedAt: head.data.learnedAt };
};

/** Replaces the inventory with `entries`, written by `writer` (an execution id). */
export const writeTagInventory = async (
  table: Table,
  fleet: string,
  writer: string,
  entries: ReadonlyMap<string, ResourceTags>,
  now: Date,
): Promise<void> => {
  const pk = fleetPk(fleet);
  const ttl = ttlAfter(now, TTL_DAYS.tagInventory);
  const previous = headSchema.safeParse(await getItem(table, { pk, sk: SK.tagInventory }));
  const values = [...entries].map(([arn, tags]) => ({ arn, tags }));
  const chunks = chunkItems(pk, chunkPrefix(writer), values, { ttl });
  await putItems(table, chunks);
  await putItem(table, {
    pk,
    sk: SK.tagInventory,
    writer,
    chunks: chunks.length,
    learnedAt: now.toISOString(),
    ttl,
  });
  if (!previous.success || previous.data.writer === writer) return;
  const stale = await queryAll(table, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': `${chunkPrefix(previous.data.writer)}#` },
  });
  await deleteItems(
    table,
    stale.map((item) => ({ pk, sk: String(item.sk) })),
  );
};
