import { signSlackRequest } from '../../core/chat/signature';
import { DEMO_SLACK_SIGNING_SECRET, DEMO_SLACK_SINKS } from '../../local/demo/index';
import { type DemoSession, expect, say } from './session';

interface SinkMessage {
  readonly message: { readonly text?: string };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `/clustershift history` as Slack would send it: a form body signed with the demo app's signing
 * secret, posted to the twin's HTTP API route. The deployed chat function answers at once; its
 * worker posts the history table to the response URL (the twin's stand-in for Slack).
 */
export const chatStep = async (demo: DemoSession): Promise<void> => {
  const responseUrl = `${demo.endpoint}/_twin/slack/${DEMO_SLACK_SINKS.responses}`;
  const body = new URLSearchParams({
    team_id: 'T0DEMO',
    channel_id: 'C0DEMO',
    user_id: 'U0VIEWER',
    user_name: 'on-call',
    command: '/clustershift',
    text: 'history 3',
    response_url: responseUrl,
  }).toString();
  say(`$ curl -X POST ${demo.endpoint}/slack/commands  (signed: /clustershift history 3)`);
  const response = await fetch(`${demo.endpoint}/slack/commands`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...signSlackRequest(DEMO_SLACK_SIGNING_SECRET, Math.floor(Date.now() / 1000), body),
    },
    body,
  });
  const ack = (await response.json()) as { text?: string };
  say(`  ${response.status}: ${ack.text ?? ''}`);
  expect(response.status === 200, `the chat endpoint answered ${response.status}`);

  let reply: string | undefined;
  for (let attempt = 0; attempt < 50 && reply === undefined; attempt += 1) {
    const { messages } = await demo.admin<{ messages: SinkMessage[] }>(
      'GET',
      `slack/${DEMO_SLACK_SINKS.responses}`,
    );
    reply = messages.at(-1)?.message.text;
    if (reply === undefined) await sleep(100);
  }
  expect(reply !== undefined, 'the chat worker posted no reply to the response URL');
  say('  reply posted to the response URL (what Slack would show the asker):');
  for (const line of String(reply).split('\n')) say(`  ${line}`);
};
