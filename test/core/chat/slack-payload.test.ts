import {
  MAX_SLASH_COMMAND_BODY,
  parseButtonPress,
  parseSlashCommand,
  parseWebhookCommand,
} from '../../../core/chat/slack-payload';
import { buttonActionId } from '../../../core/chat-commands';

const ARN = 'arn:aws:states:eu-west-1:123456789012:execution:clustershift-shift:slack-drain-blue-1';
const RESPONSE_URL = 'https://hooks.slack.com/commands/T1/123/abc';

const slashFields = {
  team_id: 'T0001',
  team_domain: 'example',
  channel_id: 'C2147483705',
  channel_name: 'ops',
  user_id: 'U2147483697',
  user_name: 'alice',
  command: '/clustershift',
  text: 'drain blue upgrading to 1.31',
  response_url: RESPONSE_URL,
  trigger_id: '13345224609.738474920.8088930838d88f008e0',
  api_app_id: 'A123456',
};
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

const errorOf = (parse: () => unknown): string => {
  try {
    parse();
    return 'accepted';
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
};

describe('parseSlashCommand', () => {
  it("reads Slack's form, ignoring fields it does not use", () => {
    expect(parseSlashCommand(form(slashFields))).toEqual({
      teamId: 'T0001',
      channelId: 'C2147483705',
      channelName: 'ops',
      userId: 'U2147483697',
      userName: 'alice',
      command: '/clustershift',
      text: 'drain blue upgrading to 1.31',
      responseUrl: RESPONSE_URL,
      triggerId: '13345224609.738474920.8088930838d88f008e0',
    });
  });

  it('reads a body given as bytes, and takes empty text as empty', () => {
    const parsed = parseSlashCommand(Buffer.from(form({ ...slashFields, text: '' })));

    expect(parsed.text).toBe('');
  });

  it('drops an odd display name instead of refusing the command', () => {
    expect(parseSlashCommand(form({ ...slashFields, user_name: '<!channel>' })).userName).toBeUndefined();
  });

  it.each([
    ['a missing user id', { user_id: undefined }, /InvalidRequest: .*user_id: /],
    ['a user id with spaces', { user_id: 'U1 U2' }, /user_id: must be a user or channel id/],
    ['a missing channel id', { channel_id: undefined }, /channel_id: /],
    [
      'a command that is not a slash command',
      { command: 'clustershift' },
      /command: must be a slash command/,
    ],
    [
      'an http response URL',
      { response_url: 'http://hooks.slack.com/x' },
      /response_url: must be an https URL/,
    ],
    [
      'a response URL with credentials',
      { response_url: 'https://a:b@hooks.slack.com/x' },
      /response_url: must not carry credentials/,
    ],
    ['a response URL that is no URL', { response_url: 'hooks' }, /response_url: not a URL/],
  ])('refuses %s, naming the field', (_what, change, message) => {
    const fields = Object.fromEntries(
      Object.entries({ ...slashFields, ...change }).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    );

    expect(errorOf(() => parseSlashCommand(form(fields)))).toMatch(message);
  });

  it('refuses a field sent twice (which copy counts would be a guess)', () => {
    const body = `${form(slashFields)}&user_id=U0ADMIN`;

    expect(errorOf(() => parseSlashCommand(body))).toMatch(/user_id: sent more than once/);
  });

  it('refuses an over-large body before reading it', () => {
    const body = form({ ...slashFields, text: 'x'.repeat(MAX_SLASH_COMMAND_BODY) });

    expect(errorOf(() => parseSlashCommand(body))).toMatch(/body: \d+ bytes is more than the 16384 allowed/);
  });
});

describe('parseButtonPress', () => {
  const interaction = (overrides: Record<string, unknown> = {}) => ({
    type: 'block_actions',
    team: { id: 'T0001', domain: 'example' },
    user: { id: 'U2147483697', username: 'alice', name: 'alice', team_id: 'T0001' },
    api_app_id: 'A123456',
    container: { type: 'message', message_ts: '1548261231.000200', channel_id: 'C2147483705' },
    channel: { id: 'C2147483705', name: 'ops' },
    message: { type: 'message', ts: '1548261231.000200', text: 'drain blue: step 2/4', blocks: [] },
    response_url: RESPONSE_URL,
    actions: [
      {
        type: 'button',
        block_id: 'b1',
        action_id: buttonActionId('abort'),
        value: ARN,
        text: { type: 'plain_text', text: 'Abort' },
        action_ts: '1548426417.840180',
      },
    ],
    ...overrides,
  });
  const body = (payload: unknown) => form({ payload: JSON.stringify(payload) });

  it('reads which button was pressed, on which execution, by whom, where', () => {
    expect(parseButtonPress(body(interaction()))).toEqual({
      userId: 'U2147483697',
      userName: 'alice',
      channelId: 'C2147483705',
      action: 'abort',
      executionArn: ARN,
      responseUrl: RESPONSE_URL,
      messageTs: '1548261231.000200',
    });
  });

  it.each(['pause', 'resume', 'approve'] as const)('knows the %s button', (action) => {
    const payload = interaction({ actions: [{ action_id: buttonActionId(action), value: ARN }] });

    expect(parseButtonPress(body(payload)).action).toBe(action);
  });

  it('takes the message time from the container of an ephemeral message', () => {
    const { message: _message, ...withoutMessage } = interaction();

    expect(parseButtonPress(body(withoutMessage)).messageTs).toBe('1548261231.000200');
  });

  it.each([
    ['no payload field', form({ other: '1' }), /payload: missing/],
    ['a payload that is not JSON', form({ payload: '{nope' }), /payload: is not valid JSON/],
    [
      'another interaction type',
      body(interaction({ type: 'view_submission' })),
      /payload.type: only block_actions .* got "view_submission"/,
    ],
    [
      'a foreign button',
      body(interaction({ actions: [{ action_id: 'other.delete', value: ARN }] })),
      /payload.actions.0.action_id: not a clustershift button/,
    ],
    [
      'a value that is not an execution ARN',
      body(
        interaction({
          actions: [
            {
              action_id: buttonActionId('pause'),
              value: 'arn:aws:states:eu-west-1:123456789012:stateMachine:x',
            },
          ],
        }),
      ),
      /payload.actions.0.value: must be an execution ARN/,
    ],
    ['no actions', body(interaction({ actions: [] })), /payload.actions: a button press carries one action/],
    ['no channel', body(interaction({ channel: undefined })), /payload.channel: /],
    [
      'a response URL elsewhere',
      body(interaction({ response_url: 'ftp://hooks.slack.com/x' })),
      /payload.response_url: must be an https URL/,
    ],
  ])('refuses %s, naming the field', (_what, raw, message) => {
    expect(errorOf(() => parseButtonPress(raw))).toMatch(message);
  });
});

describe('parseWebhookCommand', () => {
  const valid = {
    user: 'ops-bot',
    channel: 'ops',
    text: 'drain blue upgrade',
    callbackUrl: 'https://chat.example.com/hook/1',
  };

  it('reads the JSON body', () => {
    expect(parseWebhookCommand(JSON.stringify(valid))).toEqual(valid);
  });

  it('leaves callbackUrl out when absent', () => {
    const { callbackUrl: _callbackUrl, ...rest } = valid;

    expect(parseWebhookCommand(JSON.stringify(rest))).toEqual(rest);
  });

  it.each([
    ['a body that is not JSON', 'user=ops', /body: is not valid JSON/],
    ['an unknown field', JSON.stringify({ ...valid, admin: true }), /admin/],
    ['a missing user', JSON.stringify({ ...valid, user: undefined }), /user: /],
    ['text that is not a string', JSON.stringify({ ...valid, text: ['drain'] }), /text: /],
    ['over-long text', JSON.stringify({ ...valid, text: 'x'.repeat(4_001) }), /text: /],
    [
      'a callback to an internal http address',
      JSON.stringify({ ...valid, callbackUrl: 'http://169.254.169.254/latest' }),
      /callbackUrl: must be an https URL/,
    ],
    [
      'an over-large body',
      JSON.stringify({ ...valid, text: 'x'.repeat(9_000) }),
      /body: \d+ bytes is more than the 8192 allowed/,
    ],
  ])('refuses %s', (_what, raw, message) => {
    expect(errorOf(() => parseWebhookCommand(raw))).toMatch(message);
  });
});
