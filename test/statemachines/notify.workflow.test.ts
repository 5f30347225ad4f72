import { SlackSink } from '../support/slack-sink';
import { ALARMS, testConfig, WorkflowHarness } from '../support/workflow';

jest.setTimeout(60_000);

const harness = new WorkflowHarness();
const sink = new SlackSink();
const topic = 'arn:aws:sns:eu-west-1:123456789012:clustershift';
const drain = { action: 'drain', cluster: 'blue', reason: 'node upgrade', requestedBy: 'cli:alice' };
const alarmFailover = {
  action: 'failover',
  cluster: 'green',
  reason: `${ALARMS.green} is ALARM`,
  requestedBy: `alarm:${ALARMS.green}`,
};

/** The header of every Slack message the sink got, in order. */
const slackHeaders = () =>
  (sink.messages as { blocks: { type: string; text?: { text: string } }[] }[]).map(
    (message) => message.blocks[0]?.text?.text,
  );

const resetFleet = async (level: 'all' | 'steps' | 'failures') => {
  await harness.reset(
    testConfig({
      notifications: { level, snsTopicArn: topic, slack: { webhookUrlSecret: 'clustershift/slack-webhook' } },
    }),
  );
  harness.secretValue = sink.url;
  sink.requests.length = 0;
  sink.behaviour = { kind: 'ok' };
  return [
    harness.addService('api.example.com', { blue: 50, green: 50 }),
    harness.addService('web.example.com', { blue: 50, green: 50 }),
  ];
};

const DRAIN_STEPS = [
  '➡️ drain blue: step 1/4 applied and baked',
  '➡️ drain blue: step 2/4 applied and baked',
  '➡️ drain blue: step 3/4 applied and baked',
  '➡️ drain blue: step 4/4 applied and baked',
];

beforeAll(async () => {
  await Promise.all([harness.start(), sink.start()]);
});
afterAll(async () => {
  await Promise.all([harness.stop(), sink.stop()]);
});

describe('notifications from the workflow, at each level (a local HTTP sink stands in for Slack)', () => {
  it('sends the start, every step and the end at level all', async () => {
    // Prepare
    await resetFleet('all');

    // Act
    const result = await harness.run(drain);

    // Assert
    expect(result).toMatchObject({ status: 'SUCCEEDED' });
    expect(slackHeaders()).toEqual(['🚀 drain blue started', ...DRAIN_STEPS, '✅ drain blue succeeded']);
    expect(harness.published).toHaveLength(6);
    expect(harness.published.at(-1)).toMatch(/drain blue succeeded[\s\S]*weights: blue 0 %, green 100 %/);
  });

  it('sends the start, every step and the end at level steps', async () => {
    // Prepare
    await resetFleet('steps');

    // Act
    await harness.run(drain);

    // Assert
    expect(slackHeaders()).toEqual(['🚀 drain blue started', ...DRAIN_STEPS, '✅ drain blue succeeded']);
    expect(harness.calls.filter((c) => c.state === 'NotifyStarted')).toHaveLength(1);
  });

  it('sends nothing for a shift that succeeds, and the failure of one that does not, at level failures', async () => {
    // Prepare
    await resetFleet('failures');
    await harness.run(drain);
    const afterSuccess = slackHeaders();
    harness.afterTask = (call) => {
      if (call.fn === 'ApplyStep' && call.payload.stepIndex === 0)
        harness.cloudwatch.setAlarm(ALARMS.gate, 'ALARM');
    };

    // Act
    const failed = await harness.run({ ...drain, action: 'restore' });

    // Assert
    expect(afterSuccess).toEqual([]);
    expect(failed).toMatchObject({ status: 'FAILED', error: 'GateFailed' });
    expect(slackHeaders()).toEqual(['❌ restore blue failed']);
    expect(harness.published).toHaveLength(1);
  });

  it('starts a failover with its first write, its first notification being the step that says who started it', async () => {
    // Prepare
    await resetFleet('all');
    harness.cloudwatch.setAlarm(ALARMS.green, 'ALARM');

    // Act
    const result = await harness.run(alarmFailover);

    // Assert
    expect(result).toMatchObject({ status: 'SUCCEEDED' });
    expect(harness.calls.map((c) => c.state).slice(0, 3)).toEqual(['Prepare', 'Lock', 'ApplyStep']);
    expect(harness.calls.map((c) => c.state)).not.toContain('NotifyStarted');
    expect(slackHeaders()).toEqual(['➡️ failover green: step 1/1 applied', '✅ failover green succeeded']);
    expect(harness.published[0]).toContain(
      `requested by: alarm:${ALARMS.green} — alarm ${ALARMS.green} went to ALARM (automatic failover)`,
    );
  });
});

describe('a failing notification never fails the shift', () => {
  it('drains to the end when the notify function throws at every call', async () => {
    // Prepare
    const rules = await resetFleet('all');
    harness.notifyFailure = Object.assign(new Error('notifier broken'), { name: 'TypeError' });

    // Act
    const result = await harness.run(drain);

    // Assert
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { status: 'SUCCEEDED' } });
    expect(harness.calls.filter((c) => c.fn === 'Notify').map((c) => c.state)).toEqual([
      'NotifyStarted',
      'NotifyStep',
      'NotifyStep',
      'NotifyStep',
      'NotifyStep',
    ]);
    expect(harness.calls.filter((c) => c.fn === 'ApplyStep')).toHaveLength(4);
    for (const rule of rules) expect(harness.clusterWeights(rule)).toEqual({ blue: 0, green: 100 });
    expect(slackHeaders()).toEqual(['✅ drain blue succeeded']);
  });

  it('drains to the end when Slack and SNS both refuse every message', async () => {
    // Prepare
    await resetFleet('all');
    sink.behaviour = { kind: 'status', status: 500, text: 'internal_error' };
    harness.snsFailure = Object.assign(new Error('topic gone'), { name: 'NotFoundException' });

    // Act
    const result = await harness.run(drain);

    // Assert
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { status: 'SUCCEEDED' } });
    expect(sink.requests).toHaveLength(6);
  });
});
