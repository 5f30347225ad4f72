import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stepWeights } from '../../core/planner';
import { loadStoredPlan } from '../../functions/shared/plan';
import { ALARMS, testConfig, WorkflowHarness } from '../support/workflow';

jest.setTimeout(60_000);

const harness = new WorkflowHarness();
/** The sample execution input shipped in events/. */
const drainBlue = JSON.parse(readFileSync(join(__dirname, '../../events/drain-blue.json'), 'utf8')) as Record<
  string,
  unknown
>;

/** Ten services on blue and green, one behind OIDC with stickiness. */
const addTenServices = () =>
  Array.from({ length: 10 }, (_, i) =>
    harness.addService(
      `svc${i}.example.com`,
      { blue: 50 + i, green: 50 - i },
      i === 0 ? { oidc: true, stickiness: true } : {},
    ),
  );

beforeAll(async () => {
  await harness.start();
});
afterAll(async () => {
  await harness.stop();
});
beforeEach(async () => {
  await harness.reset();
});

describe('shift workflow (aws-local-stepfunctions, real handlers, mocked ELBv2/CloudWatch, dynalite)', () => {
  it('drains blue in 4 steps to 0 on every route, verifies it from metrics, and releases the lock', async () => {
    const rules = addTenServices();
    const result = await harness.run(drainBlue);
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { status: 'SUCCEEDED' } });
    for (const rule of rules) expect(harness.clusterWeights(rule)).toEqual({ blue: 0, green: 100 });
    const applied = harness.calls.filter((c) => c.fn === 'ApplyStep').map((c) => c.payload.stepIndex);
    expect(applied).toEqual([0, 1, 2, 3]);
    expect(harness.calls.some((c) => c.fn === 'VerifyDrained')).toBe(true);
    const store = await harness.store();
    expect(await store.getLock()).toBeUndefined();
    const history = await store.getHistory(result.executionId);
    expect(history).toMatchObject({ status: 'SUCCEEDED', requestedBy: 'cli:alice' });
    expect((await store.getBaseline('blue'))?.weightsByRoute[rules[3] as string]).toBeDefined();
  });

  it('keeps the OIDC action and the stickiness config of a route intact through every write', async () => {
    const [rule] = addTenServices();
    await harness.run(drainBlue);
    const writes = harness.alb.writes.filter((w) => w.arn === rule);
    expect(writes).toHaveLength(4);
    for (const write of writes) {
      expect(write.actions[0]).toMatchObject({
        Type: 'authenticate-oidc',
        Order: 1,
        AuthenticateOidcConfig: { ClientId: 'client' },
      });
      expect(write.actions[1]?.ForwardConfig?.TargetGroupStickinessConfig).toEqual({
        Enabled: true,
        DurationSeconds: 3600,
      });
    }
  });

  it('rolls every route back to its snapshot exactly when an alarm fires during the bake', async () => {
    const rules = addTenServices();
    const before = rules.map((rule) => harness.alb.weightsOf(rule));
    harness.afterTask = (call) => {
      if (call.fn === 'ApplyStep' && call.payload.stepIndex === 1)
        harness.cloudwatch.setAlarm(ALARMS.gate, 'ALARM');
    };
    const result = await harness.run(drainBlue);
    expect(result).toMatchObject({ status: 'FAILED', error: 'GateFailed' });
    expect(result.cause).toContain(ALARMS.gate);
    expect(result.cause).toContain('rolled back: 10 routes restored to their snapshot');
    expect(rules.map((rule) => harness.alb.weightsOf(rule))).toEqual(before);
    const history = await (await harness.store()).getHistory(result.executionId);
    expect(history).toMatchObject({ status: 'FAILED', error: 'GateFailed' });
    expect(await (await harness.store()).getLock()).toBeUndefined();
  });

  it('halts with DriftDetected when another client changes a weight mid-bake, leaving that route as found', async () => {
    const rules = addTenServices();
    const before = rules.map((rule) => harness.alb.weightsOf(rule));
    const edited = rules[4] as string;
    harness.afterTask = (call) => {
      if (call.fn === 'ApplyStep' && call.payload.stepIndex === 0) {
        const [blue, green] = Object.keys(harness.alb.weightsOf(edited));
        harness.alb.setWeights(edited, { [blue as string]: 1, [green as string]: 99 });
      }
    };
    const result = await harness.run(drainBlue);
    expect(result).toMatchObject({ status: 'FAILED', error: 'DriftDetected' });
    expect(result.cause).toContain('svc4.example.com');
    expect(result.cause).toMatch(
      /rolled back: 9 routes restored .* left as found \(changed by someone else\): svc4\.example\.com/,
    );
    expect(harness.clusterWeights(edited)).toEqual({ blue: 1, green: 99 });
    rules.forEach((rule, i) => {
      if (rule !== edited) expect(harness.alb.weightsOf(rule)).toEqual(before[i]);
    });
  });

  it("leaves a route someone else set to the first step's weights as found when it rolls back before writing", async () => {
    // Arrange: once the plan is made and the fleet locked, another client puts one route at exactly
    // the weights step 1 would write (in chaos seed 514 the run reset did, under a late restore)
    const rules = addTenServices();
    const before = rules.map((rule) => harness.alb.weightsOf(rule));
    const edited = rules[2] as string;
    let stepOne: Record<string, number> = {};
    harness.afterTask = async (call) => {
      if (call.fn !== 'Lock') return;
      const { plan } = await loadStoredPlan(await harness.store(), String(call.payload.executionId));
      const routePlan = plan.routes.find((r) => r.route.id === edited);
      stepOne = stepWeights(plan, routePlan as never, 0);
      harness.alb.setWeights(edited, stepOne);
    };

    // Act
    const result = await harness.run(drainBlue);

    // Assert: the gate saw the drift before any write; the edit stands, the rest is untouched
    expect(result).toMatchObject({ status: 'FAILED', error: 'DriftDetected' });
    expect(stepOne).not.toEqual(before[2]);
    expect(harness.alb.weightsOf(edited)).toEqual(stepOne);
    rules.forEach((rule, i) => {
      if (rule !== edited) expect(harness.alb.weightsOf(rule)).toEqual(before[i]);
    });
    expect(result.cause).toContain('svc2.example.com');
    const history = await (await harness.store()).getHistory(result.executionId);
    expect(history?.steps.map((step) => step.kind)).toEqual(['rollback']);
    expect(history?.steps[0]).toMatchObject({
      mode: 'rollback',
      restored: 0,
      leftAsFound: ['svc2.example.com'],
    });
  });

  it('refuses with LockHeld naming the holder while another shift holds the fleet, writing nothing', async () => {
    addTenServices();
    const store = await harness.store();
    await store.acquireLock(
      { executionId: 'arn:other', action: 'shift', requestedBy: 'cli:bob' },
      new Date(harness.virtualNow),
      900,
    );
    const result = await harness.run(drainBlue);
    expect(result).toMatchObject({ status: 'FAILED', error: 'LockHeld' });
    expect(result.cause).toContain('arn:other');
    expect(result.cause).toMatch(/nothing was written$/);
    expect(harness.alb.writes).toHaveLength(0);
    expect((await store.getLock())?.executionId).toBe('arn:other');
  });

  it('returns the plan on a dry run and writes nothing', async () => {
    addTenServices();
    const result = await harness.run({ ...drainBlue, dryRun: true });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({
      dryRun: true,
      summary: {
        routesChanging: 10,
        steps: [
          { fraction: 0.25 },
          { fraction: 0.5 },
          { fraction: 0.75 },
          { fraction: 1, shares: { blue: 0, green: 1 } },
        ],
      },
    });
    expect(harness.alb.writes).toHaveLength(0);
    expect(harness.calls.map((c) => c.fn)).toEqual(['Prepare']);
  });

  it('refuses to drain a cluster that is the only one of a route, naming the route, unless forced', async () => {
    const shared = harness.addService('api.example.com', { blue: 50, green: 50 });
    const legacy = harness.addService('legacy.example.com', { blue: 1 });
    const refused = await harness.run(drainBlue);
    expect(refused).toMatchObject({ status: 'FAILED', error: 'GuardrailViolation' });
    expect(refused.cause).toMatch(/single-cluster-route.*legacy\.example\.com/);
    expect(harness.alb.writes).toHaveLength(0);

    const forced = await harness.run({ ...drainBlue, force: ['single-cluster-route'] });
    expect(forced.status).toBe('SUCCEEDED');
    expect(harness.clusterWeights(shared)).toEqual({ blue: 0, green: 100 });
    expect(harness.clusterWeights(legacy)).toEqual({ blue: 1 });
    expect((await (await harness.store()).getHistory(forced.executionId))?.forced).toEqual([
      'single-cluster-route',
    ]);
  });

  it('restores blue to the exact weights recorded when it was drained', async () => {
    const rules = addTenServices();
    const before = rules.map((rule) => harness.alb.weightsOf(rule));
    expect((await harness.run(drainBlue)).status).toBe('SUCCEEDED');
    const restored = await harness.run({
      action: 'restore',
      cluster: 'blue',
      reason: 'upgrade done',
      requestedBy: 'cli:alice',
    });
    expect(restored.status).toBe('SUCCEEDED');
    expect(rules.map((rule) => harness.alb.weightsOf(rule))).toEqual(before);
    expect(await (await harness.store()).getBaseline('blue')).toBeUndefined();
  });

  it('waits before a pause-before step until an operator approves it', async () => {
    const [rule] = addTenServices();
    let holds = 0;
    harness.afterTask = async (call) => {
      if (call.state !== 'GateBeforeStep' || call.payload.stepIndex !== 2) return;
      holds += 1;
      if (holds === 3) {
        expect(harness.clusterWeights(rule as string).blue).toBeGreaterThan(0);
        await (await harness.store()).updateControl(
          String(call.payload.executionId),
          { approvedThroughStep: 2, by: 'cli:alice' },
          new Date(),
        );
      }
    };
    const result = await harness.run({ ...drainBlue, pauseBeforeSteps: [2] });
    expect(result.status).toBe('SUCCEEDED');
    expect(holds).toBe(4);
  });

  it('aborts from an operator flag mid-bake and rolls back', async () => {
    const rules = addTenServices();
    const before = rules.map((rule) => harness.alb.weightsOf(rule));
    harness.afterTask = async (call) => {
      if (call.fn === 'ApplyStep' && call.payload.stepIndex === 2) {
        await (await harness.store()).updateControl(
          String(call.payload.executionId),
          { aborted: true, by: 'cli:bob' },
          new Date(),
        );
      }
    };
    const result = await harness.run(drainBlue);
    expect(result).toMatchObject({ status: 'FAILED', error: 'Aborted' });
    expect(rules.map((rule) => harness.alb.weightsOf(rule))).toEqual(before);
    // Back at its snapshot, blue is not drained: no baseline for a later restore to return to.
    expect(await (await harness.store()).getBaseline('blue')).toBeUndefined();
  });

  it('keeps the baseline of a drain that fails with NotDrained (blue is still drained)', async () => {
    const rules = addTenServices();
    harness.cloudwatch.stuckTargetGroups.add(
      Object.keys(harness.alb.weightsOf(rules[7] as string))[0] as string,
    );
    const result = await harness.run(drainBlue);
    expect(result).toMatchObject({ status: 'FAILED', error: 'NotDrained' });
    expect(await (await harness.store()).getBaseline('blue')).toBeDefined();
  });

  it('fails with NotDrained naming the route whose traffic does not stop, without rolling back', async () => {
    const rules = addTenServices();
    const stuck = Object.keys(harness.alb.weightsOf(rules[7] as string))[0] as string;
    harness.cloudwatch.stuckTargetGroups.add(stuck);
    const result = await harness.run(drainBlue);
    expect(result).toMatchObject({ status: 'FAILED', error: 'NotDrained' });
    expect(result.cause).toContain('svc7.example.com');
    expect(harness.clusterWeights(rules[7] as string)).toEqual({ blue: 0, green: 100 });
  });

  it('shifts to an explicit split', async () => {
    const rules = addTenServices();
    const result = await harness.run({
      action: 'shift',
      weights: { blue: 20, green: 80 },
      reason: 'canary green',
      requestedBy: 'slack:carol',
    });
    expect(result.status).toBe('SUCCEEDED');
    for (const rule of rules) expect(harness.clusterWeights(rule)).toEqual({ blue: 20, green: 80 });
  });

  it('fails over away from a sick cluster even while the fleet gate alarm fires, verifying it is drained', async () => {
    const rules = addTenServices();
    harness.cloudwatch.setAlarm(ALARMS.green, 'ALARM');
    harness.cloudwatch.setAlarm(ALARMS.gate, 'ALARM');
    const failover = JSON.parse(readFileSync(join(__dirname, '../../events/failover-green.json'), 'utf8'));
    const result = await harness.run(failover);
    expect(result.status).toBe('SUCCEEDED');
    for (const rule of rules) expect(harness.clusterWeights(rule)).toEqual({ blue: 100, green: 0 });
    expect((await (await harness.store()).getLastFailover())?.cluster).toBe('green');
  });

  it('fails static with last-cluster when no other cluster is healthy, writing nothing', async () => {
    addTenServices();
    harness.cloudwatch.setAlarm(ALARMS.green, 'ALARM');
    harness.cloudwatch.setAlarm(ALARMS.blue, 'ALARM');
    const result = await harness.run({
      action: 'failover',
      cluster: 'green',
      reason: 'x',
      requestedBy: 'alarm:green-5xx',
    });
    expect(result).toMatchObject({ status: 'FAILED', error: 'GuardrailViolation' });
    expect(result.cause).toMatch(/last-cluster/);
    expect(harness.alb.writes).toHaveLength(0);
  });

  it.each([
    ['an unknown cluster', { ...drainBlue, cluster: 'purple' }, /cluster: unknown cluster "purple"/],
    [
      'weights not summing to 100',
      { action: 'shift', weights: { blue: 10, green: 10 }, reason: 'x', requestedBy: 'cli:a' },
      /weights: percentages must sum to 100/,
    ],
    [
      'steps out of order',
      { ...drainBlue, steps: [0.5, 0.25, 1] },
      /steps: steps must be strictly increasing/,
    ],
    ['an empty reason', { ...drainBlue, reason: '' }, /reason: a reason is required/],
  ])('refuses %s with InvalidRequest before any write', async (_what, input, message) => {
    addTenServices();
    const result = await harness.run(input);
    expect(result).toMatchObject({ status: 'FAILED', error: 'InvalidRequest' });
    expect(result.cause).toMatch(message);
    expect(harness.alb.writes).toHaveLength(0);
  });
});

describe('a bad fleet config in the function environment', () => {
  it('fails the execution with InvalidConfig naming the field, before any write', async () => {
    await harness.reset({ ...testConfig(), region: 'nowhere' });
    harness.addService('api.example.com', { blue: 50, green: 50 });
    const result = await harness.run(drainBlue);
    expect(result.error).toBe('InvalidConfig');
    expect(result.cause).toMatch(/region: must be an AWS region/);
    expect(harness.alb.writes).toHaveLength(0);
  });
});
