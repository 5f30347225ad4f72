import {
  type AttributeValue,
  BatchWriteItemCommand,
  DeleteItemCommand,
  type DeleteItemCommandInput,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateItemCommand,
  type UpdateItemCommandInput,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
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
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly retry?: RetryOptions;
}

let shared: DynamoDBClient | undefined;
/** One client per module (so per Lambda container): its connections outlive an invocation. */
export const defaultDynamoDbClient = (): DynamoDBClient => (shared ??= new DynamoDBClient({}));

/** A conditional write either happened, or did not and tells what was there instead (if anything). */
export type Conditional = { readonly ok: true } | { readonly ok: false; readonly old: Item | undefined };

/** BatchWriteItem takes at most 25 requests; unprocessed ones are retried this many times. */
const BATCH_SIZE = 25;
const BATCH_ATTEMPTS = 8;

type Attributes = Record<string, AttributeValue>;

/** Plain values → DynamoDB JSON. Undefined attributes are dropped rather than rejected. */
const toAttributes = (values: Item | Key): Attributes => marshall(values, { removeUndefinedValues: true });
/** DynamoDB JSON → plain values (numbers as JS numbers). */
const fromAttributes = (attributes: Attributes): Item => unmarshall(attributes);

/** A command input with plain ExpressionAttributeValues in place of DynamoDB JSON. */
type WithPlainValues<T> = Omit<T, 'TableName' | 'Key' | 'ExpressionAttributeValues'> & {
  readonly ExpressionAttributeValues?: Item;
};
type Update = WithPlainValues<UpdateItemCommandInput>;
type Query = WithPlainValues<Omit<QueryCommandInput, 'ExclusiveStartKey'>>;
/** The condition of a conditional put. */
type Conditions = Pick<
  Update,
  'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
>;

/** The input with its ExpressionAttributeValues (if any) marshalled; no empty map where it had none. */
const withAttributeValues = <T extends { readonly ExpressionAttributeValues?: Item }>(
  input: T,
): Omit<T, 'ExpressionAttributeValues'> & { ExpressionAttributeValues?: Attributes } => {
  const { ExpressionAttributeValues: values, ...rest } = input;
  return values === undefined ? rest : { ...rest, ExpressionAttributeValues: toAttributes(values) };
};

const isConditionFailure = (error: unknown): boolean =>
  awsErrorName(error) === 'ConditionalCheckFailedException';

export const getItem = async (table: Table, key: Key): Promise<Item | undefined> => {
  const input = { TableName: table.tableName, Key: toAttributes(key), ConsistentRead: true };
  const result = await withRetry(
    'DynamoDB GetItem',
    () => table.client.send(new GetItemCommand(input)),
    table.retry,
  );
  return result.Item === undefined ? undefined : fromAttributes(result.Item);
};

export const putItem = async (table: Table, item: Item & Key): Promise<void> => {
  const input = { TableName: table.tableName, Item: toAttributes(item) };
  await withRetry('DynamoDB PutItem', () => table.client.send(new PutItemCommand(input)), table.retry);
};

export const deleteItem = async (table: Table, key: Key): Promise<void> => {
  const input = { TableName: table.tableName, Key: toAttributes(key) };
  await withRetry('DynamoDB DeleteItem', () => table.client.send(new DeleteItemCommand(input)), table.retry);
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
        const attached = (error as { Item?: Attributes }).Item;
        return { ok: false, old: attached === undefined ? undefined : fromAttributes(attached) };
      }
    },
    table.retry,
  );
  if (outcome.ok || outcome.old !== undefined || !wantOld) return outcome;
  return { ok: false, old: await getItem(table, key) };
};

/** `wantOld: false` when the caller does not care what blocked the write (saves the fallback read). */
export const conditionalPut = (
  table: Table,
  item: Item & Key,
  condition: Conditions,
  wantOld = true,
): Promise<Conditional> => {
  const input = {
    TableName: table.tableName,
    Item: toAttributes(item),
    ...withAttributeValues(condition),
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  };
  return conditional(
    table,
    { pk: item.pk, sk: item.sk },
    'DynamoDB PutItem',
    () => table.client.send(new PutItemCommand(input)),
    wantOld,
  );
};

export const conditionalUpdate = (table: Table, key: Key, update: Update): Promise<Conditional> => {
  const input: UpdateItemCommandInput = {
    TableName: table.tableName,
    Key: toAttributes(key),
    ...withAttributeValues(update),
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
  return conditional(table, key, 'DynamoDB UpdateItem', () =>
    table.client.send(new UpdateItemCommand(input)),
  );
};

export const conditionalDelete = (
  table: Table,
  key: Key,
  condition: WithPlainValues<DeleteItemCommandInput>,
): Promise<Conditional> => {
  const input: DeleteItemCommandInput = {
    TableName: table.tableName,
    Key: toAttributes(key),
    ...withAttributeValues(condition),
  };
  // Whoever holds the item instead does not matter to a conditional delete: skip the read.
  return conditional(
    table,
    key,
    'DynamoDB DeleteItem',
    () => table.client.send(new DeleteItemCommand(input)),
    false,
  );
};

/** An unconditional update returning the item after it. */
export const updateItem = async (table: Table, key: Key, update: Update): Promise<Item> => {
  const input: UpdateItemCommandInput = {
    TableName: table.tableName,
    Key: toAttributes(key),
    ReturnValues: 'ALL_NEW',
    ...withAttributeValues(update),
  };
  const result = await withRetry(
    'DynamoDB UpdateItem',
    () => table.client.send(new UpdateItemCommand(input)),
    table.retry,
  );
  return result.Attributes === undefined ? {} : fromAttributes(result.Attributes);
};

/** Every item of a query, all pages (or the first `limit` items). */
export const queryAll = async (
  table: Table,
  query: Query,
  limit = Number.POSITIVE_INFINITY,
): Promise<Item[]> => {
  const items: Item[] = [];
  const base = withAttributeValues(query);
  // LastEvaluatedKey is DynamoDB JSON already: it goes back as it came.
  let start: Attributes | undefined;
  do {
    const input: QueryCommandInput = {
      TableName: table.tableName,
      ConsistentRead: true,
      ...base,
      ExclusiveStartKey: start,
    };
    const page = await withRetry(
      'DynamoDB Query',
      () => table.client.send(new QueryCommand(input)),
      table.retry,
    );
    items.push(...(page.Items ?? []).map(fromAttributes));
    start = page.LastEvaluatedKey;
  } while (start !== undefined && items.length < limit);
  return items.slice(0, limit);
};

/**
 * Writes in batches of 25, re-sending what DynamoDB left unprocessed (it does so under load). The
 * requests are marshalled once: UnprocessedItems come back in the same DynamoDB JSON.
 */
const batchWrite = async (table: Table, requests: readonly WriteRequest[]): Promise<void> => {
  const sleep =
    table.retry?.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = table.retry?.random ?? Math.random;
  for (const batch of chunk(requests, BATCH_SIZE)) {
    let pending: readonly WriteRequest[] = batch;
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
      const input = { RequestItems: { [table.tableName]: [...pending] } };
      const result = await withRetry(
        'DynamoDB BatchWriteItem',
        () => table.client.send(new BatchWriteItemCommand(input)),
        table.retry,
      );
      pending = result.UnprocessedItems?.[table.tableName] ?? [];
    }
  }
};

export const putItems = (table: Table, items: readonly (Item & Key)[]): Promise<void> =>
  batchWrite(
    table,
    items.map((item) => ({ PutRequest: { Item: toAttributes(item) } })),
  );

export const deleteItems = (table: Table, keys: readonly Key[]): Promise<void> =>
  batchWrite(
    table,
    keys.map((key) => ({ DeleteRequest: { Key: toAttributes({ pk: key.pk, sk: key.sk }) } })),
  );
