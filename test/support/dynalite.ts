import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';

/**
 * A real (in-memory) DynamoDB for the store and workflow tests: dynalite on a free port, one table shaped like the
 * deployed one (pk/sk strings). Close it in afterAll.
 */
export const startDynalite = async (tableName = 'clustershift-test') => {
  // dynalite ships no types; it returns a Node http.Server.
  const createServer = require('dynalite') as (options: object) => import('node:http').Server;
  const server = createServer({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const dynamo = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' },
  });
  await dynamo.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
  await waitUntilTableExists({ client: dynamo, maxWaitTime: 10, minDelay: 1 }, { TableName: tableName });
  return {
    tableName,
    endpoint: `http://127.0.0.1:${port}`,
    dynamo,
    /** What ShiftStore takes: the plain client (the store marshals items itself). */
    client: dynamo,
    close: async () => {
      dynamo.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
};
