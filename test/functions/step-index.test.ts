import type { InvalidRequestError } from '../../core/errors';
import { testConfig, WorkflowHarness } from '../support/workflow';

/**
 * A task event naming a step past the plan (the workflow never sends one: its Map runs over the
 * plan's steps) is refused as InvalidRequest naming stepIndex, before the lease is renewed or the
 * history written.
 */

jest.setTimeout(30_000);

const harness = new WorkflowHarness();
const drain = { action: 'drain', cluster: 'blue', reason: 'upgrade', requestedBy: 'cli:alice' };

beforeAll(async () => {
  await harness.start();
});
afterAll(async () => {
  await harness.stop();
});
beforeEach(async () => {
  await harness.reset(testConfig());
  harness.addService('api.example.com', { blue: 50, green: 50 });
});

const errorOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error as InvalidRequestError;
  }
};

describe('a step index past the plan', () => {
  it.each([
    ['ApplyStep', { stepIndex: 4 }],
    ['CheckGates', { phase: 'before-step', stepIndex: 4 }],
    ['CheckGates', { phase: 'bake', stepIndex: 9, checks: 0, bakeChecks: 2 }],
  ] as const)(
    '%s %j is refused as InvalidRequest naming stepIndex, renewing no lease and writing nothing',
    async (fn, fields) => {
      // Prepare: a drain of 4 steps (0-3), locked
      await harness.invoke('Prepare', { executionId: 'd-1', request: drain });
      await harness.invoke('Lock', { executionId: 'd-1' });
      const store = await harness.store();
      const lockBefore = await store.getLock();
      const historyBefore = await store.getHistory('d-1');

      // Act
      const error = await errorOf(harness.invoke(fn, { executionId: 'd-1', ...fields }));

      // Assert
      expect(error?.name).toBe('InvalidRequest');
      expect(error?.issues).toEqual([
        { path: 'stepIndex', message: `step ${fields.stepIndex} is not in the plan (steps 0-3)` },
      ]);
      expect(await store.getLock()).toEqual(lockBefore);
      expect(await store.getHistory('d-1')).toEqual(historyBefore);
      expect(harness.alb.writes).toHaveLength(0);
    },
  );
});
