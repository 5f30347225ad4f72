import fc from 'fast-check';
import { BUTTON_ACTIONS, buttonActionId } from '../../core/chat-commands';
import { escapeMrkdwn, renderSlack, type SlackBlock, type SlackButton } from '../../core/notification';
import { CONSOLE_URL, EXECUTION, FAIL_STATIC_ERROR, outcome, started, step } from './notification-fixtures';

const buttonsOf = (blocks: readonly SlackBlock[]): SlackButton[] =>
  blocks.flatMap((block) => (block.type === 'actions' ? [...block.elements] : []));

/** Every mrkdwn or plain text in the message, with the limit Block Kit sets for where it sits. */
const textsOf = (blocks: readonly SlackBlock[]): { text: string; limit: number; kind: string }[] =>
  blocks.flatMap((block) => {
    if (block.type === 'header') return [{ text: block.text.text, limit: 150, kind: 'plain_text' }];
    if (block.type === 'actions') {
      return block.elements.map((b) => ({ text: b.text.text, limit: 75, kind: 'plain_text' }));
    }
    if (block.type === 'context')
      return block.elements.map((e) => ({ text: e.text, limit: 2000, kind: 'mrkdwn' }));
    if (block.type !== 'section') return [];
    return [
      ...(block.fields ?? []).map((f) => ({ text: f.text, limit: 2000, kind: 'mrkdwn' })),
      ...(block.text === undefined ? [] : [{ text: block.text.text, limit: 3000, kind: 'mrkdwn' }]),
    ];
  });

describe('renderSlack', () => {
  it('draws a header, the facts as fields and a context with the console link and the watch command', () => {
    // Act
    const message = renderSlack(step());

    // Assert
    expect(message.text).toBe('clustershift prod: drain blue: step 2/4 applied and baked');
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '➡️ drain blue: step 2/4 applied and baked' },
    });
    const fields = message.blocks.flatMap((b) => (b.type === 'section' ? (b.fields ?? []) : []));
    expect(fields.map((f) => f.text)).toEqual(
      expect.arrayContaining([
        '*Step*\n2/4 (50 % of the way)',
        '*Weights*\nblue 25 %, green 75 %',
        '*Observed*\nblue 24 %, green 76 % of 1200 requests over 4 min',
        '*Gates*\nall OK: fleet-latency, green-5xx',
        '*Cluster*\nblue',
      ]),
    );
    expect(message.blocks.at(-1)).toEqual({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `fleet *prod* · execution <${CONSOLE_URL}|drain-blue-1700000000>` },
        { type: 'mrkdwn', text: '`clustershift watch drain-blue-1700000000`' },
      ],
    });
  });

  it.each([
    ['started', started()],
    ['step', step()],
  ])(
    'offers Pause, Resume and Abort on a %s message, each carrying the execution ARN',
    (_kind, notification) => {
      // Act
      const buttons = buttonsOf(renderSlack(notification).blocks);

      // Assert
      expect(buttons.map((b) => b.action_id)).toEqual([
        buttonActionId('pause'),
        buttonActionId('resume'),
        buttonActionId('abort'),
      ]);
      for (const button of buttons) expect(button.value).toBe(EXECUTION);
      const abort = buttons.find((b) => b.action_id === 'clustershift.abort');
      expect(abort?.style).toBe('danger');
      expect(abort?.confirm).toMatchObject({
        style: 'danger',
        confirm: { text: 'Abort' },
        deny: { text: 'Keep going' },
      });
    },
  );

  it('offers "Approve next step" only when the next step waits for approval', () => {
    // Act
    const waiting = buttonsOf(renderSlack(step({ nextStepAwaitsApproval: true })).blocks);
    const firstWaits = buttonsOf(renderSlack(started({ pauseBeforeSteps: [0] })).blocks);
    const laterWaits = buttonsOf(renderSlack(started({ pauseBeforeSteps: [2] })).blocks);

    // Assert
    expect(waiting[0]).toMatchObject({
      action_id: 'clustershift.approve',
      text: { text: 'Approve next step' },
      value: EXECUTION,
      style: 'primary',
    });
    expect(firstWaits.map((b) => b.action_id)).toContain('clustershift.approve');
    expect(laterWaits.map((b) => b.action_id)).not.toContain('clustershift.approve');
  });

  it.each(['SUCCEEDED', 'FAILED', 'REFUSED', 'DUPLICATE', 'SKIPPED'] as const)(
    'draws no buttons once the shift has ended (%s)',
    (status) => {
      expect(buttonsOf(renderSlack(outcome({ status })).blocks)).toEqual([]);
    },
  );

  it('uses only button action ids the chat handler knows', () => {
    const ids = buttonsOf(renderSlack(step({ nextStepAwaitsApproval: true })).blocks).map((b) => b.action_id);
    expect(ids.sort()).toEqual(BUTTON_ACTIONS.map(buttonActionId).sort());
  });

  it('puts the fail static alert right under the header', () => {
    const { blocks } = renderSlack(
      outcome({ status: 'REFUSED', action: 'failover', cluster: 'green', error: FAIL_STATIC_ERROR }),
    );
    expect(blocks[0]).toMatchObject({
      type: 'header',
      text: { text: '🚨 FAIL STATIC, failover green refused' },
    });
    expect(blocks[1]).toMatchObject({
      type: 'section',
      text: { text: expect.stringMatching(/^\*fail static: no healthy cluster/) },
    });
  });

  it('escapes user text so it cannot mention a channel, a user or forge a link', () => {
    // Act
    const message = renderSlack(
      step({
        reason: 'upgrade <!channel> & <@U0001> <https://evil.example|click>',
        requestedBy: 'slack:U1 (<!here>)',
      }),
    );

    // Assert
    const json = JSON.stringify(message);
    expect(json).not.toMatch(/<!channel>|<!here>|<@U0001>|<https:\/\/evil/);
    expect(json).toContain('upgrade &lt;!channel&gt; &amp; &lt;@U0001&gt;');
  });

  it('stays within Block Kit limits and escapes every user string, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 600 }),
        fc.string({ maxLength: 300 }),
        fc.array(fc.string({ maxLength: 300 }), { maxLength: 30 }),
        (reason, cluster, alarmNames) => {
          // Act
          const message = renderSlack(
            step({
              reason,
              cluster,
              gates: { status: 'read', alarms: alarmNames.map((name) => ({ name, state: 'ALARM' })) },
            }),
          );

          // Assert
          expect(message.blocks.length).toBeLessThanOrEqual(50);
          for (const { text, limit, kind } of textsOf(message.blocks)) {
            expect(text.length).toBeLessThanOrEqual(limit);
            expect(text.length).toBeGreaterThan(0);
            // mrkdwn: the only `<` left are the links this renderer made.
            if (kind === 'mrkdwn') expect(text.replace(/<https:\/\/[^|>]+\|[^>]+>/g, '')).not.toMatch(/[<>]/);
          }
          for (const block of message.blocks) {
            if (block.type === 'section') expect((block.fields ?? []).length).toBeLessThanOrEqual(10);
          }
        },
      ),
    );
  });
});

describe('escapeMrkdwn', () => {
  it('escapes the three characters Slack reads as markup, ampersand first', () => {
    expect(escapeMrkdwn('a & <b> &amp;')).toBe('a &amp; &lt;b&gt; &amp;amp;');
  });
});
