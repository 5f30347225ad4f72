import { ListExecutionsCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import {
  BLUE_ONLY_ROUTE,
  clusterWeight,
  E2eTwin,
  outcome,
  type RouteWeights,
  seedWeights,
  startedArn,
} from '../support/e2e';

/**
 * Automatic failover on the twin: the alarm state change → the EventBridge rule from the
 * synthesized template → its input transformer → the state machine, with the real bundles. A
 * fresh twin per test: failovers leave cooldowns and baselines behind on purpose.
 */
jest.setTimeout(90_000);

const GREEN_ALARM = 'demo-green-5xx';
const BLUE_ALARM = 'demo-blue-5xx';

let e2e: E2eTwin;

beforeEach(async () => {
  e2e = await E2eTwin.start();
});

afterEach(async () => {
  await e2e.close();
});

const executions = async () => {
  const listed = await e2e.sfn.send(
    new ListExecutionsCommand({ stateMachineArn: await e2e.stateMachineArn(), maxResults: 100 }),
  );
  return listed.executions ?? [];
};

/** Waits until `count` executions exist and all have ended; returns them with their descriptions. */
const allEnded = async (count: number) => {
  await e2e.until(`${count} executions`, async () => (await executions()).length >= count);
  const listed = await executions();
  return Promise.all(listed.map(async (e) => ({ ...(await e2e.ended(e.executionArn ?? '')), listed: e })));
};

/** Routes that forward to both clusters in the seed (reports is blue only). */
const sharedRoutes = (): string[] =>
  Object.entries(seedWeights())
    .filter(([, weights]) => clusterWeight(weights, 'green') > 0 && clusterWeight(weights, 'blue') > 0)
    .map(([route]) => route);

const everyRouteServes = (weights: RouteWeights): boolean =>
  Object.values(weights).every((route) => Object.values(route).some((weight) => weight > 0));

const notifications = async () =>
  (await e2e.twin.admin<{ messages: { subject?: string; message: string }[] }>('GET', 'notifications'))
    .messages;

describe('automatic failover on the twin', () => {
  it('moves every route off a cluster whose health alarm fires, verifies it drained, and says who did it', async () => {
    // Act: green's health alarm enters ALARM; nobody runs a command.
    await e2e.setAlarm(GREEN_ALARM, 'ALARM');
    const [failover] = await allEnded(1);

    // Assert
    expect(failover?.status).toBe('SUCCEEDED');
    const weights = await e2e.routeWeights();
    for (const route of sharedRoutes()) {
      expect({ route, green: clusterWeight(weights[route], 'green') }).toEqual({ route, green: 0 });
      expect(clusterWeight(weights[route], 'blue')).toBeGreaterThan(0);
    }
    const [record] = await e2e.history();
    expect(record).toMatchObject({
      action: 'failover',
      cluster: 'green',
      requestedBy: `alarm:${GREEN_ALARM}`,
    });
    expect(record?.steps).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'verify', drained: true })]),
    );
  });

  it('writes nothing when no cluster is healthy enough to receive, and notifies loudly (fail static)', async () => {
    // Prepare: green has no healthy target left; then blue's alarm fires.
    await e2e.twin.admin('POST', 'clusters/green/health', { healthy: false, errorRate: 0 });
    const before = await e2e.routeWeights();

    // Act
    await e2e.setAlarm(BLUE_ALARM, 'ALARM');
    const [refused] = await allEnded(1);

    // Assert
    expect(refused?.status).toBe('FAILED');
    expect(refused?.error).toBe('GuardrailViolation');
    expect(refused?.cause).toMatch(/last-cluster/);
    expect(await e2e.routeWeights()).toEqual(before);
    const loud = (await notifications()).find((n) => /fail static/i.test(`${n.subject} ${n.message}`));
    expect(loud).toBeDefined();
  });

  it('starts exactly one failover for an alarm storm; the others end quietly as duplicates', async () => {
    // Act: five ALARM transitions of green's health alarm within a second.
    for (let i = 0; i < 5; i += 1) {
      await e2e.setAlarm(GREEN_ALARM, 'ALARM');
      await e2e.setAlarm(GREEN_ALARM, 'OK');
    }
    const ended = await allEnded(5);

    // Assert
    expect(ended.map((e) => e.status)).toEqual([
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
    ]);
    const writers = (await e2e.history()).filter((r) => r.steps.some((s) => s.kind === 'step'));
    expect(writers).toHaveLength(1);
    const duplicates = ended.filter((e) => JSON.parse(e.output ?? '{}').status === 'DUPLICATE');
    expect(duplicates).toHaveLength(4);
    const weights = await e2e.routeWeights();
    for (const route of sharedRoutes()) expect(clusterWeight(weights[route], 'green')).toBe(0);
  });

  it('preempts a manual drain of the other cluster: the drain is stopped, the failover wins, every route serves', async () => {
    // Prepare: an operator drains blue; its first step is written.
    const drain = await e2e.cli([
      'drain',
      'blue',
      '--force',
      'single-cluster-route',
      '--reason',
      'upgrade',
      '--json',
    ]);
    expect(outcome(drain)).toMatchObject({ code: 0 });
    const manual = startedArn(drain);
    await e2e.firstStepWritten();

    // Act: green turns sick mid-drain.
    await e2e.setAlarm(GREEN_ALARM, 'ALARM');
    const ended = await allEnded(2);

    // Assert
    const stopped = ended.find((e) => e.executionArn === manual);
    const failover = ended.find((e) => e.executionArn !== manual);
    expect(stopped?.status).toBe('ABORTED');
    expect(failover?.status).toBe('SUCCEEDED');
    const weights = await e2e.routeWeights();
    expect(everyRouteServes(weights)).toBe(true);
    for (const route of sharedRoutes()) {
      expect(clusterWeight(weights[route], 'green')).toBe(0);
      expect(clusterWeight(weights[route], 'blue')).toBeGreaterThan(0);
    }
    expect(clusterWeight(weights[BLUE_ONLY_ROUTE], 'blue')).toBeGreaterThan(0);
  });

  it('refuses a failover back the other way within the cooldown (no ping-pong)', async () => {
    // Prepare: green fails over to blue; green recovers.
    await e2e.setAlarm(GREEN_ALARM, 'ALARM');
    await allEnded(1);
    await e2e.setAlarm(GREEN_ALARM, 'OK');
    const before = await e2e.routeWeights();

    // Act: blue's alarm fires within the cooldown.
    await e2e.setAlarm(BLUE_ALARM, 'ALARM');
    const ended = await allEnded(2);

    // Assert
    const second = ended.find((e) => JSON.parse(e.input ?? '{}').cluster === 'blue');
    expect(second?.status).toBe('FAILED');
    expect(second?.cause).toMatch(/cooldown/);
    expect(await e2e.routeWeights()).toEqual(before);
  });

  it('frees the lock left by an execution stopped outside its own catch (execution-status rule)', async () => {
    // Prepare: a drain holds the lock; someone stops it from the console.
    const drain = await e2e.cli([
      'drain',
      'blue',
      '--force',
      'single-cluster-route',
      '--reason',
      'upgrade',
      '--json',
    ]);
    const arn = startedArn(drain);
    await e2e.firstStepWritten();
    const held = await e2e.cliJson<{ lock?: { executionId?: string } }>(['status']);
    expect(held.data.lock?.executionId).toBe(arn);

    // Act
    await e2e.sfn.send(new StopExecutionCommand({ executionArn: arn, cause: 'stopped from the console' }));

    // Assert: the rule's function releases the lock and closes the history record.
    await e2e.until('the lock to be released', async () => {
      const status = await e2e.cliJson<{ lock?: unknown }>(['status']);
      return status.data.lock === undefined || status.data.lock === null;
    });
    const [record] = await e2e.history();
    expect(record?.status).toBe('ABORTED');
  });
});
