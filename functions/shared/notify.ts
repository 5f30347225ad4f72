import { readSecret } from '../../aws/secrets';
import { postSlackMessage, type SlackPostResult } from '../../aws/slack';
import { publishNotification } from '../../aws/sns';
import type { FleetConfig } from '../../core/config';
import { isClusterShiftError } from '../../core/errors';
import {
  isNotificationWanted,
  type Notification,
  renderSlack,
  renderText,
  type SlackMessage,
  type TextMessage,
} from '../../core/notification';
import { logger } from './logger';

export interface ChannelResult {
  readonly delivered: boolean;
  /** Why not; never the webhook URL nor a secret's value. */
  readonly error?: string;
}

export interface DeliveryResult {
  /** The level asks for this notification (and some channel is configured). */
  readonly attempted: boolean;
  /** Every channel tried delivered it. */
  readonly delivered: boolean;
  readonly sns?: ChannelResult;
  readonly slack?: ChannelResult;
}

/** The adapters delivery uses; tests replace them. */
export interface DeliveryDeps {
  readonly publish: (topicArn: string, message: TextMessage) => Promise<ChannelResult>;
  readonly readSecret: (ref: string) => Promise<string>;
  readonly postSlack: (url: string, message: SlackMessage) => Promise<SlackPostResult>;
}

const defaultDeps: DeliveryDeps = {
  publish: (topicArn, message) => publishNotification(topicArn, message),
  readSecret: (ref) => readSecret(ref),
  postSlack: (url, message) => postSlackMessage(url, message),
};

/** Slack: read the webhook URL from its secret, then post. A secret that cannot be read is a failed delivery. */
const toSlack = async (
  secretRef: string,
  notification: Notification,
  deps: DeliveryDeps,
): Promise<ChannelResult> => {
  let url: string;
  try {
    url = await deps.readSecret(secretRef);
  } catch (error) {
    const reason = isClusterShiftError(error) ? error.message : `reading secret ${secretRef} failed`;
    return { delivered: false, error: reason };
  }
  return deps.postSlack(url, renderSlack(notification));
};

/** Never rejects: whatever goes wrong becomes a failed channel result. */
const settled = async (send: () => Promise<ChannelResult>): Promise<ChannelResult> => {
  try {
    return await send();
  } catch (error) {
    return { delivered: false, error: error instanceof Error ? error.name : 'unknown error' };
  }
};

/**
 * Sends a notification to every configured channel (SNS topic, Slack webhook) if the level asks for
 * it, both at once. Never throws: a notification that cannot be delivered must not fail the shift; a
 * failure is logged (without the URL or any secret) and returned per channel.
 */
export const deliverNotification = async (
  config: FleetConfig,
  notification: Notification,
  deps: DeliveryDeps = defaultDeps,
): Promise<DeliveryResult> => {
  const { snsTopicArn, slack, level } = config.notifications;
  if ((snsTopicArn === undefined && slack === undefined) || !isNotificationWanted(level, notification)) {
    return { attempted: false, delivered: false };
  }
  const [sns, slackResult] = await Promise.all([
    snsTopicArn === undefined
      ? undefined
      : settled(() => deps.publish(snsTopicArn, renderText(notification))),
    slack === undefined ? undefined : settled(() => toSlack(slack.webhookUrlSecret, notification, deps)),
  ]);
  for (const [channel, result] of [
    ['sns', sns],
    ['slack', slackResult],
  ] as const) {
    if (result !== undefined && !result.delivered) {
      logger.warn('notification not delivered', { channel, kind: notification.kind, error: result.error });
    }
  }
  return {
    attempted: true,
    delivered: (sns?.delivered ?? true) && (slackResult?.delivered ?? true),
    ...(sns === undefined ? {} : { sns }),
    ...(slackResult === undefined ? {} : { slack: slackResult }),
  };
};
