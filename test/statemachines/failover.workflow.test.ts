import { tgArn } from '../support/fake-alb';
import { ALARMS, testConfig, WorkflowHarness } from '../support/workflow';

jest.setTimeout(60_000);

const harness = new WorkflowHarness();
const topic = 'arn:aws:sns:eu-west-1:123456789012:clustershift';

/** The execution input the EventBridge rule's input transformer builds for an alarm of green. */
const alarmFailover = (cluster = 'green', alarm = `${cluster}-5xx`) => ({
  action: 'failover',
  cluster,
  reason: `${alarm} is ALARM: Threshold Crossed: 1 datapoint [12.5] was greater than the threshold (5.0)`,
  requestedBy: `alarm:${alarm}`,
  trigger: {
    alarmName: alarm,
    alarmArn: `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${alarm}`,
    stateReason: 'Threshold Crossed: 1 datapoint [12.5] was greater than the threshold (5.0)',
    time: '2026-11-23T10:00:00Z',
  },
});
const drainBlue = { action: 'drain', cluster: 'blue', reason: 'upgrade', requestedBy: 'cli:alice' };

const addServices = (count: number) =>
  Array.from({ length: count }, (_, i) => harness.addService(`svc${i}.example.com`, { blue: 50, green: 50 }));

beforeAll(async () => {
  await harness.start();
});
afterAll(async () => {
  await harness.stop();
});
beforeEach(async () => {
  await harness.reset(testConfig({ notifications: { level: 'failures', snsTopicArn: topic } }));
});

describe('failover on an alarm', () => {
  it('moves every route off the sick cluster in one step with no wait before the write, then verifies', async () => {
    const rules = addServices(5);
    harness.cloudwatch.setAlarm(ALARMS.green, 'ALARM');
    const result = await harness.run(alarmFailover());
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { status: 'SUCCEEDED' } });
    for (const rule of rules) expect(harness.clusterWeights(rule)).toEqual({ blue: 100, green: 0 });
    const states = harness.calls.map((c) => c.state);
    // No gate invocation between the lock and the first write: ApplyStep checks what could change.
    expect(states.slice(0, 4)).toEqual(['Prepare', 'Lock', 'ApplyStep', 'NotifyStep']);
    expect(states).not.toContain('GateBeforeStep');
    expect(states.filter((s) => s === 'ApplyStep')).toHaveLength(1);
    expect(states).not.toContain('GateDuringBake');
    expect(states).toContain('VerifyDrained');
    expect(await (await harness.store()).getLastFailover()).toMatchObject({
      cluster: 'green',
      executionId: result.executionId,
      receivers: ['blue'],
    });
  });

  it("writes nothing when the receiver's health alarm fires after Prepare: the gate it asks for fails the failover", async () => {
    // Prepare: blue, the receiver, turns sick once the failover has planned and locked
    addServices(3);
    harness.cloudwatch.setAlarm(ALARMS.green, 'ALARM');
    harness.afterTask = (call) => {
      if (call.fn === 'Lock') harness.cloudwatch.setAlarm(ALARMS.blue, 'ALARM');
    };

    // Act
    const result = await harness.run(alarmFailover());

    // Assert
    expect(result).toMatchObject({ status: 'FAILED', error: 'GateFailed' });
    expect(result.cause).toContain(ALARMS.blue);
    expect(harness.alb.writes).toHaveLength(0);
    const states = harness.calls.map((c) => c.state);
    expect(states.slice(0, 4)).toEqual(['Prepare', 'Lock', 'ApplyStep', 'GateBeforeStep']);
  });

  it('writes nothing when an operator aborts the failover before its first write', async () => {
    // Prepare
    addServices(2);
    harness.cloudwatch.setAlarm(ALARMS.green, 'ALARM');
    harness.afterTask = async (call) => {
      if (call.fn !== 'Lock') return;
      const at = new Date(harness.virtualNow);
      await (await harness.store()).updateControl(String(call.payload.executionId), { aborted: true }, at);
    };

    // Act
    const result = await harness.run(alarmFailover());

    // Assert
    expect(result).toMatchObject({ status: 'FAILED', error: 'Aborted' });
    expect(harness.alb.writes).toHaveLength(0);
  });

  it('reads no tags when an earlier plan kept them, and every tag when none did', async () => {
    // Prepare: the fleet as a dry run of a drain saw it this morning
    addServices(4);
    await harness.run({ ...drainBlue, dryRun: true });
    const describedTags = () => harness.alb.calls.filter((call) => call === 'DescribeTags').length;
    const beforeFailover = describedTags();
    harness.cloudwatch.setAlarm(ALARMS.green, 'ALARM');

    // Act
    const result = await harness.run(alarmFailover());

    // Assert
    expect(beforeFailover).toBeGreaterThan(0);
    expect(result.status).toBe('SUCCEEDED');
    expect(describedTags()).toBe(beforeFailover);
  });

  it('reads the tags live on a fleet no plan has seen yet', async () => {
    // Prepare
    const rules = addServices(4);
    harness.cloudwatch.setAlarm(ALARMS.green, 'ALARM');

    // Act
    const result = await harness.run(alarmFailover());

    // Assert
    expect(result.status).toBe('SUCCEEDED');
    expect(harness.alb.calls.filter((call) => call === 'DescribeTags').length).toBeGreaterThan(0);
    for (const rule of rules) expect(harness.clusterWeights(rule)).toEqual({ blue: 100, green: 0 });
  });

  it('accepts an alarm reason far over the limit, cutting it in the history rather than refusing', async () => {
    addServices(1);
    harness.cloudwatch.setAlarm(ALARMS.green, 'ALARM');
    const input = alarmFailover();
    const long = { ...input, reason: `green-5xx is ALARM: ${'x'.repeat(1_100)}` };
    const result = await harness.run({
      ...long,
      trigger: { ...input.trigger, stateReason: 'y'.repeat(1_023) },
    });
    expect(result.status).toBe('SUCCEEDED');
    const history = await (await harness.store()).getHistory(result.executionId);
    expect(history?.reason).toHaveLength(500);
    expect(history?.reason.endsWith('…')).toBe(true);
  });

  it('fails static when no other cluster is healthy: no write, and a loud notification saying so', async () => {
    addServices(3);
    harness.cloudwatch.setAlarm(ALARMS.green, 'ALARM');
    harness.cloudwatch.setAlarm(ALARMS.blue, 'ALARM');
    const result = await harness.run(alarmFailover());
    expect(result).toMatchObject({ status: 'FAILED', error: 'GuardrailViolation' });
    expect(harness.alb.writes).toHaveLength(0);
    expect(harness.published).toHaveLength(1);
    expect(harness.published[0]).toContain('FAIL STATIC');
    expect(harness.published[0]).toContain("fail static: no healthy cluster to take green's traffic");
    expect(await (await harness.store()).getLock()).toBeUndefined();
  });

  it('holds without writing when the receiver’s health alarm fires between planning and the first write', async () => {
    const [rule] = addServices(2);
    harness.cloudwatch.setAlarm(ALARMS.green, 'ALARM');
    harness.afterTask = (call) => {
      if (call.state === 'Lock') harness.cloudwatch.setAlarm(ALARMS.blue, 'ALARM');
    };
    const result = await harness.run(alarmFailover());
    expect(result).toMatchObject({ status: 'FAILED', error: 'GateFailed' });
    expect(result.cause).toContain(`receiving cluster blue health alarms in ALARM: ${ALARMS.blue}`);
    expect(result.cause).toContain('held (onFailure: hold): nothing was written');
    expect(harness.clusterWeights(rule as string)).toEqual({ blue: 50, green: 50 });
  });

  it('fails static (last-cluster) when the cluster that would take the traffic has no healthy targets', async () => {
    const [rule] = addServices(1);
    harness.cloudwatch.setAlarm(ALARMS.green, 'ALARM');
    for (const arn of Object.keys(harness.alb.weightsOf(rule as string))) {
      if (harness.alb.tags.get(arn)?.['clustershift:cluster'] === 'blue')
        harness.alb.health.set(arn, { healthy: 0, unhealthy: 3 });
    }
    const result = await harness.run(alarmFailover());
    expect(result).toMatchObject({ status: 'FAILED', error: 'GuardrailViolation' });
    expect(result.cause).toMatch(/last-cluster: fail static/);
    expect(harness.alb.writes).toHaveLength(0);
  });

  it('refuses to fail back the other way within the cooldown (no ping-pong)', async () => {
    const [rule] = addServices(2);
    harness.cloudwatch.setAlarm(ALARMS.green, 'ALARM');
    expect((await harness.run(alarmFailover())).status).toBe('SUCCEEDED');
    harness.cloudwatch.setAlarm(ALARMS.green, 'OK');
    harness.cloudwatch.setAlarm(ALARMS.blue, 'ALARM');
    const writes = harness.alb.writes.length;
    const back = await harness.run(alarmFailover('blue'));
    expect(back).toMatchObject({ status: 'FAILED', error: 'GuardrailViolation' });
    expect(back.cause).toMatch(/cooldown: the last failover \(away from green\)/);
    expect(harness.alb.writes).toHaveLength(writes);
    expect(harness.clusterWeights(rule as string)).toEqual({ blue: 100, green: 0 });
  });
});

describe('an alarm storm', () => {
  it('runs five failovers of one cluster at once: exactly one writes, the others end SUCCEEDED quietly', async () => {
    const rules = addServices(4);
    harness.cloudwatch.setAlarm(ALARMS.green, 'ALARM');
    const results = await Promise.all(Array.from({ length: 5 }, () => harness.run(alarmFailover())));
    expect(results.map((r) => r.status)).toEqual(Array(5).fill('SUCCEEDED'));
    const writers = results.filter((r) => r.status === 'SUCCEEDED' && r.output.status === 'SUCCEEDED');
    expect(writers).toHaveLength(1);
    const writer = writers[0]?.executionId;
    const duplicates = results.filter((r) => r.executionId !== writer);
    for (const duplicate of duplicates) {
      expect(duplicate).toMatchObject({ output: { status: 'DUPLICATE', duplicateOf: writer } });
    }
    expect(harness.calls.filter((c) => c.fn === 'ApplyStep')).toHaveLength(1);
    expect(harness.alb.writes).toHaveLength(rules.length);
    for (const rule of rules) expect(harness.clusterWeights(rule)).toEqual({ blue: 100, green: 0 });
    expect(harness.published).toHaveLength(0);
    const store = await harness.store();
    for (const duplicate of duplicates) {
      expect(await store.getHistory(duplicate.executionId)).toMatchObject({
        status: 'DUPLICATE',
        requestedBy: 'alarm:green-5xx',
      });
    }
    expect(await store.getLock()).toBeUndefined();
  });

  it('ends a straggler quietly after the failover of its cluster has completed', async () => {
    addServices(2);
    harness.cloudwatch.setAlarm(ALARMS.green, 'ALARM');
    const first = await harness.run(alarmFailover());
    const writes = harness.alb.writes.length;
    const late = await harness.run(alarmFailover('green', 'green-latency'));
    expect(late).toMatchObject({
      status: 'SUCCEEDED',
      output: { status: 'DUPLICATE', duplicateOf: first.executionId },
    });
    expect(harness.alb.writes).toHaveLength(writes);
  });
});

describe('a failover meeting a manual shift', () => {
  it('stops a running manual drain of the other cluster, takes the lock and fails over from the live weights', async () => {
    const rules = addServices(4);
    let failover: ReturnType<typeof harness.run> | undefined;
    harness.afterTask = (call) => {
      // Green's alarm stays OK here so the drain's own gates do not stop it first.
      if (failover === undefined && call.fn === 'ApplyStep' && call.payload.stepIndex === 1) {
        failover = harness.run(alarmFailover());
      }
    };
    const drain = await harness.run(drainBlue);
    const result = await (failover as ReturnType<typeof harness.run>);
    expect(drain.status).toBe('ABORTED');
    expect(harness.stopped).toEqual([
      expect.objectContaining({
        executionArn: drain.executionId,
        cause: `preempted by failover ${result.executionId}`,
      }),
    ]);
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { status: 'SUCCEEDED' } });
    expect(harness.calls.filter((c) => c.state === 'Replan')).toHaveLength(1);
    // Every route still serves, all of it from blue: the failover planned from the drain's half-way weights.
    for (const rule of rules) expect(harness.clusterWeights(rule)).toEqual({ blue: 100, green: 0 });
    const store = await harness.store();
    expect(await store.getHistory(drain.executionId)).toMatchObject({
      status: 'PREEMPTED',
      error: 'Preempted',
    });
    const history = await store.getHistory(result.executionId);
    expect(history?.steps).toContainEqual(
      expect.objectContaining({ kind: 'preempted', victim: drain.executionId }),
    );
    expect(await store.getLock()).toBeUndefined();
  });

  it('leaves the outcome a shift already recorded in its Finish when it preempts it there', async () => {
    // Prepare: a drain holds the fleet and its Finish has recorded SUCCEEDED, not yet released
    const rules = addServices(2);
    const store = await harness.store();
    const drain = 'arn:drain-finishing';
    const at = new Date(harness.virtualNow);
    await store.acquireLock(
      { executionId: drain, action: 'drain', cluster: 'blue', requestedBy: 'cli:alice' },
      at,
      900,
    );
    await store.startHistory({
      executionId: drain,
      action: 'drain',
      cluster: 'blue',
      requestedBy: 'cli:alice',
      reason: 'upgrade',
      startedAt: at,
      planSummary: null,
      forced: [],
    });
    await store.finishHistory(drain, { status: 'SUCCEEDED', finishedAt: at });

    // Act
    const result = await harness.run(alarmFailover());

    // Assert: the failover took the fleet; the drain's record is what its Finish wrote
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { status: 'SUCCEEDED' } });
    for (const rule of rules) expect(harness.clusterWeights(rule)).toEqual({ blue: 100, green: 0 });
    const history = await store.getHistory(drain);
    expect(history).toMatchObject({ status: 'SUCCEEDED' });
    expect(history?.steps).toEqual([]);
  });

  it('never preempts another failover: it waits for the failover of the other cluster, then plans again from the weights it left', async () => {
    // Prepare: a failover of blue holds the fleet; green turns sick too (no cooldown: blue is well again)
    await harness.reset(testConfig({ failover: { steps: [1], bakeSeconds: 0, cooldownSeconds: 0 } }));
    const [rule] = addServices(2);
    const store = await harness.store();
    const blueFailover = 'arn:failover-blue';
    await store.acquireLock(
      { executionId: blueFailover, action: 'failover', cluster: 'blue', requestedBy: 'alarm:blue-5xx' },
      new Date(harness.virtualNow),
      900,
    );
    harness.cloudwatch.setAlarm(ALARMS.green, 'ALARM');
    let busy = 0;
    harness.afterTask = async (call) => {
      // Blue's failover writes (blue 30, green 70) and frees the fleet while green's waits its turn.
      if (call.fn !== 'Lock' || ++busy !== 3) return;
      harness.alb.setWeights(rule as string, { [tgArn('svc0-blue')]: 30, [tgArn('svc0-green')]: 70 });
      await store.setLastFailover({
        at: new Date(harness.virtualNow),
        cluster: 'blue',
        executionId: blueFailover,
        receivers: ['green'],
      });
      await store.releaseLock(blueFailover);
    };

    // Act
    const result = await harness.run(alarmFailover('green'));

    // Assert: it never stopped blue's failover, waited (LockBusy), re-planned from 30/70, and moved green off
    expect(harness.stopped).toHaveLength(0);
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { status: 'SUCCEEDED' } });
    expect(harness.calls.filter((c) => c.state === 'ReplanAfterWait')).toHaveLength(1);
    expect(harness.clusterWeights(rule as string)).toEqual({ blue: 100, green: 0 });
  });

  it('plans again once from the live weights when someone else wrote meanwhile, instead of leaving the sick cluster serving', async () => {
    // Prepare: another client moves svc0 between the failover's plan and its write
    const [rule] = addServices(2);
    harness.cloudwatch.setAlarm(ALARMS.green, 'ALARM');
    let edited = false;
    harness.afterTask = (call) => {
      if (edited || call.state !== 'Lock') return;
      edited = true;
      harness.alb.setWeights(rule as string, { [tgArn('svc0-blue')]: 20, [tgArn('svc0-green')]: 80 });
    };

    // Act
    const result = await harness.run(alarmFailover());

    // Assert: DriftDetected once, one re-plan, then every route off green
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { status: 'SUCCEEDED' } });
    expect(harness.calls.filter((c) => c.state === 'ReplanAfterDrift')).toHaveLength(1);
    expect(harness.clusterWeights(rule as string)).toEqual({ blue: 100, green: 0 });
  });

  it('waits out the lease of a failover that stopped renewing it, then takes the fleet and moves its cluster off', async () => {
    // Prepare: blue's failover holds the fleet and dies; its lease (one hour) lapses while green's waits
    const [rule] = addServices(2);
    const store = await harness.store();
    await store.acquireLock(
      {
        executionId: 'arn:failover-blue',
        action: 'failover',
        cluster: 'blue',
        requestedBy: 'alarm:blue-5xx',
      },
      new Date(harness.virtualNow),
      3_600,
    );
    harness.cloudwatch.setAlarm(ALARMS.green, 'ALARM');
    let busy = 0;
    harness.afterTask = (call) => {
      if (call.fn === 'Lock' && ++busy === 50) harness.virtualNow += 3_601_000;
    };

    // Act
    const result = await harness.run(alarmFailover());

    // Assert: 50 refusals (LockBusy) did not end the wait; the lapsed lease did, and green is off
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { status: 'SUCCEEDED' } });
    expect(harness.calls.filter((c) => c.state === 'Lock')).toHaveLength(51);
    expect(harness.stopped).toHaveLength(0);
    expect(harness.clusterWeights(rule as string)).toEqual({ blue: 100, green: 0 });
    expect(await store.getLock()).toBeUndefined();
  });

  it('does not let a manual shift preempt anything: a drain finding the lock held still fails with LockHeld', async () => {
    addServices(1);
    const store = await harness.store();
    await store.acquireLock(
      { executionId: 'arn:shift', action: 'shift', requestedBy: 'cli:bob' },
      new Date(harness.virtualNow),
      900,
    );
    const result = await harness.run(drainBlue);
    expect(result).toMatchObject({ status: 'FAILED', error: 'LockHeld' });
    expect(harness.stopped).toHaveLength(0);
  });
});
