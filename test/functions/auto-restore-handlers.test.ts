import { testConfig, WorkflowHarness } from '../support/workflow';

jest.setTimeout(30_000);

const harness = new WorkflowHarness();
const autoRestore = {
  action: 'restore',
  cluster: 'green',
  reason: 'green-5xx is OK',
  requestedBy: 'auto-restore:green-5xx',
  holdSeconds: 600,
};

beforeAll(async () => {
  await harness.start();
});
afterAll(async () => {
  await harness.stop();
});
beforeEach(async () => {
  await harness.reset(testConfig({ failover: { autoRestore: { enabled: true, afterOkSeconds: 600 } } }));
  harness.addService('svc.example.com', { blue: 50, green: 50 });
});

describe('Prepare for an auto-restore', () => {
  it('first answers with the hold, reading no alarm', async () => {
    // Act
    const prepared = await harness.invoke('Prepare', { executionId: 'r-1', request: autoRestore });

    // Assert
    expect(prepared).toEqual({ executionId: 'r-1', dryRun: false, hold: 600 });
    expect(harness.cloudwatch.calls).toEqual([]);
  });

  it('refuses holdSeconds from an operator at once, before any wait', async () => {
    // Act
    const error = await harness
      .invoke('Prepare', { executionId: 'r-2', request: { ...autoRestore, requestedBy: 'cli:alice' } })
      .catch((e: unknown) => e as Error);

    // Assert
    expect(error).toMatchObject({ name: 'InvalidRequest' });
    expect((error as Error).message).toContain('holdSeconds');
  });

  it('after the hold, skips quietly when nothing was failed over', async () => {
    // Act
    const prepared = await harness.invoke('Prepare', {
      executionId: 'r-3',
      request: autoRestore,
      held: true,
    });

    // Assert
    expect(prepared).toEqual({
      executionId: 'r-3',
      dryRun: false,
      duplicateOf: null,
      skipped: 'no failover has moved traffic away from green',
    });
  });
});
