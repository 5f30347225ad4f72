import type { TwinClock } from './clock';

/**
 * Stands in for Slack where clustershift posts: incoming webhooks (notifications) and the
 * response_url of a slash command or button press. Each sink has a name (`/_twin/slack/<name>`);
 * what is posted is kept with the twin time, and answered as Slack answers: `ok` (text/plain), or
 * 400 `invalid_payload` / `no_text` for a message Slack would refuse, so a malformed message fails on
 * the twin as it would in production.
 */
export interface SlackMessage {
  readonly sink: string;
  /** Twin time, ISO 8601. */
  readonly at: string;
  /** The message as Slack reads it: the JSON body, or the JSON in a form's `payload` field. */
  readonly message: Record<string, unknown>;
}

export interface SlackAnswer {
  readonly status: number;
  readonly text: string;
}

export const SINK_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_KEPT = 500;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The message in a posted body, or undefined when Slack could not read one. */
const parseMessage = (contentType: string, body: Buffer): Record<string, unknown> | undefined => {
  const text = body.toString('utf8');
  const media = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  // Incoming webhooks also take the JSON as a form field: payload=<url-encoded JSON>.
  const json =
    media === 'application/x-www-form-urlencoded' ? new URLSearchParams(text).get('payload') : text;
  if (json === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(json);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
};

const hasContent = (message: Record<string, unknown>): boolean =>
  (typeof message.text === 'string' && message.text.trim() !== '') ||
  (Array.isArray(message.blocks) && message.blocks.length > 0) ||
  (Array.isArray(message.attachments) && message.attachments.length > 0) ||
  // A response_url message may only delete the original, or replace it, with nothing else new.
  message.delete_original === true;

export class SlackSink {
  private readonly kept: SlackMessage[] = [];

  constructor(private readonly clock: TwinClock) {}

  /** Records a posted message for `sink`; the answer is what Slack would send back. */
  post(sink: string, contentType: string, body: Buffer): SlackAnswer {
    const message = parseMessage(contentType, body);
    if (message === undefined) return { status: 400, text: 'invalid_payload' };
    if (!hasContent(message)) return { status: 400, text: 'no_text' };
    this.kept.push({ sink, at: this.clock.date().toISOString(), message });
    if (this.kept.length > MAX_KEPT) this.kept.splice(0, this.kept.length - MAX_KEPT);
    return { status: 200, text: 'ok' };
  }

  /** Messages, oldest first: of one sink, or of all. */
  messages(sink?: string): readonly SlackMessage[] {
    return sink === undefined ? this.kept : this.kept.filter((message) => message.sink === sink);
  }

  /** Every sink's messages, by sink name. */
  bySink(): Record<string, SlackMessage[]> {
    // A Map, then own properties: a sink named __proto__ must not reach Object.prototype.
    const grouped = new Map<string, SlackMessage[]>();
    for (const message of this.kept) {
      const list = grouped.get(message.sink) ?? [];
      list.push(message);
      grouped.set(message.sink, list);
    }
    return Object.fromEntries(grouped);
  }

  clear(sink?: string): void {
    const keep = sink === undefined ? [] : this.kept.filter((message) => message.sink !== sink);
    this.kept.splice(0, this.kept.length, ...keep);
  }
}
