import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  type DeleteCommandInput,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ClusterShiftError } from '../core/errors';
import { awsErrorName } from './aws-errors';
import { chunk } from './bounded';
import { type RetryOptions, withRetry } from './retry';

export type Item = Record<string, unknown>;
export interface Key {
  readonly pk: string;
  readonly sk: string;
}

/** What every store call needs: the client, the table and how to retry throttling. */
export interface Table {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly retry?: RetryOptions;
}

/** A document client as the store expects it: undefined attributes dropped rather than rejected. */
export const documentClient = (client: DynamoDBClient = new DynamoDBClient({})): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

let shared: DynamoDBDocumentClient | undefined;
export const defaultDocumentClient = (): DynamoDBDocumentClient => (shared ??= documentClient());

/** A conditional write either happened, or did not and tells what was there instead (if anything). */
export type Conditional = { readonly ok: true } | { readonly ok: false; readonly old: Item | undefined };

/** BatchWriteItem takes at most 25 requests; unprocessed ones are retried this many times. */
const BATCH_SIZE = 25;
const BATCH_ATTEMPTS = 8;

/**
 * DynamoDB JSON → plain value. The document client does not unmarshall the item attached to a
 * ConditionalCheckFailedException, and the store only needs these types.
 */
const unmarshall = (value: unknown): unknown => {
  if (typeof value !== 'object' || value === null) return value;
  const av = value as Record<string, unknown>;
  if ('S' in av) return av.S;
  if ('N' in av) return Number(av.N);
  if ('BOOL' in av) return av.BOOL;
  if ('NULL' in av) return null;
  if ('L' in av && Array.isArray(av.L)) return av.L.map(unmarshall);
  if ('M' in av) return unmarshallItem(av.M);
  return undefined;
};
const unmarshallItem = (map: unknown): Item =>
  Object.fromEntries(
    Object.entries((map ?? {}) as Record<string, unknown>).map(([k, v]) => [k, unmarshall(v)]),
  );

const isConditionFailure = (error: unknown): boolean =>
  awsErrorName(error) === 'ConditionalCheckFailedException';

export const getItem = async (table: Table, key: Key): Promise<Item | undefined> => {
  const input = { TableName: table.tableName, Key: key, ConsistentRead: true };
  const result = await withRetry(
    'DynamoDB GetItem',
    () => table.client.send(new GetCommand(input)),
    table.retry,
  );
  return result.Item;
};

export const putItem = async (table: Table, item: Item & Key): Promise<void> => {
  const input = { TableName: table.tableName, Item: item };
  await withRetry('DynamoDB PutItem', () => table.client.send(new PutCommand(input)), table.retry);
};

export const deleteItem = async (table: Table, key: Key): Promise<void> => {
  const input = { TableName: table.tableName, Key: key };
  await withRetry('DynamoDB DeleteItem', () => table.client.send(new DeleteCommand(input)), table.retry);
};

/**
 * Runs a conditional write. A failed condition is an answer, not an error: it comes back with the
 * item that was there (ALL_OLD on the failure, or one consistent read where the endpoint does not
 * return it, as dynalite does not).
 */
const conditional = async (
  table: Table,
  key: Key,
  operation: string,
  send: () => Promise<unknown>,
  wantOld = true,
): Promise<Conditional> => {
  const outcome = await withRetry(
    operation,
    async (): Promise<Conditional> => {
      try {
        await send();
        return { ok: true };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const attached = (error as { Item?: unknown }).Item;
        return { ok: false, old: attached === undefined ? undefined : unmarshallItem(attached) };
      }
    },
    table.retry,
  );
  if (outcome.ok || outcome.old !== undefined || !wantOld) return outcome;
  return { ok: false, old: await getItem(table, key) };
};

type Conditions = Pick<
  PutCommandInput,
  'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
>;

/** `wantOld: false` when the caller does not care what blocked the write (saves the fallback read). */
export const conditionalPut = (
  table: Table,
  item: Item & Key,
  condition: Conditions,
  wantOld = true,
): Promise<Conditional> => {
  const input: PutCommandInput = {
    TableName: table.tableName,
    Item: item,
    ...condition,
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
  return conditional(
    table,
    { pk: item.pk, sk: item.sk },
    'DynamoDB PutItem',
    () => table.client.send(new PutCommand(input)),
    wantOld,
  );
};

export const conditionalUpdate = (
  table: Table,
  key: Key,
  update: Omit<UpdateCommandInput, 'TableName' | 'Key'>,
): Promise<Conditional> => {
  const input: UpdateCommandInput = {
    TableName: table.tableName,
    Key: key,
    ...update,
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
  return conditional(table, key, 'DynamoDB UpdateItem', () => table.client.send(new UpdateCommand(input)));
};

export const conditionalDelete = (
  table: Table,
  key: Key,
  condition: Omit<DeleteCommandInput, 'TableName' | 'Key'>,
): Promise<Conditional> => {
  const input: DeleteCommandInput = { TableName: table.tableName, Key: key, ...condition };
  // Whoever holds the item instead does not matter to a conditional delete: skip the read.
  return conditional(
    table,
    key,
    'DynamoDB DeleteItem',
    () => table.client.send(new DeleteCommand(input)),
    false,
  );
};

/** An unconditional update returning the item after it. */
export const updateItem = async (
  table: Table,
  key: Key,
  update: Omit<UpdateCommandInput, 'TableName' | 'Key'>,
): Promise<Item> => {
  const input: UpdateCommandInput = {
    TableName: table.tableName,
    Key: key,
    ReturnValues: 'ALL_NEW',
    ...update,
  };
  const result = await withRetry(
    'DynamoDB UpdateItem',
    () => table.client.send(new UpdateCommand(input)),
    table.retry,
  );
  return result.Attributes ?? {};
};

/** Every item of a query, all pages (or the first `limit` items). */
export const queryAll = async (
  table: Table,
  query: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
  limit = Number.POSITIVE_INFINITY,
): Promise<Item[]> => {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const input: QueryCommandInput = {
      TableName: table.tableName,
      ConsistentRead: true,
      ...query,
      ExclusiveStartKey: start,
    };
    const page = await withRetry(
      'DynamoDB Query',
      () => table.client.send(new QueryCommand(input)),
      table.retry,
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined && items.length < limit);
  return items.slice(0, limit);
};

type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Key } };

/** Writes in batches of 25, re-sending what DynamoDB left unprocessed (it does so under load). */
const batchWrite = async (table: Table, requests: readonly WriteRequest[]): Promise<void> => {
  const sleep =
    table.retry?.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = table.retry?.random ?? Math.random;
  for (const batch of chunk(requests, BATCH_SIZE)) {
    let pending: readonly unknown[] = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= BATCH_ATTEMPTS) {
        throw new ClusterShiftError(
          'Throttling',
          `DynamoDB BatchWriteItem left ${pending.length} items unprocessed`,
          {
            details: { operation: 'DynamoDB BatchWriteItem', unprocessed: pending.length },
          },
        );
      }
      if (attempt > 0) await sleep(random() * Math.min(3_000, 50 * 2 ** attempt));
      const input = { RequestItems: { [table.tableName]: pending as WriteRequest[] } };
      const result = await withRetry(
        'DynamoDB BatchWriteItem',
        () => table.client.send(new BatchWriteCommand(input)),
        table.retry,
      );
      pending = result.UnprocessedItems?.[table.tableName] ?? [];
    }
  }
};

export const putItems = (table: Table, items: readonly (Item & Key)[]): Promise<void> =>
  batchWrite(
    table,
    items.map((item) => ({ PutRequest: { Item: item } })),
  );

export const deleteItems = (table: Table, keys: readonly Key[]): Promise<void> =>
  batchWrite(
    table,
    keys.map((key) => ({ DeleteRequest: { Key: { pk: key.pk, sk: key.sk } } })),
  );
