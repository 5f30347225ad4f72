import fc from 'fast-check';
import {
  type Block,
  context,
  ephemeral,
  escapeMrkdwn,
  fields,
  fitText,
  header,
  inChannel,
  mrkdwnLink,
  progressButtons,
  replacement,
  SLACK_LIMITS,
  section,
} from '../../../core/chat/blocks';

const ARN = 'arn:aws:states:eu-west-1:123456789012:execution:clustershift-shift:slack-drain-blue-1';

describe('escapeMrkdwn', () => {
  it('turns &, < and > into entities so that text cannot mention, link or ping', () => {
    expect(escapeMrkdwn('<!channel> <@U123> <https://evil.example|click> a & b')).toBe(
      '&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt; a &amp; b',
    );
  });

  it('leaves no raw < or > and no bare & in any text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const escaped = escapeMrkdwn(text);

        expect(escaped).not.toMatch(/[<>]/);
        expect(escaped).not.toMatch(/&(?!amp;|lt;|gt;)/);
      }),
    );
  });
});

describe('fitText', () => {
  it('keeps text within the limit and shows the cut with an ellipsis', () => {
    expect(fitText('abcdef', 6)).toBe('abcdef');
    expect(fitText('abcdefg', 6)).toBe('abcde…');
  });

  it('never splits an entity, a link or a surrogate pair', () => {
    expect(fitText('ab &amp; cd', 6)).toBe('ab …');
    expect(fitText('see <https://x.example|here> now', 12)).toBe('see …');
    expect(fitText('ab😀cd', 4)).toBe('ab…');
  });

  it('stays within any limit', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.integer({ min: 2, max: 200 }), (text, max) => {
        expect(fitText(text, max).length).toBeLessThanOrEqual(max);
      }),
    );
  });
});

describe('block builders', () => {
  it("builds a section, fields, a context and a header in Slack's shapes", () => {
    expect(section('*drain blue*')).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*drain blue*' },
    });
    expect(fields(['*Cluster*\nblue', '*Step*\n2/4'])).toEqual({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Cluster*\nblue' },
        { type: 'mrkdwn', text: '*Step*\n2/4' },
      ],
    });
    expect(context(['by slack:U1'])).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'by slack:U1' }],
    });
    expect(header('clustershift')).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'clustershift' },
    });
  });

  it("cuts texts to Slack's limits", () => {
    const long = 'x'.repeat(10_000);

    expect(section(long).text?.text).toHaveLength(SLACK_LIMITS.sectionText);
    expect(fields(Array.from({ length: 12 }, () => long)).fields).toHaveLength(10);
    expect(fields([long]).fields?.[0]?.text).toHaveLength(SLACK_LIMITS.field);
    expect(header(long).text.text).toHaveLength(SLACK_LIMITS.header);
  });

  it('makes a link whose label cannot break out, and refuses to link a URL that would', () => {
    expect(mrkdwnLink('https://console.aws.amazon.com/states/x', 'exec <1> | x')).toBe(
      '<https://console.aws.amazon.com/states/x|exec &lt;1&gt; ¦ x>',
    );
    expect(mrkdwnLink('https://a.example/x|<!channel>', 'go')).toBe(
      'go (https://a.example/x|&lt;!channel&gt;)',
    );
  });
});

describe('progressButtons', () => {
  it('offers Pause and a confirmed Abort on a running shift, each carrying the execution ARN', () => {
    const block = progressButtons(ARN, { paused: false });

    expect(block.type).toBe('actions');
    expect(block.elements.map((b) => [b.action_id, b.text.text, b.style, b.value])).toEqual([
      ['clustershift.pause', 'Pause', undefined, ARN],
      ['clustershift.abort', 'Abort', 'danger', ARN],
    ]);
    expect(block.elements[1]?.confirm).toMatchObject({
      title: { type: 'plain_text', text: 'Abort this shift?' },
      confirm: { type: 'plain_text', text: 'Abort' },
      deny: { type: 'plain_text', text: 'Keep going' },
    });
  });

  it('offers Resume on a paused shift and Approve when a step waits for approval', () => {
    const block = progressButtons(ARN, { paused: true, approveNext: true });

    expect(block.elements.map((b) => [b.action_id, b.style])).toEqual([
      ['clustershift.approve', 'primary'],
      ['clustershift.resume', 'primary'],
      ['clustershift.abort', 'danger'],
    ]);
  });

  it('offers both Pause and Resume when whoever draws them cannot know (a notification)', () => {
    const block = progressButtons(ARN);

    expect(block.elements.map((b) => b.action_id)).toEqual([
      'clustershift.pause',
      'clustershift.resume',
      'clustershift.abort',
    ]);
  });

  it('refuses a value that is not an execution ARN', () => {
    expect(() => progressButtons('slack-drain-blue-1')).toThrow(/executionArn: must be an execution ARN/);
  });
});

describe('message envelopes', () => {
  it('says who sees the reply', () => {
    expect(ephemeral([section('hi')], 'hi')).toEqual({
      response_type: 'ephemeral',
      text: 'hi',
      blocks: [section('hi')],
    });
    expect(inChannel([], 'hi').response_type).toBe('in_channel');
    expect(replacement([], 'hi').replace_original).toBe(true);
  });

  it('keeps at most 50 blocks, the last saying how many were left out', () => {
    const blocks: Block[] = Array.from({ length: 60 }, (_, i) => section(`route ${i}`));

    const message = inChannel(blocks, 'routes');

    expect(message.blocks).toHaveLength(50);
    expect(message.blocks[49]).toEqual(context(['… 11 more not shown']));
  });
});
