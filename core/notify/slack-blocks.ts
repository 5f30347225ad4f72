/**
 * The Slack rendering of a notification, with the chat's Block Kit builders (core/chat/blocks.ts):
 * header, facts as fields, context with the links and, while the shift runs, the same buttons as a
 * chat progress message (the chat handler reads their `action_id`/`value`).
 */
import {
  type Block,
  context,
  escapeMrkdwn,
  fields,
  fitText,
  header,
  mrkdwnLink,
  progressButtons,
  SLACK_LIMITS,
  section,
} from '../chat/blocks';
import { EXECUTION_ARN } from '../chat/patterns';
import { type Fact, type NotificationContent, notificationContent } from './content';
import type { Notification } from './model';
import type { NotificationEvent } from './policy';

export type { Block as SlackBlock, ButtonElement as SlackButton } from '../chat/blocks';

/** An incoming-webhook body: `text` is what notifications and screen readers show. */
export interface SlackNotification {
  readonly text: string;
  readonly blocks: readonly Block[];
}

/** A fact longer than this reads better as its own section than squeezed into a field column. */
const SHORT_FACT = 200;

const ICONS: Readonly<Record<NotificationEvent, string>> = {
  started: '🚀',
  step: '➡️',
  succeeded: '✅',
  failed: '❌',
  refused: '⛔',
  'fail-static': '🚨',
  duplicate: 'ℹ️',
  skipped: 'ℹ️',
};

const capitalized = (label: string): string => label.charAt(0).toUpperCase() + label.slice(1);
const factText = (fact: Fact, max: number): string =>
  fitText(`*${escapeMrkdwn(capitalized(fact.label))}*\n${escapeMrkdwn(fact.value)}`, max);

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

const linksBlock = (fleet: string, content: NotificationContent): Block => {
  const { links } = content;
  const execution =
    links.consoleUrl === undefined
      ? `\`${escapeMrkdwn(links.name)}\``
      : mrkdwnLink(links.consoleUrl, links.name);
  return context([
    `fleet *${escapeMrkdwn(fleet)}* · execution ${execution}`,
    `\`${escapeMrkdwn(links.watchCommand)}\``,
  ]);
};

export const renderSlack = (notification: Notification): SlackNotification => {
  const content = notificationContent(notification);
  const short = content.facts.filter((fact) => fact.value.length <= SHORT_FACT);
  const long = content.facts.filter((fact) => fact.value.length > SHORT_FACT);
  // Buttons need an execution ARN to act on; a message about anything else goes without.
  const buttons = content.running && EXECUTION_ARN.test(content.executionId);
  const blocks: Block[] = [
    header(`${ICONS[content.event]} ${content.title}`),
    ...(content.alert === undefined ? [] : [section(`*${escapeMrkdwn(content.alert)}*`)]),
    ...chunks(short, SLACK_LIMITS.fields).map((facts) =>
      fields(facts.map((fact) => factText(fact, SLACK_LIMITS.field))),
    ),
    ...long.map((fact) => section(factText(fact, SLACK_LIMITS.sectionText))),
    ...content.lists.map((list) =>
      section(
        `*${escapeMrkdwn(capitalized(list.label))}*\n${list.lines.map((line) => `• ${escapeMrkdwn(line)}`).join('\n')}`,
      ),
    ),
    ...(buttons ? [progressButtons(content.executionId, { approveNext: content.approvable })] : []),
    linksBlock(notification.fleet, content),
  ];
  return {
    text: fitText(
      escapeMrkdwn(`clustershift ${notification.fleet}: ${content.title}`),
      SLACK_LIMITS.messageText,
    ),
    blocks,
  };
};
