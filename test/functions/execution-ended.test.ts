import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionEndedResult } from '../../functions/execution-ended';
import { SlackSink } from '../support/slack-sink';
import { testConfig, WorkflowHarness } from '../support/workflow';

jest.setTimeout(30_000);

const harness = new WorkflowHarness();
const topic = 'arn:aws:sns:eu-west-1:123456789012:clustershift';
const drain = { action: 'drain', cluster: 'blue', reason: 'upgrade', requestedBy: 'cli:alice' };
const context = {
  functionName: 'execution-ended',
  awsRequestId: 'direct',
  getRemainingTimeInMillis: () => 60_000,
};

type Handler = (event: unknown, context: unknown) => Promise<ExecutionEndedResult>;
let handler: Handler;

const sample = (file: string) =>
  JSON.parse(readFileSync(join(__dirname, '../../events', file), 'utf8')) as {
    detail: Record<string, unknown>;
  } & Record<string, unknown>;

const stateMachineArn = () =>
  `arn:aws:states:eu-west-1:123456789012:stateMachine:clustershift-${harness.fleet}`;
const executionArn = (name: string) =>
  `arn:aws:states:eu-west-1:123456789012:execution:clustershift-${harness.fleet}:${name}`;

/** The sample status-change event of `file`, for execution `name` of this test's fleet. */
const statusEvent = (file: string, name: string, detail: Record<string, unknown> = {}) => {
  const event = sample(file);
  return {
    ...event,
    resources: [executionArn(name)],
    detail: {
      ...event.detail,
      executionArn: executionArn(name),
      stateMachineArn: stateMachineArn(),
      name,
      ...detail,
    },
  };
};

/** An execution that prepared a drain and took the lock (and opened its history), then stopped. */
const lockedExecution = async (name: string) => {
  const executionId = executionArn(name);
  await harness.invoke('Prepare', { executionId, request: drain });
  await harness.invoke('Lock', { executionId });
  return executionId;
};

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
  ({ handler } = (await import('../../functions/execution-ended')) as unknown as { handler: Handler });
});
afterAll(async () => {
  await harness.stop();
});
beforeEach(async () => {
  await harness.reset(testConfig({ notifications: { level: 'failures', snsTopicArn: topic } }));
  harness.addService('api.example.com', { blue: 50, green: 50 });
});

describe('execution-ended', () => {
  it('releases the lock a stopped execution still holds, closes its history with the status, and notifies', async () => {
    // Prepare
    const executionId = await lockedExecution('stopped-1');
    const store = await harness.store();

    // Act
    const result = await handler(statusEvent('execution-aborted.json', 'stopped-1'), context);

    // Assert
    expect(result).toMatchObject({ outcome: 'cleaned-up', lockReleased: true, historyClosed: true });
    expect(await store.getLock()).toBeUndefined();
    expect(await store.getHistory(executionId)).toMatchObject({
      status: 'ABORTED',
      error: 'ABORTED',
      cause: 'ended outside its own catch (ABORTED): lock released',
    });
    expect(harness.published).toHaveLength(1);
    expect(harness.published[0]).toMatch(/drain blue failed/);
    expect(harness.published[0]).toMatch(
      /ABORTED: the execution ended outside its own catch; its lock was released/,
    );
    expect(harness.published[0]).toMatch(/no weights were written/);
  });

  it('does nothing, and sends nothing, when the same event comes again', async () => {
    // Prepare
    const executionId = await lockedExecution('stopped-2');
    const event = statusEvent('execution-timed-out.json', 'stopped-2');
    await handler(event, context);
    const store = await harness.store();
    const closed = await store.getHistory(executionId);

    // Act
    const again = await handler(event, context);

    // Assert
    expect(again).toMatchObject({ outcome: 'nothing-to-do', lockReleased: false, historyClosed: false });
    expect(await store.getHistory(executionId)).toEqual(closed);
    expect(harness.published).toHaveLength(1);
  });

  it('leaves a lock held by another execution (the failover that preempted it) and closes its own history', async () => {
    // Prepare
    const executionId = await lockedExecution('preempted-1');
    const store = await harness.store();
    const failover = executionArn('failover-1');
    await store.preemptLock(
      { executionId: failover, action: 'failover', cluster: 'green', requestedBy: 'alarm:green-5xx' },
      executionId,
      new Date(harness.virtualNow),
      900,
    );

    // Act
    const result = await handler(statusEvent('execution-aborted.json', 'preempted-1'), context);

    // Assert
    expect(result).toMatchObject({ outcome: 'cleaned-up', lockReleased: false, historyClosed: true });
    expect((await store.getLock())?.executionId).toBe(failover);
    expect((await store.getHistory(executionId))?.cause).toBe(
      'ended outside its own catch (ABORTED): lock not held',
    );
    expect(harness.published[0]).toMatch(/it did not hold the lock/);
  });

  it('tells the channel that a shift a failover preempted has ended, naming the failover, and keeps its history', async () => {
    // Prepare: the failover's Lock took the lock and closed the victim's history as PREEMPTED
    const executionId = await lockedExecution('preempted-2');
    const store = await harness.store();
    const failover = executionArn('failover-2');
    await store.preemptLock(
      { executionId: failover, action: 'failover', cluster: 'green', requestedBy: 'alarm:green-5xx' },
      executionId,
      new Date(harness.virtualNow),
      900,
    );
    const cause = `preempted by failover ${failover}`;
    await store.finishHistory(executionId, {
      status: 'PREEMPTED',
      error: 'Preempted',
      cause,
      finishedAt: new Date(harness.virtualNow),
    });

    // Act: the victim's ABORTED event
    const result = await handler(statusEvent('execution-aborted.json', 'preempted-2'), context);

    // Assert
    expect(result).toMatchObject({ outcome: 'cleaned-up', lockReleased: false, historyClosed: false });
    expect((await store.getHistory(executionId))?.status).toBe('PREEMPTED');
    expect(harness.published).toHaveLength(1);
    expect(harness.published[0]).toMatch(/drain blue failed/);
    expect(harness.published[0]).toContain(`Preempted: ${cause}`);
  });

  it('keeps the AWS error and cause of a failed execution in the history', async () => {
    // Prepare
    const executionId = await lockedExecution('failed-1');

    // Act
    await handler(statusEvent('execution-failed.json', 'failed-1'), context);

    // Assert
    const history = await (await harness.store()).getHistory(executionId);
    expect(history).toMatchObject({ status: 'FAILED', error: 'Lambda.ServiceException' });
    expect(history?.cause).toMatch(
      /^ended outside its own catch \(FAILED\): lock released; Lambda was unable/,
    );
  });

  it('finds nothing to do after an execution that ended through its own Finish', async () => {
    // Prepare
    const executionId = await lockedExecution('finished-1');
    await harness.invoke('Finish', {
      executionId,
      outcome: 'FAILED',
      state: { error: { Error: 'GateFailed', Cause: 'blue-5xx is ALARM' } },
    });
    const store = await harness.store();
    const published = harness.published.length;
    const history = await store.getHistory(executionId);

    // Act
    const result = await handler(statusEvent('execution-failed.json', 'finished-1'), context);

    // Assert
    expect(result.outcome).toBe('nothing-to-do');
    expect(await store.getHistory(executionId)).toEqual(history);
    expect(harness.published).toHaveLength(published);
  });

  it.each([
    ['a succeeded execution', 'execution-succeeded.json', {}, /status SUCCEEDED needs no cleanup/],
    [
      "another state machine's execution",
      'execution-aborted.json',
      { stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:someone-else' },
      /is not this fleet's workflow/,
    ],
  ])('ignores %s and leaves the lock alone', async (_what, file, detail, note) => {
    // Prepare
    await lockedExecution('ignored-1');
    const store = await harness.store();

    // Act
    const result = await handler(statusEvent(file, 'ignored-1', detail), context);

    // Assert
    expect(result).toMatchObject({ outcome: 'ignored', lockReleased: false, historyClosed: false });
    expect(result.note).toMatch(note);
    expect((await store.getLock())?.executionId).toBe(executionArn('ignored-1'));
    expect(harness.published).toHaveLength(0);
  });

  it('refuses an event that is not an execution status change with InvalidRequest naming the field', async () => {
    // Prepare
    const event = statusEvent('execution-aborted.json', 'bad-1');
    const { executionArn: _dropped, ...detail } = event.detail;

    // Act
    const error = await errorOf(handler({ ...event, detail }, context));

    // Assert
    expect(error?.name).toBe('InvalidRequest');
    expect(error?.message).toMatch(/detail\.executionArn/);
  });
});

describe('execution-ended with a Slack webhook', () => {
  const sink = new SlackSink();
  beforeAll(async () => {
    await sink.start();
  });
  afterAll(async () => {
    await sink.stop();
  });

  it('posts the failure to Slack as well, with no buttons since the shift is over', async () => {
    // Prepare
    await harness.reset(
      testConfig({
        notifications: {
          level: 'failures',
          snsTopicArn: topic,
          slack: { webhookUrlSecret: 'clustershift/slack' },
        },
      }),
    );
    harness.secretValue = sink.url;
    harness.addService('api.example.com', { blue: 50, green: 50 });
    await lockedExecution('stopped-slack');

    // Act
    const result = await handler(statusEvent('execution-aborted.json', 'stopped-slack'), context);

    // Assert
    expect(result.notification).toMatchObject({
      attempted: true,
      delivered: true,
      slack: { delivered: true },
    });
    const [message] = sink.messages as { blocks: { type: string; text?: { text: string } }[] }[];
    expect(message?.blocks[0]?.text?.text).toBe('❌ drain blue failed');
    expect(message?.blocks.map((b) => b.type)).not.toContain('actions');
    expect(JSON.stringify(message)).toContain('ABORTED: the execution ended outside its own catch');
    expect(harness.published).toHaveLength(1);
  });
});
