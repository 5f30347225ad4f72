import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ShiftStore } from '../../aws/store';
import { awsError, recordingSleep } from './elbv2-fixtures';

/** The store over a mocked DynamoDB client, for answers dynalite cannot give. */
const mockedStore = () => {
  const client = new DynamoDBClient({ region: 'eu-west-1' });
  const mock = mockClient(client);
  const { delays, sleep } = recordingSleep();
  const store = new ShiftStore({ tableName: 't', fleet: 'prod', client, retry: { sleep, random: () => 1 } });
  return { store, mock, delays };
};

const T0 = new Date('2026-03-01T10:00:00Z');
const holder = { executionId: 'exec-b', action: 'shift', requestedBy: 'slack:bo' };

describe('ShiftStore against DynamoDB errors', () => {
  it('names the lock holder from ALL_OLD on the failed condition, without a second read', async () => {
    // Prepare: DynamoDB returns the blocking item with the conditional failure.
    const { store, mock } = mockedStore();
    mock.on(PutItemCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: { httpStatusCode: 400 },
        Item: {
          executionId: { S: 'exec-a' },
          action: { S: 'drain' },
          cluster: { S: 'blue' },
          requestedBy: { S: 'cli:ana' },
          expiresAt: { N: String(T0.getTime() / 1000 + 600) },
        },
      }),
    );

    // Act
    const error = await store.acquireLock(holder, T0, 900).catch((e: unknown) => e);

    // Assert
    expect(error).toMatchObject({
      name: 'LockHeld',
      message: 'fleet prod is locked by exec-a (drain blue by cli:ana, lease until 2026-03-01T10:10:00.000Z)',
    });
    expect(mock.commandCalls(PutItemCommand)[0]?.args[0].input.ReturnValuesOnConditionCheckFailure).toBe(
      'ALL_OLD',
    );
    expect(mock.commandCalls(GetItemCommand)).toHaveLength(0);
  });

  it('takes the lock on a second try when the failed condition names no holder (released in between)', async () => {
    // Prepare: the first put fails with no old item, the second succeeds
    const { store, mock } = mockedStore();
    mock
      .on(PutItemCommand)
      .rejectsOnce(
        new ConditionalCheckFailedException({
          message: 'The conditional request failed',
          $metadata: { httpStatusCode: 400 },
        }),
      )
      .resolves({});
    // The read after the failure finds no lock item: it was released.
    mock.on(GetItemCommand).resolves({});

    // Act
    await store.acquireLock(holder, T0, 900);

    // Assert
    expect(mock.commandCalls(PutItemCommand)).toHaveLength(2);
  });

  it('translates other DynamoDB errors to AwsCallFailed', async () => {
    const { store, mock } = mockedStore();
    mock.on(GetItemCommand).rejects(awsError('ResourceNotFoundException', 'Requested resource not found'));

    const error = await store.getLock().catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: 'AwsCallFailed',
      message: 'DynamoDB GetItem failed: ResourceNotFoundException: Requested resource not found',
    });
  });

  it('retries throttled DynamoDB calls', async () => {
    const { store, mock, delays } = mockedStore();
    mock
      .on(GetItemCommand)
      .rejectsOnce(awsError('ProvisionedThroughputExceededException', 'slow down'))
      .resolves({});

    expect(await store.getFreeze()).toBeUndefined();
    expect(delays).toHaveLength(1);
  });

  it('writes plan chunks 25 per BatchWriteItem and re-sends what DynamoDB left unprocessed', async () => {
    // Prepare: 3,000 routes make 30 chunks; the first batch comes back with 15 items unprocessed.
    const { store, mock } = mockedStore();
    mock
      .on(BatchWriteItemCommand)
      .callsFakeOnce((input) => ({ UnprocessedItems: { t: input.RequestItems.t.slice(10) } }))
      .resolves({});
    mock.on(PutItemCommand).resolves({});

    // Act
    await store.savePlan(
      'exec-p',
      {},
      Array.from({ length: 3_000 }, (_, i) => i),
      T0,
    );

    // Assert
    const batches = mock
      .commandCalls(BatchWriteItemCommand)
      .map((c) => c.args[0].input.RequestItems?.t?.length);
    expect(batches).toEqual([25, 15, 5]);
    expect(mock.commandCalls(PutItemCommand)[0]?.args[0].input.Item).toMatchObject({
      sk: { S: 'plan' },
      chunks: { N: '30' },
    });
  });
});
