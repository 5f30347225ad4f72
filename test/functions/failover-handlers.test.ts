import { testConfig, WorkflowHarness } from '../support/workflow';

jest.setTimeout(30_000);

const harness = new WorkflowHarness();
const drain = { action: 'drain', cluster: 'blue', reason: 'upgrade', requestedBy: 'cli:alice' };
const failover = {
  action: 'failover',
  cluster: 'green',
  reason: 'green sick',
  requestedBy: 'alarm:green-5xx',
};

const errorOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error as Error;
  }
};

/** A drain that wrote its first step, then a failover that took its lock (the drain was stopped). */
const preemptedDrain = async () => {
  await harness.invoke('Prepare', { executionId: 'drain-1', request: drain });
  await harness.invoke('Lock', { executionId: 'drain-1' });
  await harness.invoke('ApplyStep', { executionId: 'drain-1', stepIndex: 0 });
  await harness.invoke('Prepare', { executionId: 'failover-1', request: failover });
  const locked = await harness.invoke('Lock', { executionId: 'failover-1' });
  return { writesBefore: harness.alb.writes.length, locked };
};

beforeAll(async () => {
  await harness.start();
});
afterAll(async () => {
  await harness.stop();
});
beforeEach(async () => {
  await harness.reset(
    testConfig({
      notifications: { level: 'failures', snsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:clustershift' },
    }),
  );
  harness.addService('api.example.com', { blue: 50, green: 50 });
});

describe('lock: a failover meeting the lock held', () => {
  it('preempts a manual drain: stops it, takes the lock and asks to be re-planned', async () => {
    const { locked } = await preemptedDrain();
    expect(locked).toMatchObject({ preempted: 'drain-1', duplicateOf: null });
    expect(harness.stopped).toEqual([
      expect.objectContaining({ executionArn: 'drain-1', error: 'Preempted' }),
    ]);
    expect((await (await harness.store()).getLock())?.executionId).toBe('failover-1');
  });

  it('ends quietly behind a failover of the same cluster', async () => {
    await harness.invoke('Prepare', { executionId: 'f-1', request: failover });
    await harness.invoke('Lock', { executionId: 'f-1' });
    await harness.invoke('Prepare', { executionId: 'f-2', request: failover });
    expect(await harness.invoke('Lock', { executionId: 'f-2' })).toMatchObject({
      duplicateOf: 'f-1',
      preempted: null,
    });
    expect((await (await harness.store()).getLock())?.executionId).toBe('f-1');
  });

  it('preempts at most once: a re-planned failover finding another manual holder is refused', async () => {
    await harness.invoke('Prepare', { executionId: 'f-3', request: failover, preempted: 'drain-0' });
    const store = await harness.store();
    await store.acquireLock(
      { executionId: 'drain-9', action: 'drain', cluster: 'blue', requestedBy: 'cli:bob' },
      new Date(harness.virtualNow),
      900,
    );
    expect(await errorOf(harness.invoke('Lock', { executionId: 'f-3' }))).toMatchObject({ name: 'LockHeld' });
    expect(harness.stopped).toHaveLength(0);
  });
});

describe('the preempted manual execution cannot race the failover', () => {
  it('apply-step halts with LockLost before writing', async () => {
    const { writesBefore } = await preemptedDrain();
    const error = await errorOf(harness.invoke('ApplyStep', { executionId: 'drain-1', stepIndex: 1 }));
    expect(error?.name).toBe('LockLost');
    expect(harness.alb.writes).toHaveLength(writesBefore);
  });

  it('rollback skips: the failover owns the weights now', async () => {
    const { writesBefore } = await preemptedDrain();
    const report = await harness.invoke('Rollback', {
      executionId: 'drain-1',
      error: { Error: 'LockLost', Cause: 'lost' },
    });
    expect(report).toMatchObject({ mode: 'skipped', reason: expect.stringContaining('failover-1') });
    expect(harness.alb.writes).toHaveLength(writesBefore);
  });
});

describe('finish: a duplicate', () => {
  it('records DUPLICATE in history, leaves the lock alone and does not notify below level all', async () => {
    const store = await harness.store();
    await store.acquireLock(
      { executionId: 'f-1', action: 'failover', cluster: 'green', requestedBy: 'alarm:green-5xx' },
      new Date(harness.virtualNow),
      900,
    );
    const result = await harness.invoke('Finish', {
      executionId: 'f-2',
      outcome: 'DUPLICATE',
      duplicateOf: 'f-1',
      state: failover,
    });
    expect(result).toMatchObject({ status: 'DUPLICATE', duplicateOf: 'f-1', lockReleased: false });
    expect(await store.getHistory('f-2')).toMatchObject({
      status: 'DUPLICATE',
      action: 'failover',
      requestedBy: 'alarm:green-5xx',
      details: { duplicateOf: 'f-1' },
    });
    expect((await store.getLock())?.executionId).toBe('f-1');
    expect(harness.published).toHaveLength(0);
  });
});
