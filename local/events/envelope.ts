import { randomUUID } from 'node:crypto';

/** An event as EventBridge delivers it to targets and matches it against patterns. */
export interface EventEnvelope {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  /** ISO 8601 to the second, `2019-10-02T17:04:40Z`, as EventBridge writes it. */
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface NewEvent {
  readonly source: string;
  readonly detailType: string;
  readonly detail: Readonly<Record<string, unknown>>;
  readonly resources?: readonly string[];
  readonly time: Date;
  readonly account: string;
  readonly region: string;
}

/** EventBridge's `time`: whole seconds, UTC, `Z`. */
export const eventTime = (date: Date): string => date.toISOString().replace(/\.[0-9]{3}Z$/, 'Z');

/** CloudWatch's timestamps inside alarm events: milliseconds and `+0000`, `2019-10-02T17:04:40.989+0000`. */
export const cloudWatchTimestamp = (date: Date): string => date.toISOString().replace(/Z$/, '+0000');

export const buildEvent = (event: NewEvent): EventEnvelope => ({
  version: '0',
  id: randomUUID(),
  'detail-type': event.detailType,
  source: event.source,
  account: event.account,
  time: eventTime(event.time),
  region: event.region,
  resources: [...(event.resources ?? [])],
  detail: event.detail,
});
