import { logger } from '../../functions/shared/logger';
import { SlackSink } from '../support/slack-sink';
import { ALARMS, testConfig, WorkflowHarness } from '../support/workflow';

jest.setTimeout(30_000);

const harness = new WorkflowHarness();
const sink = new SlackSink();
const topic = 'arn:aws:sns:eu-west-1:123456789012:clustershift';
const webhookSecret = 'clustershift/slack-webhook';
const drain = { action: 'drain', cluster: 'blue', reason: 'node upgrade', requestedBy: 'cli:alice' };

interface SlackBody {
  readonly text: string;
  readonly blocks: {
    type: string;
    text?: { text: string };
    elements?: { action_id?: string; value?: string }[];
  }[];
}
const slackMessages = () => sink.messages as SlackBody[];
const headerOf = (message: SlackBody | undefined) => message?.blocks[0]?.text?.text;
const buttonsOf = (message: SlackBody | undefined) =>
  (message?.blocks ?? []).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));

let runs = 0;
/** A drain of blue that took the lock (Prepare, Lock), as the workflow would have run it. */
const lockedDrain = async (request: Record<string, unknown> = {}) => {
  runs += 1;
  const executionId = `arn:aws:states:eu-west-1:123456789012:execution:clustershift-${harness.fleet}:drain-${runs}`;
  await harness.invoke('Prepare', { executionId, request: { ...drain, ...request } });
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

const notifying = (level: 'all' | 'steps' | 'failures', slack = true) =>
  testConfig({
    notifications: {
      level,
      snsTopicArn: topic,
      ...(slack ? { slack: { webhookUrlSecret: webhookSecret } } : {}),
    },
  });

beforeAll(async () => {
  await Promise.all([harness.start(), sink.start()]);
});
afterAll(async () => {
  await Promise.all([harness.stop(), sink.stop()]);
});
beforeEach(async () => {
  await harness.reset(notifying('all'));
  harness.secretValue = sink.url;
  harness.addService('api.example.com', { blue: 50, green: 50 });
  sink.requests.length = 0;
  sink.behaviour = { kind: 'ok' };
});
afterEach(() => {
  jest.restoreAllMocks();
});

describe('notify: started', () => {
  it('tells Slack and SNS who started what, and the plan, with buttons on the Slack message', async () => {
    // Prepare
    const executionId = await lockedDrain({ pauseBeforeSteps: [0] });

    // Act
    const result = await harness.invoke('Notify', { executionId, kind: 'started' });

    // Assert
    expect(result).toMatchObject({
      kind: 'started',
      notification: {
        attempted: true,
        delivered: true,
        sns: { delivered: true },
        slack: { delivered: true },
      },
    });
    expect(harness.published).toHaveLength(1);
    expect(harness.published[0]).toMatch(
      /drain blue started[\s\S]*requested by: cli:alice — operator alice via the CLI[\s\S]*reason: node upgrade[\s\S]*plan: 4 steps \(25 %, 50 %, 75 %, 100 %\), bake 60 s after each/,
    );
    expect(harness.published[0]).toContain(`execution: ${executionId}`);
    expect(slackMessages()).toHaveLength(1);
    expect(headerOf(slackMessages()[0])).toBe('🚀 drain blue started');
    expect(buttonsOf(slackMessages()[0]).map((b) => [b.action_id, b.value])).toEqual([
      ['clustershift.approve', executionId],
      ['clustershift.pause', executionId],
      ['clustershift.resume', executionId],
      ['clustershift.abort', executionId],
    ]);
  });

  it('reads nothing and sends nothing when the level does not send starts', async () => {
    // Prepare
    await harness.reset(notifying('failures'));
    harness.addService('api.example.com', { blue: 50, green: 50 });
    const executionId = await lockedDrain();
    harness.cloudwatch.calls.length = 0;

    // Act
    const result = await harness.invoke('Notify', { executionId, kind: 'started' });

    // Assert
    expect(result).toMatchObject({ notification: { attempted: false } });
    expect(harness.published).toEqual([]);
    expect(sink.requests).toEqual([]);
    expect(harness.cloudwatch.calls).toEqual([]);
  });
});

describe('notify: step', () => {
  it('reports the weights, the share CloudWatch observed since the write and every gate alarm', async () => {
    // Prepare: step 1 (25 % of the way) written, then three minutes of traffic
    const executionId = await lockedDrain();
    await harness.invoke('ApplyStep', { executionId, stepIndex: 0 });
    harness.virtualNow += 180_000;

    // Act
    await harness.invoke('Notify', { executionId, kind: 'step', stepIndex: 0 });

    // Assert
    const text = harness.published[0] ?? '';
    expect(text).toContain('drain blue: step 1/4 applied and baked');
    expect(text).toContain('step: 1/4 (25 % of the way)');
    expect(text).toContain('weights: blue 37 %, green 63 %');
    expect(text).toMatch(/observed: blue 3[6-8] %, green 6[2-4] % of \d+ requests over [23] min/);
    expect(text).toContain(`gates: all OK: ${ALARMS.gate}, ${ALARMS.green}`);
    expect(text).toContain('next: step 2/4');
    expect(headerOf(slackMessages()[0])).toBe('➡️ drain blue: step 1/4 applied and baked');
  });

  it('says "not measured yet" when no full minute has passed since the write', async () => {
    // Prepare
    const executionId = await lockedDrain();
    await harness.invoke('ApplyStep', { executionId, stepIndex: 0 });

    // Act
    await harness.invoke('Notify', { executionId, kind: 'step', stepIndex: 0 });

    // Assert
    expect(harness.published[0]).toContain(
      'observed: not measured yet (less than a full minute of metrics since the step was written)',
    );
  });

  it('sends the message anyway when its reads fail, saying what is unavailable', async () => {
    // Prepare
    const executionId = await lockedDrain();
    await harness.invoke('ApplyStep', { executionId, stepIndex: 0 });
    harness.virtualNow += 180_000;
    harness.cloudwatch.alarms.delete(ALARMS.green);
    harness.cloudwatch.getMetricData = () => {
      throw Object.assign(new Error('Rate exceeded'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      });
    };

    // Act
    const result = await harness.invoke('Notify', { executionId, kind: 'step', stepIndex: 0 });

    // Assert
    expect(result).toMatchObject({ notification: { delivered: true } });
    expect(harness.published[0]).toContain(
      `gates: unavailable (AlarmNotFound: alarms not found: ${ALARMS.green})`,
    );
    expect(harness.published[0]).toMatch(
      /observed: unavailable \(AwsCallFailed: GetMetricData failed: AccessDenied/,
    );
  });

  it('refuses a step notification without its step with InvalidRequest naming stepIndex', async () => {
    const error = await errorOf(harness.invoke('Notify', { executionId: 'e-1', kind: 'step' }));
    expect(error).toMatchObject({ name: 'InvalidRequest', message: expect.stringContaining('stepIndex') });
  });
});

describe('notify: delivery failures', () => {
  it('reports Slack refusing the message, delivers to SNS, and logs no webhook URL', async () => {
    // Prepare
    const executionId = await lockedDrain();
    sink.behaviour = { kind: 'status', status: 500, text: 'rollup_error' };
    const warn = jest.spyOn(logger, 'warn');

    // Act
    const result = await harness.invoke('Notify', { executionId, kind: 'started' });

    // Assert
    expect(result).toMatchObject({
      notification: {
        attempted: true,
        delivered: false,
        sns: { delivered: true },
        slack: { delivered: false, error: 'the webhook answered HTTP 500: rollup_error' },
      },
    });
    expect(harness.published).toHaveLength(1);
    expect(warn).toHaveBeenCalledWith(
      'notification not delivered',
      expect.objectContaining({ channel: 'slack' }),
    );
    expect(JSON.stringify(warn.mock.calls)).not.toContain(SlackSink.PATH);
    expect(JSON.stringify(result)).not.toContain(SlackSink.PATH);
  });

  it('reports a webhook secret that cannot be read by its name, never a value', async () => {
    // Prepare: a secret name of its own, so no cached value answers
    await harness.reset(
      testConfig({ notifications: { level: 'all', slack: { webhookUrlSecret: 'clustershift/missing' } } }),
    );
    harness.addService('api.example.com', { blue: 50, green: 50 });
    const executionId = await lockedDrain();

    // Act
    const result = await harness.invoke('Notify', { executionId, kind: 'started' });

    // Assert
    expect(result).toMatchObject({
      notification: {
        delivered: false,
        slack: {
          delivered: false,
          error: expect.stringMatching(
            /^reading secret clustershift\/missing failed: ResourceNotFoundException/,
          ),
        },
      },
    });
    expect(sink.requests).toEqual([]);
  });

  it('sends nothing without a plan for the execution', async () => {
    // Act
    const result = await harness.invoke('Notify', { executionId: 'never-prepared', kind: 'started' });

    // Assert
    expect(result).toMatchObject({
      notification: { attempted: false },
      note: 'no plan is stored for this execution',
    });
    expect(sink.requests).toEqual([]);
  });
});
