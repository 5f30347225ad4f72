import { signSlackRequest } from '../core/chat/signature';
import { DEMO_SLACK_SIGNING_SECRET } from '../local/demo/index';
import { startTwinProcess } from '../test/support/twin-process';

export interface ChatHandlingTime {
  /** The first signed slash command after the twin deployed the stack: bundle import, secret read, worker invoke. */
  readonly coldMs: number;
  /** The same request again, warm: median and 95th percentile over `runs`. */
  readonly warmMedianMs: number;
  readonly warmP95Ms: number;
  readonly runs: number;
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? Number.NaN;

/**
 * How long the chat endpoint takes to answer Slack (which gives up after 3 s): a signed
 * `/clustershift status` posted to the twin's HTTP API route, timed to the acknowledgement. The
 * worker runs after the answer; this is the part Slack waits for.
 */
export const measureChatHandling = async (runs = 30): Promise<ChatHandlingTime> => {
  const twin = await startTwinProcess({ timeScale: 1 });
  try {
    const once = async (): Promise<number> => {
      const body = new URLSearchParams({
        channel_id: 'C0DEMO',
        user_id: 'U0VIEWER',
        command: '/clustershift',
        text: 'status',
        response_url: `${twin.endpoint}/_twin/slack/bench`,
      }).toString();
      const headers = {
        'content-type': 'application/x-www-form-urlencoded',
        ...signSlackRequest(DEMO_SLACK_SIGNING_SECRET, Math.floor(Date.now() / 1000), body),
      };
      const started = performance.now();
      const response = await fetch(`${twin.endpoint}/slack/commands`, { method: 'POST', headers, body });
      await response.text();
      const elapsed = performance.now() - started;
      if (response.status !== 200) throw new Error(`chat endpoint answered ${response.status}`);
      return elapsed;
    };
    const coldMs = await once();
    const warm: number[] = [];
    for (let i = 0; i < runs; i += 1) warm.push(await once());
    warm.sort((a, b) => a - b);
    const round = (ms: number) => Math.round(ms * 10) / 10;
    return {
      coldMs: round(coldMs),
      warmMedianMs: round(percentile(warm, 0.5)),
      warmP95Ms: round(percentile(warm, 0.95)),
      runs,
    };
  } finally {
    await twin.close();
  }
};
