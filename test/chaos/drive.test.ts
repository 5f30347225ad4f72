import { drive } from '../../chaos/drive';
import { checkInvariants } from '../../chaos/invariants';
import { scheduleFor } from '../../chaos/schedule';
import type { ChaosWorld } from '../../chaos/world';
import { startSourceChaosWorld } from '../support/chaos-world';

jest.setTimeout(120_000);

/** Real ms the chat worker waits before it does its job (Lambda's queue is not instant either). */
const WORKER_DELAY_MS = 500;

let world: ChaosWorld;

beforeAll(async () => {
  world = await startSourceChaosWorld((fn, handler) => {
    if (!(fn.logicalId ?? '').includes('ChatopsWorkerFunction')) return handler;
    return async (event, context, callback) => {
      await new Promise((resolve) => setTimeout(resolve, WORKER_DELAY_MS));
      return handler(event, context, callback);
    };
  });
});
afterAll(async () => {
  await world?.close();
});

describe('chaos driver', () => {
  it('ends a run only once the chat worker has started and finished what it was asked', async () => {
    // Arrange: seed 512 drains green from chat and, once that ended, restores green from chat; the
    // worker starts each execution after the chat function answered. Seed 514 ran after it in the
    // batch and met the restore's rollback write, taken for a write of its own failover.
    const schedule = scheduleFor(512);
    expect(schedule.starts.map((s) => `${s.op} ${s.source}`)).toEqual(['drain chat', 'restore chat']);

    // Act
    const observation = await drive(world, schedule);

    // Assert: both executions belong to this run, each start got its own reply, nothing goes on
    const names = observation.executions.map((e) => e.arn.split(':').at(-1) ?? '');
    expect(names.filter((n) => n.startsWith('slack-drain-green'))).toHaveLength(1);
    expect(names.filter((n) => n.startsWith('slack-restore-green'))).toHaveLength(1);
    expect(observation.executions.every((e) => e.status !== 'RUNNING')).toBe(true);
    const restore = observation.starts.find((s) => s.label.includes('restore'));
    expect(restore?.outcome).toContain('restore green');
    expect(restore?.outcome).not.toContain('Started drain');
    expect(world.twin.lambdaApi.busy()).toBe(false);
    expect(world.twin.sfn.executions().filter((e) => e.status === 'RUNNING')).toEqual([]);
    expect(checkInvariants(observation)).toEqual([]);
  });
});
