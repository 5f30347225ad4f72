import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ShiftStore } from '../../aws/store';
import { ClusterShiftError } from '../../core/errors';
import { startDynalite } from '../support/dynalite';

let db: Awaited<ReturnType<typeof startDynalite>>;
let fleets = 0;

beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db.close();
});

/** A store on a fleet of its own, so tests share the table but not their items. */
const newStore = (fleet = `fleet${++fleets}`) =>
  new ShiftStore({ tableName: db.tableName, fleet, client: db.client });

const at = (iso: string) => new Date(iso);
const T0 = at('2026-03-01T10:00:00Z');
const drain = { executionId: 'exec-a', action: 'drain', cluster: 'blue', requestedBy: 'cli:ana' };
const failover = {
  executionId: 'exec-f',
  action: 'failover',
  cluster: 'green',
  requestedBy: 'alarm:green-5xx',
};

describe('ShiftStore lock', () => {
  it('acquires a free lock and reads it back with its lease', async () => {
    // Prepare
    const store = newStore();

    // Act
    await store.acquireLock(drain, T0, 900);

    // Assert
    expect(await store.getLock()).toEqual({ ...drain, expiresAt: T0.getTime() / 1000 + 900 });
  });

  it('refuses a second holder with LockHeld naming the holder, action, cluster, requester and lease', async () => {
    const store = newStore('held');
    await store.acquireLock(drain, T0, 900);

    const error = await store
      .acquireLock(
        { ...drain, executionId: 'exec-b', requestedBy: 'slack:bo' },
        at('2026-03-01T10:05:00Z'),
        900,
      )
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ClusterShiftError);
    expect(error).toMatchObject({
      name: 'LockHeld',
      message: 'fleet held is locked by exec-a (drain blue by cli:ana, lease until 2026-03-01T10:15:00.000Z)',
      details: { holder: { ...drain, expiresAt: T0.getTime() / 1000 + 900 } },
    });
  });

  it('lets the same execution acquire again (an idempotent retry) and extends the lease', async () => {
    const store = newStore();
    await store.acquireLock(drain, T0, 900);

    await store.acquireLock(drain, at('2026-03-01T10:01:00Z'), 900);

    expect((await store.getLock())?.expiresAt).toBe(at('2026-03-01T10:16:00Z').getTime() / 1000);
  });

  it('lets anyone take a lock whose lease has expired', async () => {
    const store = newStore();
    await store.acquireLock(drain, T0, 60);

    await store.acquireLock(failover, at('2026-03-01T10:01:00Z'), 900);

    expect((await store.getLock())?.executionId).toBe('exec-f');
  });

  it('refuses renewal by a non-holder with LockLost naming who holds it now', async () => {
    const store = newStore();
    await store.acquireLock(drain, T0, 900);

    const error = await store.renewLock('exec-b', T0, 900).catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: 'LockLost',
      details: { executionId: 'exec-b', holder: { executionId: 'exec-a' } },
    });
    expect((error as Error).message).toContain('now held by exec-a (drain blue by cli:ana');
  });

  it('renews the holder’s lease', async () => {
    const store = newStore();
    await store.acquireLock(drain, T0, 900);

    await store.renewLock('exec-a', at('2026-03-01T10:10:00Z'), 900);

    expect((await store.getLock())?.expiresAt).toBe(at('2026-03-01T10:25:00Z').getTime() / 1000);
  });

  it('raises LockLost when the lock was released under the renewer', async () => {
    const store = newStore();

    await expect(store.renewLock('exec-a', T0, 900)).rejects.toMatchObject({
      name: 'LockLost',
      details: { holder: null },
    });
  });

  it('makes release by a non-holder a no-op returning false, and release by the holder return true', async () => {
    const store = newStore();
    await store.acquireLock(drain, T0, 900);

    const byOther = await store.releaseLock('exec-b');
    const stillHeld = await store.getLock();
    const byHolder = await store.releaseLock('exec-a');

    expect(byOther).toBe(false);
    expect(stillHeld?.executionId).toBe('exec-a');
    expect(byHolder).toBe(true);
    expect(await store.getLock()).toBeUndefined();
  });

  it('lets a failover preempt the named victim, but not another holder', async () => {
    const store = newStore();
    await store.acquireLock(drain, T0, 900);

    const wrongVictim = await store.preemptLock(failover, 'exec-zzz', T0, 900).catch((e: unknown) => e);
    await store.preemptLock(failover, 'exec-a', T0, 900);

    expect(wrongVictim).toMatchObject({ name: 'LockHeld' });
    expect((await store.getLock())?.executionId).toBe('exec-f');
  });

  it('gives the lock item a ttl one day past the lease', async () => {
    const store = newStore('ttl');
    await store.acquireLock(drain, T0, 900);

    const { Item } = await db.client.send(
      new GetItemCommand({ TableName: db.tableName, Key: { pk: { S: 'fleet#ttl' }, sk: { S: 'lock' } } }),
    );

    // A number attribute: DynamoDB's TTL ignores anything else.
    expect(Item?.ttl).toEqual({ N: String(T0.getTime() / 1000 + 900 + 86_400) });
  });
});

describe('ShiftStore control flags', () => {
  it('defaults to not paused, not aborted, nothing approved', async () => {
    const store = newStore();

    expect(await store.getControl('exec-none')).toEqual({
      paused: false,
      aborted: false,
      approvedThroughStep: -1,
    });
  });

  it('updates only the given flags and records who', async () => {
    const store = newStore();
    await store.updateControl('exec-c', { paused: true, by: 'slack:bo' }, T0);

    const after = await store.updateControl('exec-c', { approvedThroughStep: 2 }, T0);

    expect(after).toEqual({ paused: true, aborted: false, approvedThroughStep: 2 });
    expect(await store.getControl('exec-c')).toEqual(after);
  });
});

describe('ShiftStore plan', () => {
  it('round-trips a plan of 1,050 routes in order through chunks', async () => {
    // Prepare
    const store = newStore();
    const routes = Array.from({ length: 1_050 }, (_, i) => ({
      id: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/web/x/y/${i}`,
      from: { blue: 50, green: 50 },
      steps: [
        { blue: 25, green: 75 },
        { blue: 0, green: 100 },
      ],
    }));

    // Act
    await store.savePlan('exec-p', { action: 'drain', steps: [0.5, 1] }, routes, T0);
    const loaded = await store.loadPlan<{ action: string }, (typeof routes)[number]>('exec-p');

    // Assert
    expect(loaded?.meta).toEqual({ action: 'drain', steps: [0.5, 1] });
    expect(loaded?.routes).toEqual(routes);
  });

  it('returns undefined for an execution without a plan', async () => {
    expect(await newStore().loadPlan('exec-none')).toBeUndefined();
  });

  it('shallow-merges a patch into the meta', async () => {
    const store = newStore();
    await store.savePlan('exec-m', { action: 'drain', appliedStepIndex: -1 }, [{ id: 'r' }], T0);

    await store.updatePlanMeta('exec-m', { appliedStepIndex: 1, lastWriteAt: '2026-03-01T10:02:00.000Z' });

    expect((await store.loadPlan('exec-m'))?.meta).toEqual({
      action: 'drain',
      appliedStepIndex: 1,
      lastWriteAt: '2026-03-01T10:02:00.000Z',
    });
  });

  it('reads only the chunks of the latest save when a plan is saved again shorter', async () => {
    const store = newStore();
    await store.savePlan(
      'exec-s',
      {},
      Array.from({ length: 250 }, (_, i) => i),
      T0,
    );

    await store.savePlan('exec-s', {}, [1, 2, 3], T0);

    expect((await store.loadPlan('exec-s'))?.routes).toEqual([1, 2, 3]);
  });
});

describe('ShiftStore baseline', () => {
  const weights = Object.fromEntries(
    Array.from({ length: 230 }, (_, i) => [`route-${i}`, { [`tg-blue-${i}`]: 50, [`tg-green-${i}`]: 50 }]),
  );

  it('records a baseline and reads it back', async () => {
    const store = newStore();

    const recorded = await store.saveBaselineIfAbsent('blue', 'exec-a', weights, T0);

    expect(recorded).toBe(true);
    expect(await store.getBaseline('blue')).toEqual({
      executionId: 'exec-a',
      recordedAt: T0.toISOString(),
      weightsByRoute: weights,
    });
  });

  it('keeps the existing baseline when one is present (a second drain does not overwrite it)', async () => {
    const store = newStore();
    await store.saveBaselineIfAbsent('blue', 'exec-a', weights, T0);

    const second = await store.saveBaselineIfAbsent('blue', 'exec-b', { 'route-0': { x: 1 } }, T0);

    expect(second).toBe(false);
    expect((await store.getBaseline('blue'))?.weightsByRoute).toEqual(weights);
  });

  it('deletes a baseline so the next drain records a new one', async () => {
    const store = newStore();
    await store.saveBaselineIfAbsent('blue', 'exec-a', weights, T0);

    await store.deleteBaseline('blue');

    expect(await store.getBaseline('blue')).toBeUndefined();
    expect(await store.saveBaselineIfAbsent('blue', 'exec-b', { r: { t: 1 } }, T0)).toBe(true);
    expect((await store.getBaseline('blue'))?.weightsByRoute).toEqual({ r: { t: 1 } });
  });
});

describe('ShiftStore history', () => {
  const start = (executionId: string, startedAt: Date) => ({
    executionId,
    action: 'drain',
    cluster: 'blue',
    requestedBy: 'cli:ana',
    reason: 'node upgrade',
    startedAt,
    planSummary: { routes: 3 },
    forced: ['controller-owned'],
  });

  it('lists history newest first, limited', async () => {
    const store = newStore();
    await store.startHistory(start('exec-1', at('2026-03-01T08:00:00Z')));
    await store.startHistory(start('exec-3', at('2026-03-01T10:00:00Z')));
    await store.startHistory(start('exec-2', at('2026-03-01T09:00:00Z')));

    const listed = await store.listHistory(2);

    expect(listed.map((h) => h.executionId)).toEqual(['exec-3', 'exec-2']);
  });

  it('records steps and the outcome, found by execution id', async () => {
    const store = newStore();
    await store.startHistory(start('exec-h', T0));

    await store.appendHistoryStep('exec-h', { index: 0, at: '2026-03-01T10:01:00Z' });
    await store.appendHistoryStep('exec-h', { index: 1, at: '2026-03-01T10:06:00Z' });
    await store.finishHistory('exec-h', {
      status: 'FAILED',
      error: 'GateFailed',
      cause: 'alarm blue-5xx',
      finishedAt: at('2026-03-01T10:07:00Z'),
    });

    expect(await store.getHistory('exec-h')).toEqual({
      executionId: 'exec-h',
      action: 'drain',
      cluster: 'blue',
      requestedBy: 'cli:ana',
      reason: 'node upgrade',
      startedAt: T0.toISOString(),
      planSummary: { routes: 3 },
      forced: ['controller-owned'],
      status: 'FAILED',
      steps: [
        { index: 0, at: '2026-03-01T10:01:00Z' },
        { index: 1, at: '2026-03-01T10:06:00Z' },
      ],
      error: 'GateFailed',
      cause: 'alarm blue-5xx',
      finishedAt: '2026-03-01T10:07:00.000Z',
    });
  });

  it('closes a history only while it is RUNNING: the first outcome recorded stays', async () => {
    // Prepare: the execution's Finish recorded SUCCEEDED
    const store = newStore();
    await store.startHistory(start('exec-c', T0));
    await store.finishHistory('exec-c', { status: 'SUCCEEDED', finishedAt: at('2026-03-01T10:07:00Z') });

    // Act: a preempting failover closes it a moment later
    const late = await store.finishHistoryIfRunning('exec-c', {
      status: 'PREEMPTED',
      error: 'Preempted',
      cause: 'preempted by failover f-1',
      finishedAt: at('2026-03-01T10:07:01Z'),
    });
    await store.startHistory(start('exec-d', T0));
    const first = await store.finishHistoryIfRunning('exec-d', {
      status: 'PREEMPTED',
      error: 'Preempted',
      finishedAt: at('2026-03-01T10:07:01Z'),
    });
    const none = await store.finishHistoryIfRunning('exec-none', { status: 'PREEMPTED', finishedAt: T0 });

    // Assert
    expect(late).toBe('closed-before');
    expect(await store.getHistory('exec-c')).toMatchObject({ status: 'SUCCEEDED' });
    expect(await store.getHistory('exec-c')).not.toHaveProperty('error');
    expect(first).toBe('closed');
    expect(await store.getHistory('exec-d')).toMatchObject({ status: 'PREEMPTED', error: 'Preempted' });
    expect(none).toBe('none');
  });

  it('keeps the first record when start is retried, even with a later start time', async () => {
    const store = newStore('retried');
    await store.startHistory(start('exec-r', T0));
    await store.appendHistoryStep('exec-r', { index: 0 });

    await store.startHistory(start('exec-r', at('2026-03-01T10:00:30Z')));

    expect(await store.listHistory()).toHaveLength(1);
    expect((await newStore('retried').getHistory('exec-r'))?.steps).toEqual([{ index: 0 }]);
  });

  it('returns undefined for an unknown execution', async () => {
    expect(await newStore().getHistory('exec-none')).toBeUndefined();
  });
});

describe('ShiftStore freeze and last failover', () => {
  it('sets, reads and clears a freeze', async () => {
    const store = newStore();

    await store.setFreeze({ reason: 'black friday', by: 'cli:ana', at: T0 });
    const frozen = await store.getFreeze();
    await store.clearFreeze();

    expect(frozen).toEqual({ reason: 'black friday', by: 'cli:ana', at: T0.toISOString() });
    expect(await store.getFreeze()).toBeUndefined();
  });

  it('records the last failover', async () => {
    const store = newStore();

    await store.setLastFailover({ at: T0, cluster: 'green', executionId: 'exec-f' });

    expect(await store.getLastFailover()).toEqual({
      at: T0.toISOString(),
      cluster: 'green',
      executionId: 'exec-f',
    });
  });
});
