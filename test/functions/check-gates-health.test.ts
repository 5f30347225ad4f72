import { tgArn } from '../support/fake-alb';
import { WorkflowHarness } from '../support/workflow';

jest.setTimeout(60_000);

const harness = new WorkflowHarness();
const drain = { action: 'drain', cluster: 'blue', reason: 'upgrade', requestedBy: 'cli:alice' };
const restore = { action: 'restore', cluster: 'blue', reason: 'upgrade done', requestedBy: 'cli:alice' };

const addServices = (count: number) =>
  Array.from({ length: count }, (_, i) => harness.addService(`svc${i}.example.com`, { blue: 50, green: 50 }));

/** Target groups DescribeTargetHealth was asked about, in order. */
const liveReads = () => {
  const arns: string[] = [];
  const original = harness.alb.describeTargetHealth.bind(harness.alb);
  jest.spyOn(harness.alb, 'describeTargetHealth').mockImplementation((input) => {
    arns.push(input.TargetGroupArn ?? '');
    return original(input);
  });
  return arns;
};

beforeAll(async () => {
  await harness.start();
});
afterAll(async () => {
  await harness.stop();
});
beforeEach(async () => {
  await harness.reset();
});
afterEach(() => {
  jest.restoreAllMocks();
});

describe('receivers’ target health in the gates (CloudWatch first)', () => {
  it('a drain reads every receiver’s health from CloudWatch and makes no DescribeTargetHealth call', async () => {
    // Prepare
    addServices(5);

    // Act
    const result = await harness.run(drain);

    // Assert
    expect(result.status).toBe('SUCCEEDED');
    expect(harness.alb.calls).not.toContain('DescribeTargetHealth');
    expect(harness.cloudwatch.calls).toContain('GetMetricData');
  });

  it('reads live only the receiver CloudWatch has no datapoint for', async () => {
    // Prepare
    addServices(5);
    harness.cloudwatch.silentHealth.add(tgArn('svc3-green'));
    const reads = liveReads();

    // Act
    const result = await harness.run(drain);

    // Assert
    expect(result.status).toBe('SUCCEEDED');
    expect(reads.length).toBeGreaterThan(0);
    expect(new Set(reads)).toEqual(new Set([tgArn('svc3-green')]));
  });

  it('fails the gate when a receiver loses healthy targets, saying the figure came from CloudWatch and as of when', async () => {
    // Prepare: after the first write, svc2's green target group drops to 1 healthy of 5.
    addServices(3);
    harness.afterTask = (call) => {
      if (call.fn === 'ApplyStep') harness.alb.health.set(tgArn('svc2-green'), { healthy: 1, unhealthy: 4 });
    };

    // Act
    const result = await harness.run(drain);

    // Assert
    expect(result).toMatchObject({ status: 'FAILED', error: 'GateFailed' });
    expect(result.status === 'FAILED' && result.cause).toMatch(
      /svc2\.example\.com → green \(1\/5 healthy, CloudWatch \d\d:\d\d UTC\)/,
    );
  });

  it('a restore reads the target groups it takes from 0 weight live once each, before the step that gives them weight', async () => {
    // Prepare: blue drained to 0 on every route.
    addServices(4);
    expect((await harness.run(drain)).status).toBe('SUCCEEDED');
    const reads = liveReads();
    const gateCalls = harness.calls.length;

    // Act
    const result = await harness.run(restore);

    // Assert
    expect(result.status).toBe('SUCCEEDED');
    expect([...reads].sort()).toEqual([0, 1, 2, 3].map((i) => tgArn(`svc${i}-blue`)).sort());
    const gates = harness.calls.slice(gateCalls).filter((c) => c.fn === 'CheckGates');
    expect(gates.filter((c) => c.payload.phase === 'bake').length).toBeGreaterThan(0);
  });

  it('a restore held before its first step reads nothing live while it holds, then once when approved', async () => {
    // Prepare: blue drained; the restore waits for approval before step 1, for three gate checks.
    addServices(3);
    expect((await harness.run(drain)).status).toBe('SUCCEEDED');
    const reads = liveReads();
    const readsWhileHeld: number[] = [];
    let holds = 0;
    harness.afterTask = async (call) => {
      if (call.state !== 'GateBeforeStep' || call.payload.stepIndex !== 0) return;
      holds += 1;
      readsWhileHeld.push(reads.length);
      if (holds === 3) {
        await (await harness.store()).updateControl(
          String(call.payload.executionId),
          { approvedThroughStep: 0, by: 'cli:alice' },
          new Date(),
        );
      }
    };

    // Act
    const result = await harness.run({ ...restore, pauseBeforeSteps: [0] });

    // Assert
    expect(result.status).toBe('SUCCEEDED');
    expect(readsWhileHeld.slice(0, 3)).toEqual([0, 0, 0]);
    expect(reads).toHaveLength(3);
  });
});
