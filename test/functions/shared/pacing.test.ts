import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { elbv2Pacer, resetElbv2Pacers } from '../../../aws/elbv2-pacing';
import { SharedTokenBucketPacer } from '../../../aws/shared-pacer';
import { getItem } from '../../../aws/store-db';
import { taskHandler } from '../../../functions/shared/handler';
import { logger } from '../../../functions/shared/logger';
import { paceElbv2 } from '../../../functions/shared/pacing';
import { getRuntime, resetRuntime } from '../../../functions/shared/runtime';
import { startDynalite } from '../../support/dynalite';

let db: Awaited<ReturnType<typeof startDynalite>>;
const saved = { ...process.env };

const fleetConfig = (limits?: object) =>
  JSON.stringify({
    fleet: 'pacing',
    region: 'eu-west-1',
    loadBalancers: [
      { arn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/prod/50dc6c495c0c9188' },
    ],
    clusters: [{ name: 'blue' }, { name: 'green' }],
    ...(limits === undefined ? {} : { limits }),
  });

beforeAll(async () => {
  db = await startDynalite('clustershift-pacing');
  // Read when the handlers' shared DynamoDB client is first built (aws/store-db.ts).
  process.env.AWS_ENDPOINT_URL_DYNAMODB = db.endpoint;
});
afterAll(async () => {
  process.env = { ...saved };
  await db.close();
});
beforeEach(() => {
  process.env.FLEET_CONFIG = fleetConfig({ elbv2: { describeShare: 0.25 } });
  process.env.TABLE_NAME = db.tableName;
  resetRuntime();
  resetElbv2Pacers();
});
afterEach(() => {
  jest.restoreAllMocks();
  resetElbv2Pacers();
});

describe('paceElbv2', () => {
  it('gives the process a describe pacer shared through the table, at the configured share', async () => {
    paceElbv2(getRuntime());
    const pacer = elbv2Pacer('describe');

    await pacer.acquire();

    expect(pacer).toBeInstanceOf(SharedTokenBucketPacer);
    // A quarter of 40 tokens and 10 per second, less 500 ms of refill.
    expect((pacer as SharedTokenBucketPacer).rules).toMatchObject({ maxRate: 2.5, capacity: 8.75 });
    const item = await getItem(db, { pk: 'pacer#elbv2#eu-west-1', sk: 'describe' });
    expect(item).toMatchObject({ rate: 2.5, v: expect.any(Number) });
  });

  it('keeps the same pacer from one invocation to the next, and replaces it when the share changes', () => {
    paceElbv2(getRuntime());
    const first = elbv2Pacer('describe');
    paceElbv2(getRuntime());
    expect(elbv2Pacer('describe')).toBe(first);

    process.env.FLEET_CONFIG = fleetConfig({ elbv2: { describeShare: 0.5 } });
    resetRuntime();
    paceElbv2(getRuntime());
    expect(elbv2Pacer('describe')).not.toBe(first);
  });

  it('logs a warning and paces alone at its share when the table cannot be written', async () => {
    process.env.TABLE_NAME = 'no-such-table';
    resetRuntime();
    const warn = jest.spyOn(logger, 'warn');
    paceElbv2(getRuntime());
    const pacer = elbv2Pacer('describe') as SharedTokenBucketPacer;

    await pacer.acquire();

    expect(pacer.local).toBe(true);
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/shared pacer store failed/),
      expect.objectContaining({ errorName: 'AwsCallFailed' }),
    );
  });
});

describe('taskHandler', () => {
  it("sets the fleet's describe pacing before the task runs", async () => {
    const handler = taskHandler(z.object({}), async () => elbv2Pacer('describe'));

    const pacer = await handler({}, {} as Context);

    expect(pacer).toBeInstanceOf(SharedTokenBucketPacer);
    expect((pacer as SharedTokenBucketPacer).rules.maxRate).toBe(2.5);
  });
});
