import { WorkflowHarness } from '../support/workflow';

jest.setTimeout(60_000);

/**
 * ApplyStep and Rollback over more routes than one invocation can write. Real time is what a Lambda
 * deadline counts: Date.now is a virtual clock here that each ModifyRule moves 1 s, so an invocation
 * given 8.5 s (less aws/deadline.ts's 5 s margin: 3.5 s) starts only the writes that fit.
 */
const harness = new WorkflowHarness();
const ROUTES = 40;
const drain = { action: 'drain', cluster: 'blue', reason: 'upgrade', requestedBy: 'cli:alice' };
const SHORT_MS = 8_500;

let realMs = 0;

beforeAll(async () => {
  await harness.start();
});
afterAll(async () => {
  await harness.stop();
});
beforeEach(async () => {
  await harness.reset();
  for (let i = 0; i < ROUTES; i++) harness.addService(`svc${i}.example.com`, { blue: 50, green: 50 });
  realMs = Date.now();
  jest.spyOn(Date, 'now').mockImplementation(() => realMs);
  harness.alb.beforeWrite = () => {
    realMs += 1_000;
  };
});
afterEach(() => {
  jest.restoreAllMocks();
});

interface StepResult {
  done: boolean;
  written: number;
  remaining: number;
  invocation: number;
}

const prepared = async (executionId: string) => {
  await harness.invoke('Prepare', { executionId, request: drain });
  await harness.invoke('Lock', { executionId });
};

const historySteps = async (executionId: string) =>
  ((await (await harness.store()).getHistory(executionId))?.steps ?? []) as Record<string, unknown>[];

describe('apply-step over more routes than one invocation can write', () => {
  it('returns done: false with what it wrote when its deadline comes, and the next invocation writes the rest', async () => {
    // Arrange
    await prepared('c-1');
    harness.remainingMs = () => SHORT_MS;

    // Act
    const first = (await harness.invoke('ApplyStep', { executionId: 'c-1', stepIndex: 0 })) as StepResult;
    harness.remainingMs = undefined;
    const second = (await harness.invoke('ApplyStep', {
      executionId: 'c-1',
      stepIndex: 0,
      writtenBefore: first.written,
      invocation: first.invocation,
    })) as StepResult;

    // Assert: the first stopped short, wrote nothing twice, and the second finished
    expect(first.done).toBe(false);
    expect(first.written).toBeGreaterThan(0);
    expect(first.written + first.remaining).toBe(ROUTES);
    expect(second).toMatchObject({ done: true, written: ROUTES, remaining: 0, invocation: 2 });
    expect(harness.alb.writes).toHaveLength(ROUTES);
    // One write-ahead and one step entry for the step, with the total written.
    const steps = await historySteps('c-1');
    expect(steps.filter((s) => s.kind === 'writing')).toHaveLength(1);
    expect(steps.filter((s) => s.kind === 'step')).toEqual([
      expect.objectContaining({ index: 0, written: ROUTES, alreadyDesired: 0, invocations: 2 }),
    ]);
  });

  it('starts no write at all when no write could end before the deadline', async () => {
    await prepared('c-2');
    harness.remainingMs = () => 5_500;

    const result = (await harness.invoke('ApplyStep', { executionId: 'c-2', stepIndex: 0 })) as StepResult;

    expect(result).toMatchObject({ done: false, written: 0, remaining: ROUTES });
    expect(harness.alb.writes).toHaveLength(0);
    expect((await historySteps('c-2')).filter((s) => s.kind === 'step')).toHaveLength(0);
  });
});

describe('apply-step invoked without its gate', () => {
  it('writes nothing on a drain and asks for the gate: only a failover goes ungated', async () => {
    // Prepare
    await prepared('g-1');

    // Act
    const result = (await harness.invoke('ApplyStep', {
      executionId: 'g-1',
      stepIndex: 0,
      gateRan: false,
    })) as StepResult & { needsGate: boolean };

    // Assert: no write and no write-ahead entry
    expect(result).toMatchObject({ done: false, needsGate: true, written: 0, remaining: ROUTES });
    expect(harness.alb.writes).toHaveLength(0);
    expect(await historySteps('g-1')).toEqual([]);
  });
});

describe('rollback over more routes than one invocation can write', () => {
  it('returns done: false with what it restored, and the next invocation restores the rest and records it once', async () => {
    // Arrange: step 0 written in full, then a gate failed
    await prepared('r-1');
    await harness.invoke('ApplyStep', { executionId: 'r-1', stepIndex: 0 });
    harness.alb.writes.length = 0;
    const error = { Error: 'GateFailed', Cause: 'gate alarms in ALARM' };
    harness.remainingMs = () => SHORT_MS;

    // Act
    const first = (await harness.invoke('Rollback', { executionId: 'r-1', error })) as StepResult & {
      restored: number;
    };
    harness.remainingMs = undefined;
    const second = (await harness.invoke('Rollback', {
      executionId: 'r-1',
      error,
      restoredBefore: first.restored,
      invocation: first.invocation,
    })) as StepResult & { restored: number; alreadyAtSnapshot: number; mode: string };

    // Assert
    expect(first.done).toBe(false);
    expect(first.restored).toBeGreaterThan(0);
    expect(first.restored).toBeLessThan(ROUTES);
    expect(second).toMatchObject({ mode: 'rollback', done: true, restored: ROUTES, alreadyAtSnapshot: 0 });
    expect(harness.alb.writes).toHaveLength(ROUTES);
    expect(harness.clusterWeights(harness.alb.rules[1]?.RuleArn ?? '')).toEqual({ blue: 50, green: 50 });
    const steps = await historySteps('r-1');
    expect(steps.filter((s) => s.kind === 'rollback-writing')).toHaveLength(1);
    expect(steps.filter((s) => s.kind === 'rollback')).toEqual([
      expect.objectContaining({ restored: ROUTES, done: true }),
    ]);
  });
});

describe('the workflow over more routes than one invocation can write', () => {
  it('invokes ApplyStep again until each step is written, and the drain succeeds', async () => {
    // Arrange
    harness.remainingMs = (fn) => (fn === 'ApplyStep' ? SHORT_MS : 60_000);

    // Act
    const result = await harness.run(drain);

    // Assert
    expect(result.status).toBe('SUCCEEDED');
    const applyCalls = harness.calls.filter((c) => c.fn === 'ApplyStep');
    expect(applyCalls.length).toBeGreaterThan(4);
    expect(harness.alb.writes).toHaveLength(4 * ROUTES);
    for (const rule of harness.alb.rules.filter((r) => !r.IsDefault)) {
      expect(harness.clusterWeights(rule.RuleArn ?? '')).toMatchObject({ blue: 0 });
    }
    const steps = await historySteps(result.executionId);
    expect(steps.filter((s) => s.kind === 'step').map((s) => [s.index, s.written])).toEqual([
      [0, ROUTES],
      [1, ROUTES],
      [2, ROUTES],
      [3, ROUTES],
    ]);
  });
});
