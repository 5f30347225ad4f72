import { ALARMS, testConfig, WorkflowHarness } from '../support/workflow';

jest.setTimeout(30_000);

const harness = new WorkflowHarness();
const topic = 'arn:aws:sns:eu-west-1:123456789012:clustershift';
const drain = { action: 'drain', cluster: 'blue', reason: 'upgrade', requestedBy: 'cli:alice' };

const errorOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error as Error;
  }
};

beforeAll(async () => {
  await harness.start();
});
afterAll(async () => {
  await harness.stop();
});
beforeEach(async () => {
  await harness.reset(testConfig({ notifications: { level: 'all', snsTopicArn: topic } }));
  harness.addService('api.example.com', { blue: 50, green: 50 });
});

describe('task input validation', () => {
  it.each([
    ['ApplyStep', { executionId: 'e', stepIndex: -1 }, /stepIndex/],
    ['CheckGates', { executionId: 'e', phase: 'sideways', stepIndex: 0 }, /phase/],
    ['Lock', {}, /executionId/],
    ['Rollback', { executionId: 'e' }, /error/],
    ['Finish', { executionId: 'e', outcome: 'MAYBE' }, /outcome/],
  ] as const)(
    '%s refuses a malformed event with InvalidRequest naming the field',
    async (fn, payload, field) => {
      const error = await errorOf(harness.invoke(fn, payload));
      expect(error?.name).toBe('InvalidRequest');
      expect(error?.message).toMatch(field);
      expect(harness.alb.writes).toHaveLength(0);
    },
  );
});

describe('prepare', () => {
  it('returns the plan summary of a dry run and stores nothing', async () => {
    const result = (await harness.invoke('Prepare', {
      executionId: 'dry-1',
      request: { ...drain, dryRun: true },
    })) as {
      summary: { routesChanging: number };
    };
    expect(result.summary.routesChanging).toBe(1);
    expect(await (await harness.store()).loadPlan('dry-1')).toBeUndefined();
  });

  it('refuses with AlarmNotFound when a configured health alarm does not exist', async () => {
    harness.cloudwatch.alarms.delete(ALARMS.green);
    const error = await errorOf(harness.invoke('Prepare', { executionId: 'p-1', request: drain }));
    expect(error).toMatchObject({ name: 'AlarmNotFound', message: expect.stringContaining(ALARMS.green) });
  });

  it('refuses a restore with no recorded baseline, naming the cluster field', async () => {
    const error = await errorOf(
      harness.invoke('Prepare', { executionId: 'p-2', request: { ...drain, action: 'restore' } }),
    );
    expect(error).toMatchObject({
      name: 'InvalidRequest',
      message: expect.stringMatching(/cluster: no baseline recorded for blue/),
    });
  });
});

describe('check-gates', () => {
  it('fails with LockLost when another execution took the fleet', async () => {
    await harness.invoke('Prepare', { executionId: 'g-1', request: drain });
    await harness.invoke('Lock', { executionId: 'g-1' });
    const store = await harness.store();
    await store.releaseLock('g-1');
    await store.acquireLock(
      { executionId: 'other', action: 'failover', requestedBy: 'alarm:x' },
      new Date(harness.virtualNow),
      900,
    );
    const error = await errorOf(
      harness.invoke('CheckGates', { executionId: 'g-1', phase: 'before-step', stepIndex: 0 }),
    );
    expect(error?.name).toBe('LockLost');
  });
});

describe('rollback', () => {
  it('writes nothing under onFailure: hold and reports where it left the routes', async () => {
    await harness.reset(testConfig({ onFailure: 'hold' }));
    const rule = harness.addService('api.example.com', { blue: 50, green: 50 });
    await harness.invoke('Prepare', { executionId: 'h-1', request: drain });
    await harness.invoke('Lock', { executionId: 'h-1' });
    await harness.invoke('ApplyStep', { executionId: 'h-1', stepIndex: 0 });
    const written = harness.alb.weightsOf(rule);
    const report = await harness.invoke('Rollback', {
      executionId: 'h-1',
      error: { Error: 'GateFailed', Cause: 'x' },
    });
    expect(report).toMatchObject({ mode: 'hold', appliedStepIndex: 0, restored: 0 });
    expect(harness.alb.weightsOf(rule)).toEqual(written);
  });

  it('skips the writes when another execution holds the lock (a failover took over)', async () => {
    const rule = harness.alb.rules[0]?.RuleArn as string;
    await harness.invoke('Prepare', { executionId: 'k-1', request: drain });
    await harness.invoke('Lock', { executionId: 'k-1' });
    await harness.invoke('ApplyStep', { executionId: 'k-1', stepIndex: 0 });
    const store = await harness.store();
    await store.preemptLock(
      { executionId: 'failover-1', action: 'failover', requestedBy: 'alarm:x' },
      'k-1',
      new Date(harness.virtualNow),
      900,
    );
    const written = harness.alb.weightsOf(rule);
    const report = await harness.invoke('Rollback', {
      executionId: 'k-1',
      error: { Error: 'LockLost', Cause: 'x' },
    });
    expect(report).toMatchObject({ mode: 'skipped', reason: expect.stringContaining('failover-1') });
    expect(harness.alb.weightsOf(rule)).toEqual(written);
  });

  it('neither writes nor takes the lock back when its lock was released (the execution was stopped)', async () => {
    // Prepare: execution-ended released the lock of the stopped execution while its rollback ran
    const rule = harness.alb.rules[0]?.RuleArn as string;
    await harness.invoke('Prepare', { executionId: 's-1', request: drain });
    await harness.invoke('Lock', { executionId: 's-1' });
    await harness.invoke('ApplyStep', { executionId: 's-1', stepIndex: 0 });
    const store = await harness.store();
    await store.releaseLock('s-1');
    const written = harness.alb.weightsOf(rule);

    // Act
    const report = await harness.invoke('Rollback', {
      executionId: 's-1',
      error: { Error: 'LockLost', Cause: 'x' },
    });

    // Assert
    expect(report).toMatchObject({ mode: 'skipped', reason: expect.stringContaining('stopped') });
    expect(harness.alb.weightsOf(rule)).toEqual(written);
    expect(await store.getLock()).toBeUndefined();
  });
});

describe('finish', () => {
  it('notifies with who, what and the error, and releases the lock', async () => {
    await harness.invoke('Prepare', { executionId: 'f-1', request: drain });
    await harness.invoke('Lock', { executionId: 'f-1' });
    const result = await harness.invoke('Finish', {
      executionId: 'f-1',
      outcome: 'FAILED',
      state: { error: { Error: 'GateFailed', Cause: 'gate alarms in ALARM: fleet-latency' } },
    });
    expect(result).toMatchObject({
      status: 'REFUSED',
      lockReleased: true,
      notification: { attempted: true, delivered: true },
    });
    expect(harness.published[0]).toMatch(
      /drain blue refused[\s\S]*requested by: cli:alice[\s\S]*GateFailed: gate alarms in ALARM/,
    );
  });

  it('never fails the shift when the notification cannot be delivered', async () => {
    harness.snsFailure = Object.assign(new Error('topic gone'), { name: 'NotFoundException' });
    await harness.invoke('Prepare', { executionId: 'f-2', request: drain });
    const result = await harness.invoke('Finish', { executionId: 'f-2', outcome: 'SUCCEEDED', state: {} });
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      notification: { attempted: true, delivered: false },
    });
  });

  it('records a request refused before the lock in history with who asked', async () => {
    await harness.invoke('Finish', {
      executionId: 'f-3',
      outcome: 'FAILED',
      state: {
        ...drain,
        cluster: 'purple',
        error: { Error: 'InvalidRequest', Cause: 'invalid request: cluster: unknown cluster' },
      },
    });
    expect(await (await harness.store()).getHistory('f-3')).toMatchObject({
      status: 'REFUSED',
      requestedBy: 'cli:alice',
      error: 'InvalidRequest',
    });
  });
});

describe('environment', () => {
  it('fails with InvalidConfig when neither FLEET_CONFIG_FILE nor FLEET_CONFIG is set', async () => {
    const saved = process.env.FLEET_CONFIG;
    delete process.env.FLEET_CONFIG;
    delete process.env.FLEET_CONFIG_FILE;
    const { resetRuntime } = await import('../../functions/shared/runtime');
    resetRuntime();
    const error = await errorOf(harness.invoke('Lock', { executionId: 'x' }));
    process.env.FLEET_CONFIG = saved;
    resetRuntime();
    expect(error).toMatchObject({
      name: 'InvalidConfig',
      message: expect.stringContaining('FLEET_CONFIG_FILE is not set'),
    });
  });
});
