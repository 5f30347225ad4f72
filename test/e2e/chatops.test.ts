import { signSlackRequest, signWebhook } from '../../core/chat/signature';
import { type ButtonAction, buttonActionId } from '../../core/chat-commands';
import { DEMO_SLACK_SIGNING_SECRET, DEMO_SLACK_SINKS, DEMO_WEBHOOK_SECRET } from '../../local/demo/index';
import { E2eTwin, seedWeights } from '../support/e2e';

/**
 * ChatOps end to end on the twin: signed Slack requests and webhook calls go to the twin's HTTP API
 * route, through the deployed chatops function (bundle from cdk.out) and its worker (asynchronous
 * invoke), to the workflow; replies and notifications land in the twin's stand-in for Slack.
 */
jest.setTimeout(120_000);

let e2e: E2eTwin;

interface SinkMessage {
  readonly message: { text?: string; blocks?: unknown[]; response_type?: string } & Record<string, unknown>;
}

const now = () => Math.floor(Date.now() / 1000);

const post = async (path: string, body: string, headers: Record<string, string>) => {
  const response = await fetch(`${e2e.twin.endpoint}${path}`, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
};

const responseUrl = () => `${e2e.twin.endpoint}/_twin/slack/${DEMO_SLACK_SINKS.responses}`;

/** A slash command as Slack sends it: a signed form body. */
const slash = (text: string, user = 'U0DEMO', channel = 'C0DEMO') => {
  const body = new URLSearchParams({
    team_id: 'T0DEMO',
    channel_id: channel,
    user_id: user,
    user_name: 'alice',
    command: '/clustershift',
    text,
    response_url: responseUrl(),
    trigger_id: '1.2.3',
  }).toString();
  return post('/slack/commands', body, {
    'content-type': 'application/x-www-form-urlencoded',
    ...signSlackRequest(DEMO_SLACK_SIGNING_SECRET, now(), body),
  });
};

/** A press of one of a progress message's buttons. */
const press = (action: ButtonAction, executionArn: string) => {
  const payload = JSON.stringify({
    type: 'block_actions',
    user: { id: 'U0DEMO', username: 'alice' },
    channel: { id: 'C0DEMO' },
    response_url: responseUrl(),
    actions: [{ action_id: buttonActionId(action), value: executionArn, type: 'button' }],
  });
  const body = new URLSearchParams({ payload }).toString();
  return post('/slack/interactions', body, {
    'content-type': 'application/x-www-form-urlencoded',
    ...signSlackRequest(DEMO_SLACK_SIGNING_SECRET, now(), body),
  });
};

/** A command through the generic webhook, as another chat tool would send it. */
const hook = (text: string) => {
  const body = JSON.stringify({ user: 'demo-bot', channel: 'C0DEMO', text, callbackUrl: responseUrl() });
  return post('/webhook', body, {
    'content-type': 'application/json',
    ...signWebhook(DEMO_WEBHOOK_SECRET, now(), body),
  });
};

const sink = async (name: string): Promise<SinkMessage[]> =>
  (await e2e.twin.admin<{ messages: SinkMessage[] }>('GET', `/slack/${name}`)).messages;

/** Waits for a reply whose text contains `needle`, and returns it. */
const reply = async (needle: string): Promise<SinkMessage> => {
  let found: SinkMessage | undefined;
  await e2e.until(`a chat reply containing ${JSON.stringify(needle)}`, async () => {
    found = (await sink(DEMO_SLACK_SINKS.responses)).find((m) => String(m.message.text).includes(needle));
    return found !== undefined;
  });
  return found as SinkMessage;
};

/** The execution ARN a message's buttons carry. */
const buttonExecution = (message: SinkMessage): string => {
  const text = JSON.stringify(message.message.blocks ?? []);
  const arn = /"value":"(arn:aws:states:[^"]+)"/.exec(text)?.[1];
  if (arn === undefined) throw new Error(`no button with an execution in ${text}`);
  return arn;
};

beforeAll(async () => {
  e2e = await E2eTwin.start();
});
afterAll(async () => {
  await e2e?.close();
});
beforeEach(async () => {
  await e2e.twin.admin('DELETE', '/slack');
});

describe('ChatOps on the twin', () => {
  it('rejects a forged request with 401 and starts nothing', async () => {
    // Prepare
    const body = new URLSearchParams({
      text: 'drain blue x',
      user_id: 'U0DEMO',
      channel_id: 'C0DEMO',
    }).toString();

    // Act
    const result = await post('/slack/commands', body, {
      'content-type': 'application/x-www-form-urlencoded',
      ...signSlackRequest('not-the-signing-secret', now(), body),
    });

    // Assert
    expect(result.status).toBe(401);
    expect(await e2e.history()).toEqual([]);
  });

  it('answers status from Slack with the fleet table, to the asker only', async () => {
    // Act
    const ack = await slash('status', 'U0VIEWER');

    // Assert
    expect(ack.status).toBe(200);
    expect(JSON.parse(ack.text)).toMatchObject({ response_type: 'ephemeral' });
    const answer = await reply('status of demo');
    expect(answer.message.response_type).toBe('ephemeral');
    expect(JSON.stringify(answer.message.blocks)).toContain('CLUSTER');
    // Its describes leased tokens from the shared ELBv2 pacer: a read-only role, allowed that item.
    expect(e2e.twin.log()).not.toContain('IAM denied');
  });

  it('drains from Slack, pauses and aborts it with the buttons, and the workflow rolls back', async () => {
    // Act: the drain, with a pause before step 2 so it holds long enough to press buttons
    const ack = await slash('drain blue --force single-cluster-route --pause-before 2 kernel upgrade');
    expect(ack.status).toBe(200);
    const started = await reply('Started drain blue');
    const executionArn = buttonExecution(started);
    expect(started.message.response_type).toBe('in_channel');
    await e2e.firstStepWritten();

    // Act: Pause, then Abort, from the message's buttons
    expect((await press('pause', executionArn)).status).toBe(200);
    await reply('paused');
    expect((await press('abort', executionArn)).status).toBe(200);
    await reply('aborted');

    // Assert: the workflow itself failed the shift with Aborted and rolled every route back
    const ended = await e2e.ended(executionArn, 90_000);
    expect(ended.status).toBe('FAILED');
    expect(ended.error).toBe('Aborted');
    expect(await e2e.routeWeights()).toEqual(seedWeights());
    const [record] = await e2e.history();
    expect(record?.requestedBy).toBe('slack:U0DEMO (alice)');
    // Progress went to the notifications channel, with buttons while it ran.
    const notes = await sink(DEMO_SLACK_SINKS.notifications);
    expect(notes.some((m) => String(m.message.text).includes('drain blue started'))).toBe(true);
    expect(notes.some((m) => String(m.message.text).includes('drain blue failed'))).toBe(true);
    expect(notes.some((m) => JSON.stringify(m.message).includes(buttonActionId('abort')))).toBe(true);
  });

  it('runs a signed generic webhook command and posts the answer to its callback', async () => {
    // Prepare
    const body = JSON.stringify({
      user: 'demo-bot',
      channel: 'C0DEMO',
      text: 'history 5',
      callbackUrl: `${e2e.twin.endpoint}/_twin/slack/${DEMO_SLACK_SINKS.responses}`,
    });

    // Act
    const result = await post('/webhook', body, {
      'content-type': 'application/json',
      ...signWebhook(DEMO_WEBHOOK_SECRET, now(), body),
    });

    // Assert
    expect(result.status).toBe(202);
    await reply('last 5 shifts of demo');
  });

  it('refuses a user who may only read when they try to drain, and starts nothing', async () => {
    const before = (await e2e.history()).length;

    const ack = await slash('drain blue upgrade', 'U0VIEWER');

    expect(ack.status).toBe(200);
    expect(ack.text).toContain('may not run drain');
    expect((await e2e.history()).length).toBe(before);
  });

  it('runs every command through the webhook: help, plan, freeze, unfreeze, shift, approve, pause, resume, drain, restore', async () => {
    // help is answered at once, with no worker
    const help = await hook('help');
    expect(help.status).toBe(200);
    expect(help.text).toContain('drain');

    // plan: the same plan view as the CLI, nothing started
    expect((await hook('plan drain blue --force single-cluster-route')).status).toBe(202);
    await reply('plan drain blue');

    // freeze refuses a shift, unfreeze allows it again
    await hook('freeze change freeze for the sale');
    await reply('froze demo');
    await hook('drain blue --force single-cluster-route upgrade');
    const refused = await reply('frozen');
    expect(refused.message.response_type).toBe('ephemeral');
    await hook('unfreeze');
    await reply('unfroze demo');

    // shift, held before its first step until approved; paused and resumed on the way
    await hook('shift blue=40,green=60 --pause-before 1 rebalance');
    const shift = buttonExecution(await reply('Started shift'));
    // The workflow's own notification says it took the lock and stored its plan.
    await e2e.until('the shift to start', async () =>
      (await sink(DEMO_SLACK_SINKS.notifications)).some((m) =>
        String(m.message.text).includes('shift started'),
      ),
    );
    await hook('approve');
    await reply('approved step 1 of 2');
    await hook('pause');
    await reply('paused');
    await hook('resume');
    await reply('resumed');
    expect((await e2e.ended(shift, 90_000)).status).toBe('SUCCEEDED');

    // drain and restore: back where the shift left every route
    const afterShift = await e2e.routeWeights();
    await hook('drain blue --force single-cluster-route kernel upgrade');
    const drain = buttonExecution(await reply('Started drain blue'));
    expect((await e2e.ended(drain, 90_000)).status).toBe('SUCCEEDED');
    await hook('restore blue upgrade done');
    const restore = buttonExecution(await reply('Started restore blue'));
    expect((await e2e.ended(restore, 90_000)).status).toBe('SUCCEEDED');
    expect(await e2e.routeWeights()).toEqual(afterShift);

    // history lists them, each requested by the webhook's user
    const records = await e2e.history();
    expect(records.slice(0, 3).map((r) => [r.action, r.requestedBy])).toEqual([
      ['restore', 'webhook:demo-bot'],
      ['drain', 'webhook:demo-bot'],
      ['shift', 'webhook:demo-bot'],
    ]);
  });
});
