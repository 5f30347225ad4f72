/** The plain-text rendering of a notification: what SNS (e-mail, SMS, chat bridges) delivers. */
import { notificationContent } from './content';
import type { Notification } from './model';

export interface TextMessage {
  readonly subject: string;
  readonly text: string;
}

/** SNS takes a subject of at most 100 characters. */
export const SUBJECT_LIMIT = 100;

/**
 * SNS refuses a subject that is not printable ASCII on one line; cluster and fleet names already are,
 * anything else in a title is replaced rather than risk losing the message.
 */
const asSubject = (text: string): string =>
  text
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, SUBJECT_LIMIT)
    .trimEnd();

export const renderText = (notification: Notification): TextMessage => {
  const content = notificationContent(notification);
  const subject = `clustershift ${notification.fleet}: ${content.title}`;
  const lines = [
    subject,
    ...(content.alert === undefined ? [] : [content.alert]),
    ...content.facts.map((fact) => `${fact.label}: ${fact.value}`),
    ...content.lists.flatMap((list) => [`${list.label}:`, ...list.lines.map((line) => `  - ${line}`)]),
    `execution: ${content.executionId}`,
    ...(content.links.consoleUrl === undefined ? [] : [`console: ${content.links.consoleUrl}`]),
    `watch: ${content.links.watchCommand}`,
  ];
  return { subject: asSubject(subject), text: lines.join('\n') };
};
