import { ALARMS, testConfig, WorkflowHarness } from '../support/workflow';

jest.setTimeout(60_000);

const harness = new WorkflowHarness();
const topic = 'arn:aws:sns:eu-west-1:123456789012:clustershift';
const AFTER_OK_SECONDS = 600;

const alarmFailover = (cluster: string) => ({
  action: 'failover',
  cluster,
  reason: `${cluster}-5xx is ALARM`,
  requestedBy: `alarm:${cluster}-5xx`,
  trigger: { alarmName: `${cluster}-5xx`, time: '2026-11-23T10:00:00Z' },
});

/** The execution input the auto-restore rule's input transformer builds when green's alarm is OK. */
const autoRestore = (cluster = 'green') => ({
  action: 'restore',
  cluster,
  reason: `${cluster}-5xx is OK`,
  requestedBy: `auto-restore:${cluster}-5xx`,
  holdSeconds: AFTER_OK_SECONDS,
  trigger: { alarmName: `${cluster}-5xx`, stateReason: 'Threshold Crossed', time: '2026-11-23T11:00:00Z' },
});

/** When each alarm entered its state (the fake CloudWatch gives no StateUpdatedTimestamp of its own). */
const since = new Map<string, number>();

/** Sets an alarm's state, entered `secondsAgo` before the harness's current virtual time. */
const setAlarmSince = (name: string, state: 'OK' | 'ALARM', secondsAgo: number) => {
  harness.cloudwatch.setAlarm(name, state);
  since.set(name, harness.virtualNow - secondsAgo * 1000);
};

const addServices = (count: number) =>
  Array.from({ length: count }, (_, i) => harness.addService(`svc${i}.example.com`, { blue: 50, green: 50 }));

/** Fails green over to blue, then sets green's alarm OK for `okSeconds`; returns the rules. */
const failedOverGreen = async (okSeconds: number) => {
  const rules = addServices(3);
  harness.cloudwatch.setAlarm(ALARMS.green, 'ALARM');
  const failover = await harness.run(alarmFailover('green'));
  expect(failover.status).toBe('SUCCEEDED');
  for (const rule of rules) expect(harness.clusterWeights(rule)).toEqual({ blue: 100, green: 0 });
  setAlarmSince(ALARMS.green, 'OK', okSeconds);
  harness.calls.length = 0;
  harness.published.length = 0;
  return { rules, writesBefore: harness.alb.writes.length };
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
      notifications: { level: 'failures', snsTopicArn: topic },
      failover: { autoRestore: { enabled: true, afterOkSeconds: AFTER_OK_SECONDS } },
    }),
  );
  since.clear();
  const cloudwatch = harness.cloudwatch;
  const describe = cloudwatch.describeAlarms.bind(cloudwatch);
  const stamp = <T extends { AlarmName: string }>(alarm: T) => ({
    ...alarm,
    StateUpdatedTimestamp: new Date(since.get(alarm.AlarmName) ?? harness.virtualNow - 86_400_000),
  });
  cloudwatch.describeAlarms = (input) => {
    const page = describe(input);
    return { MetricAlarms: page.MetricAlarms.map(stamp), CompositeAlarms: page.CompositeAlarms.map(stamp) };
  };
});

describe('auto-restore after a failover', () => {
  it('waits holdSeconds, then restores the failed-over cluster gradually and forgets its baseline', async () => {
    // Prepare
    const { rules } = await failedOverGreen(AFTER_OK_SECONDS + 60);
    const afterEachStep: Record<string, number>[] = [];
    harness.afterTask = (call) => {
      if (call.state === 'ApplyStep') afterEachStep.push(harness.clusterWeights(rules[0] ?? ''));
    };

    // Act
    const result = await harness.run(autoRestore());

    // Assert: restore.steps [0.5, 1] with its bake in between
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { status: 'SUCCEEDED' } });
    expect(afterEachStep).toEqual([
      { blue: 75, green: 25 },
      { blue: 50, green: 50 },
    ]);
    const states = harness.calls.map((c) => c.state);
    expect(states.slice(0, 3)).toEqual(['Prepare', 'PrepareAfterHold', 'Lock']);
    expect(harness.calls[1]?.payload).toMatchObject({ held: true });
    expect(states).toContain('GateDuringBake');
    for (const rule of rules) expect(harness.clusterWeights(rule)).toEqual({ blue: 50, green: 50 });
    expect(await (await harness.store()).getBaseline('green')).toBeUndefined();
    const history = await (await harness.store()).getHistory(result.executionId);
    expect(history).toMatchObject({ status: 'SUCCEEDED', requestedBy: 'auto-restore:green-5xx' });
  });

  it('ends quietly as SKIPPED, writing nothing, when the alarm has not been OK for afterOkSeconds', async () => {
    // Prepare: OK since 5 minutes; the plan comes a minute later (the harness adds 30 s per task call)
    const { rules, writesBefore } = await failedOverGreen(300);

    // Act
    const result = await harness.run(autoRestore());

    // Assert
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { status: 'SKIPPED' } });
    expect(String(result.output?.skipped)).toMatch(/green-5xx has been OK for \d+ s, less than 600 s/);
    expect(harness.alb.writes).toHaveLength(writesBefore);
    for (const rule of rules) expect(harness.clusterWeights(rule)).toEqual({ blue: 100, green: 0 });
    expect(harness.calls.map((c) => c.state)).toEqual(['Prepare', 'PrepareAfterHold', 'FinishSkipped']);
    expect(harness.published).toEqual([]);
    const store = await harness.store();
    expect(await store.getHistory(result.executionId)).toMatchObject({ status: 'SKIPPED' });
    expect(await store.getBaseline('green')).toBeDefined();
    expect(await store.getLock()).toBeUndefined();
  });

  it('ends quietly as SKIPPED when no failover moved traffic away from the cluster', async () => {
    // Prepare
    addServices(2);
    setAlarmSince(ALARMS.green, 'OK', 3_600);

    // Act
    const result = await harness.run(autoRestore());

    // Assert
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      output: { status: 'SKIPPED', skipped: 'no failover has moved traffic away from green' },
    });
    expect(harness.alb.writes).toHaveLength(0);
    expect(harness.published).toEqual([]);
  });

  it('restores once when two alarms of the cluster return to OK together; the other ends quietly', async () => {
    // Prepare
    const { rules } = await failedOverGreen(AFTER_OK_SECONDS + 60);

    // Act
    const results = await Promise.all([harness.run(autoRestore()), harness.run(autoRestore())]);

    // Assert
    const statuses = results.map((r) => r.output?.status).sort();
    expect(results.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(statuses).toContain('SUCCEEDED');
    expect(statuses.filter((s) => s === 'SUCCEEDED')).toHaveLength(1);
    expect(['DUPLICATE', 'SKIPPED']).toContain(statuses.find((s) => s !== 'SUCCEEDED'));
    for (const rule of rules) expect(harness.clusterWeights(rule)).toEqual({ blue: 50, green: 50 });
    expect(harness.published).toEqual([]);
  });

  it('is preempted by a failover, like a manual restore', async () => {
    // Prepare: blue falls sick while green's auto-restore writes its first step, after the cooldown
    // (within it, failing blue over to green would be refused as ping-pong)
    const { rules } = await failedOverGreen(AFTER_OK_SECONDS + 60);
    harness.virtualNow += 1_000_000;
    let failover: ReturnType<typeof harness.run> | undefined;
    harness.afterTask = (call) => {
      if (call.state !== 'ApplyStep' || failover !== undefined) return;
      harness.cloudwatch.setAlarm(ALARMS.blue, 'ALARM');
      failover = harness.run(alarmFailover('blue'));
    };

    // Act
    const restore = await harness.run(autoRestore());
    const failed = await failover;

    // Assert
    expect(restore.status).toBe('ABORTED');
    expect(failed).toMatchObject({ status: 'SUCCEEDED', output: { status: 'SUCCEEDED' } });
    expect(harness.stopped.map((s) => s.executionArn)).toEqual([restore.executionId]);
    for (const rule of rules) expect(harness.clusterWeights(rule)).toEqual({ blue: 0, green: 100 });
  });
});
