import fc from 'fast-check';
import { mrkdwnToHtml, parseSlackMessage, renderSlackPreview } from '../../../cli/report/slack-preview';

const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:ClusterShift-prod-eu:cli-drain-blue-1';

/** A progress message as clustershift posts it: header, fields, context, the control buttons. */
const progress = {
  text: 'clustershift prod-eu: drain blue, step 2/4',
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: '➡️ drain blue: step 2/4 written' } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Cluster*\nblue' },
        { type: 'mrkdwn', text: '*Observed share*\nblue 25 %, green 75 %' },
      ],
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'fleet *prod-eu* · `clustershift watch`' }] },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: 'clustershift.approve',
          text: { type: 'plain_text', text: 'Approve next step' },
          value: EXECUTION,
          style: 'primary',
        },
        {
          type: 'button',
          action_id: 'clustershift.pause',
          text: { type: 'plain_text', text: 'Pause' },
          value: EXECUTION,
        },
        {
          type: 'button',
          action_id: 'clustershift.abort',
          text: { type: 'plain_text', text: 'Abort' },
          value: EXECUTION,
          style: 'danger',
        },
      ],
    },
  ],
};

/** Text made mostly of what mrkdwn and HTML give meaning to, so the property meets them often. */
const mrkdwnish = fc.string({
  unit: fc.constantFrom(
    ...'<>&*_~`|@!#"\' \n',
    'https://',
    'mailto:',
    'javascript:',
    '&lt;',
    '&amp;',
    'a',
    'script',
  ),
  maxLength: 60,
});

const render = (message: unknown) => renderSlackPreview(parseSlackMessage(message));

describe('renderSlackPreview', () => {
  it('draws each button with its label and style: primary, plain, danger', () => {
    const html = render(progress);

    expect(html).toContain('<span class="button primary">Approve next step</span>');
    expect(html).toContain('<span class="button">Pause</span>');
    expect(html).toContain('<span class="button danger">Abort</span>');
  });

  it('lays fields out in the two-column grid, under the header, with the context line', () => {
    const html = render(progress);

    expect(html).toContain('<div class="block header">➡️ drain blue: step 2/4 written</div>');
    expect(html).toContain(
      '<div class="fields"><div class="field"><b>Cluster</b><br>blue</div><div class="field"><b>Observed share</b><br>blue 25 %, green 75 %</div></div>',
    );
    expect(html).toContain(
      '<div class="block context"><span>fleet <b>prod-eu</b> · <code>clustershift watch</code></span></div>',
    );
  });

  it('escapes text in plain_text, mrkdwn, button labels and block types, so no markup gets through', () => {
    const evil = '<img src=x onerror=alert(1)>"\'&';
    const html = render({
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: evil } },
        { type: 'section', text: { type: 'mrkdwn', text: `*${evil}*` } },
        {
          type: 'actions',
          elements: [{ type: 'button', text: { type: 'plain_text', text: evil }, value: 'x' }],
        },
        { type: `<script>${evil}` },
      ],
    });

    const body = html.slice(html.indexOf('<body>'));
    expect(body).not.toMatch(/<img|<script|onerror=alert\(1\)>/);
    expect(body).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
    expect(body).toContain('unsupported block: &lt;script&gt;');
  });

  it('escapes any mrkdwn text whatever it holds: no tag but the ones it draws', () => {
    fc.assert(
      fc.property(mrkdwnish, (text) => {
        const html = mrkdwnToHtml(text);

        const tags = [...html.matchAll(/<\/?([a-z]+)/g)].map((m) => m[1]);
        expect(
          tags.every((tag) => ['b', 'i', 's', 'code', 'pre', 'br', 'a', 'span'].includes(tag ?? '')),
        ).toBe(true);
        expect(html).not.toMatch(/<a (?!href="(https?:|mailto:))/);
      }),
    );
  });

  it('renders links, mentions and Slack-escaped text, and leaves a javascript: link as text', () => {
    expect(mrkdwnToHtml('see <https://console.aws.amazon.com/states?a=1&amp;b=2|the execution>')).toBe(
      'see <a href="https://console.aws.amazon.com/states?a=1&amp;b=2">the execution</a>',
    );
    expect(mrkdwnToHtml('<@U123|alice> &lt;b&gt; <!here>')).toBe(
      '<span class="mention">@alice</span> &lt;b&gt; <span class="mention">@here</span>',
    );
    expect(mrkdwnToHtml('<javascript:alert(1)|click>')).toBe('&lt;javascript:alert(1)|click&gt;');
    expect(mrkdwnToHtml('_italic_ ~gone~ `*not bold*`')).toBe(
      '<i>italic</i> <s>gone</s> <code>*not bold*</code>',
    );
  });

  it('draws attachments with their colour bar and the message text when there are no blocks', () => {
    const html = render({
      text: 'FAIL STATIC *green*',
      attachments: [{ color: 'danger', blocks: progress.blocks.slice(0, 1) }],
    });

    expect(html).toContain('<div class="block">FAIL STATIC <b>green</b></div>');
    expect(html).toContain('<div class="bar" style="background:#a30200"></div>');
  });

  it('refuses input that is not a message or a list of blocks, naming where', () => {
    expect(() => parseSlackMessage('hello')).toThrow(/must be a Slack message/);
    expect(() => parseSlackMessage({ blocks: [{ text: 'no type' }] })).toThrow(/blocks\.0: must be a block/);
    expect(() => parseSlackMessage({ blocks: 'x' })).toThrow(/blocks: must be an array of blocks/);
    expect(() => parseSlackMessage({})).toThrow(/has no text, blocks or attachments/);
  });
});
