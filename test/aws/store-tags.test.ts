import { type AttributeValue, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { PlanningStore } from '../../aws/store';
import { startDynalite } from '../support/dynalite';

let db: Awaited<ReturnType<typeof startDynalite>>;
let fleets = 0;

beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db.close();
});

const newStore = (fleet = `tags${++fleets}`) =>
  new PlanningStore({ tableName: db.tableName, fleet, client: db.client });
const T0 = new Date('2026-03-01T10:00:00Z');
/** Writes an item as it is, around the store (what a writer that died half-way would leave). */
const putRaw = (fleet: string, sk: string, attributes: Record<string, AttributeValue>) =>
  db.client.send(
    new PutItemCommand({
      TableName: db.tableName,
      Item: { pk: { S: `fleet#${fleet}` }, sk: { S: sk }, ...attributes },
    }),
  );
/** The inventory's head naming exec-1's chunks. */
const head = (chunks: number) => ({
  writer: { S: 'exec-1' },
  chunks: { N: String(chunks) },
  learnedAt: { S: T0.toISOString() },
});
const inventoryOf = (count: number, cluster: string) =>
  new Map(Array.from({ length: count }, (_, i) => [`tg-${i}`, { 'clustershift:cluster': cluster }]));

describe('the tag inventory in the store', () => {
  it('reads back what was saved, over several chunks', async () => {
    // Prepare
    const store = newStore();
    const entries = inventoryOf(250, 'blue');

    // Act
    await store.saveTagInventory('exec-1', entries, T0);
    const read = await store.getTagInventory();

    // Assert
    expect(read).toEqual({ entries, learnedAt: T0.toISOString() });
  });

  it("replaces an earlier writer's inventory and deletes its chunks", async () => {
    // Prepare
    const fleet = `tags${++fleets}`;
    const store = newStore(fleet);
    await store.saveTagInventory('exec-1', inventoryOf(150, 'blue'), T0);

    // Act
    await store.saveTagInventory('exec-2', inventoryOf(20, 'green'), new Date(T0.getTime() + 1_000));

    // Assert
    const read = await store.getTagInventory();
    expect(read?.entries).toEqual(inventoryOf(20, 'green'));
    const stale = await db.client.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': { S: `fleet#${fleet}` }, ':prefix': { S: 'tags#exec-1#' } },
      }),
    );
    expect(stale.Items).toEqual([]);
  });

  it('has none for a fleet no discovery saved one for', async () => {
    expect(await newStore().getTagInventory()).toBeUndefined();
  });

  it('reads none rather than part of one when a chunk is missing', async () => {
    // Prepare: a head that counts more chunks than were written (a writer that died half-way)
    const fleet = `tags${++fleets}`;
    const store = newStore(fleet);
    await store.saveTagInventory('exec-1', inventoryOf(10, 'blue'), T0);
    await putRaw(fleet, 'tags', head(2));

    // Act
    const read = await store.getTagInventory();

    // Assert
    expect(read).toBeUndefined();
  });

  it('reads none when an entry is not a resource and its tags', async () => {
    // Prepare
    const fleet = `tags${++fleets}`;
    const store = newStore(fleet);
    await putRaw(fleet, 'tags#exec-1#0000', { values: { L: [{ S: 'not an entry' }] } });
    await putRaw(fleet, 'tags', head(1));

    // Act
    const read = await store.getTagInventory();

    // Assert
    expect(read).toBeUndefined();
  });
});
