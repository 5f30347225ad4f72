import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import type { PacerClock } from '../../aws/pacer';
import { SharedTokenBucketPacer } from '../../aws/shared-pacer';
import { getItem } from '../../aws/store-db';
import { ELBV2_PACER_SK, elbv2PacerPk } from '../../aws/store-keys';
import { type BucketStore, DynamoBucketStore } from '../../aws/store-pacer';
import { ELBV2_API_BUCKETS } from '../../core/aws-limits';
import { startDynalite } from '../support/dynalite';
import { VirtualTime, worstWindowExcess } from '../support/virtual-clock';

let db: Awaited<ReturnType<typeof startDynalite>>;
let requests = 0;
let regions = 0;

beforeAll(async () => {
  db = await startDynalite();
  // Counts every DynamoDB request (round trip) the pacers make.
  db.client.middlewareStack.add(
    (next) => async (args) => {
      requests += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
});
afterAll(async () => {
  await db.close();
});

/** A region of its own per test (the item's key), so tests share the table and not the bucket. */
const newRegion = () => `test-region-${++regions}`;
const storeFor = (region: string) =>
  new DynamoBucketStore({ client: db.client, tableName: db.tableName }, region);
const describe40x10 = ELBV2_API_BUCKETS.describe;

/** A clock that only moves when a pacer sleeps (one pacer, one caller at a time). */
const steppedClock = () => {
  const time = { now: 1_000_000 };
  const clock: PacerClock = {
    now: () => time.now,
    sleep: async (ms) => {
      time.now += ms;
    },
  };
  return { time, clock: () => clock };
};

describe('SharedTokenBucketPacer over DynamoDB (dynalite)', () => {
  it('keeps every pacer of a store, together, within share × capacity + share × rate × t in any window t', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          share: fc.constantFrom(0.25, 0.5, 0.75, 1),
          // Each process: how long it works between describes (ms), cycled.
          gaps: fc.array(fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 5 }), {
            minLength: 2,
            maxLength: 4,
          }),
          throttleEvery: fc.option(fc.integer({ min: 5, max: 40 }), { nil: undefined }),
          batch: fc.integer({ min: 1, max: 8 }),
        }),
        async ({ share, gaps, throttleEvery, batch }) => {
          const region = newRegion();
          const time = new VirtualTime(gaps.length);
          const starts: number[] = [];
          const until = time.now + 8_000;
          const processes = gaps.map(async (cycle, index) => {
            const pacer = new SharedTokenBucketPacer({
              bucket: describe40x10,
              share,
              batch,
              store: storeFor(region),
              clock: () => time.clock,
              random: () => 0.5,
            });
            for (let call = 0; time.now < until; call += 1) {
              await pacer.acquire();
              starts.push(time.now);
              if (throttleEvery !== undefined && (call + index) % throttleEvery === 0) pacer.throttled();
              else pacer.succeeded();
              await time.clock.sleep(cycle[call % cycle.length] ?? 0);
            }
            time.finished();
            return pacer.stats.fallbacks;
          });
          const fallbacks = await Promise.all(processes);

          expect(fallbacks).toEqual(gaps.map(() => 0));
          const capacity = describe40x10.capacity * share;
          const perSecond = describe40x10.refillPerSecond * share;
          expect(worstWindowExcess(starts, capacity, perSecond)).toBeLessThanOrEqual(1e-9);
        },
      ),
      { numRuns: 12 },
    );
  }, 60_000);

  it('spends the whole share when busy: a second pacer gets what the first leaves', async () => {
    const region = newRegion();
    const time = new VirtualTime(2);
    const counts = [0, 0];
    const until = time.now + 10_000;
    await Promise.all(
      counts.map(async (_, index) => {
        const pacer = new SharedTokenBucketPacer({
          bucket: describe40x10,
          share: 0.5,
          store: storeFor(region),
          clock: () => time.clock,
        });
        while (time.now < until) {
          await pacer.acquire();
          counts[index] = (counts[index] ?? 0) + 1;
          pacer.succeeded();
        }
        time.finished();
      }),
    );

    // 10 s at 5/s after a burst of 17.5 (20 less the lease time's refill): about 67, shared.
    const total = (counts[0] ?? 0) + (counts[1] ?? 0);
    expect(total).toBeGreaterThanOrEqual(60);
    expect(total).toBeLessThanOrEqual(20 + 5 * 10);
    expect(Math.min(...counts)).toBeGreaterThan(10);
  }, 30_000);

  it('makes one DynamoDB round trip per batch of describes, and one read when it starts', async () => {
    const { clock } = steppedClock();
    const pacer = new SharedTokenBucketPacer({
      bucket: describe40x10,
      share: 0.5,
      store: storeFor(newRegion()),
      clock,
    });
    const before = requests;

    for (let call = 0; call < 100; call += 1) {
      await pacer.acquire();
      pacer.succeeded();
    }

    // Default rules at half of 40/10: batch 4, so 25 leases, plus the first read.
    expect(pacer.rules.batch).toBe(4);
    expect(pacer.stats).toMatchObject({ leases: 25, conflicts: 0, fallbacks: 0 });
    expect(requests - before).toBe(26);
  });

  it('writes a throttle into the shared item: the rate halves and the bucket is emptied for every pacer', async () => {
    const region = newRegion();
    const { clock } = steppedClock();
    const pacer = new SharedTokenBucketPacer({
      bucket: describe40x10,
      share: 0.5,
      store: storeFor(region),
      clock,
    });
    await pacer.acquire();

    pacer.throttled();
    await pacer.acquire();

    const item = await getItem(
      { client: db.client, tableName: db.tableName },
      { pk: elbv2PacerPk(region), sk: ELBV2_PACER_SK },
    );
    // Emptied by the throttle, then a batch of 4 taken ahead of the refill.
    expect(item).toMatchObject({ rate: 2.5, tokens: -4 });
    expect(typeof item?.cutAt).toBe('number');
  });
});

describe('SharedTokenBucketPacer when the store fails', () => {
  const failing = (error: Error): BucketStore => ({
    read: () => Promise.reject(error),
    write: () => Promise.reject(error),
  });

  it('falls back to the local pacer at the share when DynamoDB is unreachable, and says why', async () => {
    // Nothing listens on port 9 of localhost: the connection is refused.
    const unreachable = new DynamoDBClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'eu-west-1',
      credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' },
      maxAttempts: 1,
    });
    const fallbacks: unknown[] = [];
    const { time, clock } = steppedClock();
    const pacer = new SharedTokenBucketPacer({
      bucket: describe40x10,
      share: 0.5,
      store: new DynamoBucketStore({ client: unreachable, tableName: 'clustershift' }, 'eu-west-1'),
      clock,
      onFallback: (error) => fallbacks.push(error),
    });
    const start = time.now;

    for (let call = 0; call < 25; call += 1) await pacer.acquire();

    // The local pacer at half: a burst of 20, then 5 per second.
    expect(fallbacks).toHaveLength(1);
    expect(pacer.local).toBe(true);
    expect(time.now - start).toBeCloseTo(1_000, 0);
    unreachable.destroy();
  });

  it('stops waiting for a store that does not answer, and falls back within the timeout', async () => {
    const hanging: BucketStore = { read: () => new Promise(() => {}), write: () => new Promise(() => {}) };
    const fallbacks: unknown[] = [];
    const pacer = new SharedTokenBucketPacer({
      bucket: describe40x10,
      share: 0.5,
      store: hanging,
      clock: steppedClock().clock,
      storeTimeoutMs: 20,
      onFallback: (error) => fallbacks.push(error),
    });
    const wallStart = Date.now();

    await pacer.acquire();

    expect(Date.now() - wallStart).toBeLessThan(1_000);
    expect(fallbacks).toEqual([expect.objectContaining({ name: 'PacerStoreTimeout' })]);
  });

  it('falls back on an item it cannot parse', async () => {
    const fallbacks: unknown[] = [];
    const pacer = new SharedTokenBucketPacer({
      bucket: describe40x10,
      share: 0.5,
      store: failing(
        Object.assign(new Error('pacer item: tokens must be a number'), { name: 'BucketItemInvalid' }),
      ),
      clock: steppedClock().clock,
      onFallback: (error) => fallbacks.push(error),
    });

    await pacer.acquire();

    expect(fallbacks).toEqual([expect.objectContaining({ name: 'BucketItemInvalid' })]);
  });

  it('tries the store again once the fallback period has passed', async () => {
    const region = newRegion();
    let broken = true;
    const real = storeFor(region);
    const flaky: BucketStore = {
      read: () => (broken ? Promise.reject(new Error('ECONNRESET')) : real.read()),
      write: (next, previous) =>
        broken ? Promise.reject(new Error('ECONNRESET')) : real.write(next, previous),
    };
    const { time, clock } = steppedClock();
    const pacer = new SharedTokenBucketPacer({
      bucket: describe40x10,
      share: 0.5,
      store: flaky,
      clock,
      retryStoreAfterMs: 5_000,
    });
    await pacer.acquire();
    expect(pacer.local).toBe(true);

    broken = false;
    time.now += 5_001;
    await pacer.acquire();

    expect(pacer.local).toBe(false);
    expect(pacer.stats).toMatchObject({ fallbacks: 1, leases: 1 });
  });
});
