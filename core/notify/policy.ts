import type { NotificationLevel } from '../notification-levels';
import { isFailStatic } from './fail-static';
import type { Notification } from './model';

/** What a notification reports, as far as the level policy cares. */
export type NotificationEvent =
  | 'started'
  | 'step'
  | 'succeeded'
  | 'failed'
  | 'refused'
  | 'fail-static'
  | 'duplicate'
  | 'skipped';

/**
 * Which events each level sends. `failures`: only what needs a human (a failure, a refusal, fail
 * static). `steps`: the start (with the buttons to pause or abort), each step once it has baked, and every
 * real outcome, not the quiet ends of alarm storms (duplicate) and auto-restores (skipped). `all`: everything.
 */
const SENT_AT: Readonly<Record<NotificationLevel, ReadonlySet<NotificationEvent>>> = {
  all: new Set(['started', 'step', 'succeeded', 'failed', 'refused', 'fail-static', 'duplicate', 'skipped']),
  steps: new Set(['started', 'step', 'succeeded', 'failed', 'refused', 'fail-static']),
  failures: new Set(['failed', 'refused', 'fail-static']),
};

export const notificationEvent = (notification: Notification): NotificationEvent => {
  if (notification.kind !== 'outcome') return notification.kind;
  if (isFailStatic(notification)) return 'fail-static';
  return notification.status.toLowerCase() as Lowercase<typeof notification.status>;
};

/** Whether `level` sends notifications of this event. */
export const sendsEvent = (level: NotificationLevel, event: NotificationEvent): boolean =>
  SENT_AT[level].has(event);

/** The level policy: whether this notification goes out at `level`. */
export const isNotificationWanted = (level: NotificationLevel, notification: Notification): boolean =>
  sendsEvent(level, notificationEvent(notification));
