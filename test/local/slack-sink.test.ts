import { admin, raw, startSeededTwin } from './server-fixtures';

/** The Slack stand-in on the twin's admin endpoint: where notifications and response_url posts land. */
let twin: Awaited<ReturnType<typeof startSeededTwin>>;

beforeAll(async () => {
  twin = await startSeededTwin();
});

afterAll(async () => {
  await twin.close();
  twin.restoreEnv();
});

beforeEach(() => twin.slack.clear());

const postTo = (sink: string, body: string, contentType = 'application/json') =>
  raw(twin.endpoint, { path: `/_twin/slack/${sink}`, headers: { 'content-type': contentType }, body });

describe('the Slack stand-in', () => {
  it('answers a posted message with ok (text/plain) as Slack does, and keeps it with the twin time', async () => {
    // Prepare
    twin.clock.advance(3_600_000);
    const before = twin.clock.now();

    // Act
    const answer = await postTo('notifications', JSON.stringify({ text: 'drain started', blocks: [] }));
    const listed = await admin(twin.endpoint, 'GET', 'slack/notifications');

    // Assert
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(answer.text).toBe('ok');
    expect(listed.body).toEqual({
      messages: [
        { sink: 'notifications', at: expect.any(String), message: { text: 'drain started', blocks: [] } },
      ],
    });
    const [message] = listed.body.messages as { at: string }[];
    expect(Date.parse(message?.at ?? '')).toBeGreaterThanOrEqual(before);
    expect(Date.parse(message?.at ?? '')).toBeGreaterThan(Date.now() + 1_800_000);
  });

  it('reads a form post’s payload field, as incoming webhooks accept it', async () => {
    const form = new URLSearchParams({ payload: JSON.stringify({ text: 'from a form' }) }).toString();

    const answer = await postTo('hook', form, 'application/x-www-form-urlencoded');

    expect(answer.text).toBe('ok');
    expect(twin.slack.messages('hook').map((entry) => entry.message)).toEqual([{ text: 'from a form' }]);
  });

  it.each([
    ['a body that is not JSON', '{oops', 'invalid_payload'],
    ['a JSON list', '[1]', 'invalid_payload'],
    ['a message with neither text nor blocks', '{"username":"x"}', 'no_text'],
  ])('refuses %s with Slack’s 400 error and keeps nothing', async (_what, body, error) => {
    const answer = await postTo('notifications', body);

    expect(answer.status).toBe(400);
    expect(answer.text).toBe(error);
    expect(twin.slack.messages()).toEqual([]);
  });

  it('lists every sink’s messages by name, and forgets one sink or all', async () => {
    // Prepare
    await postTo('a', '{"text":"1"}');
    await postTo('b', '{"text":"2"}');
    await postTo('__proto__', '{"text":"3"}');

    // Act
    const all = await admin(twin.endpoint, 'GET', 'slack');
    const clearedOne = await admin(twin.endpoint, 'DELETE', 'slack/a');
    const afterOne = await admin(twin.endpoint, 'GET', 'slack');
    await admin(twin.endpoint, 'DELETE', 'slack');
    const afterAll = await admin(twin.endpoint, 'GET', 'slack');

    // Assert
    expect(Object.keys(all.body.sinks as object).sort()).toEqual(['__proto__', 'a', 'b']);
    expect(clearedOne.body).toEqual({ cleared: 'a' });
    expect(Object.keys(afterOne.body.sinks as object).sort()).toEqual(['__proto__', 'b']);
    expect(afterAll.body).toEqual({ sinks: {} });
  });

  it('refuses a sink name with characters a URL path segment would hide, as a JSON admin error', async () => {
    const answer = await admin(twin.endpoint, 'POST', `slack/${encodeURIComponent('a b')}`, { text: 'x' });

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ __type: 'ValidationError' });
  });
});
