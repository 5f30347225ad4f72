import { type ButtonAction, buttonActionId } from '../chat-commands';
import { InvalidRequestError } from '../errors';
import { EXECUTION_ARN } from './patterns';

/**
 * The slice of Slack's Block Kit clustershift draws, and small builders for it. Builders take
 * mrkdwn as given: anything that came from a user or from AWS goes through escapeMrkdwn first.
 * Texts are cut to Slack's limits with an ellipsis (Slack rejects a whole message for one
 * over-long field).
 */

export interface MrkdwnText {
  readonly type: 'mrkdwn';
  readonly text: string;
}
export interface PlainText {
  readonly type: 'plain_text';
  readonly text: string;
  readonly emoji?: boolean;
}
export interface SectionBlock {
  readonly type: 'section';
  readonly text?: MrkdwnText;
  readonly fields?: MrkdwnText[];
}
export interface HeaderBlock {
  readonly type: 'header';
  readonly text: PlainText;
}
export interface DividerBlock {
  readonly type: 'divider';
}
export interface ContextBlock {
  readonly type: 'context';
  readonly elements: MrkdwnText[];
}
export interface ConfirmDialog {
  readonly title: PlainText;
  readonly text: MrkdwnText;
  readonly confirm: PlainText;
  readonly deny: PlainText;
  readonly style?: 'primary' | 'danger';
}
export interface ButtonElement {
  readonly type: 'button';
  readonly text: PlainText;
  readonly action_id: string;
  readonly value: string;
  readonly style?: 'primary' | 'danger';
  readonly confirm?: ConfirmDialog;
}
export interface ActionsBlock {
  readonly type: 'actions';
  readonly elements: ButtonElement[];
}
export type Block = SectionBlock | HeaderBlock | DividerBlock | ContextBlock | ActionsBlock;

export interface SlackMessage {
  readonly response_type?: 'ephemeral' | 'in_channel';
  /** Slack's response_url: replace the message the button sat on instead of adding one. */
  readonly replace_original?: boolean;
  /** Fallback for notifications and screen readers. */
  readonly text: string;
  readonly blocks: Block[];
}

/** Slack's documented limits (characters, counts). */
export const SLACK_LIMITS = {
  sectionText: 3_000,
  field: 2_000,
  fields: 10,
  contextElements: 10,
  header: 150,
  buttonText: 75,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  actionsElements: 25,
  blocks: 50,
  /** Slack truncates longer message text; 3,000 keeps the fallback readable. */
  messageText: 3_000,
} as const;

/** & < > become entities, as Slack asks, so that user text cannot make links, mentions or @channel. */
export const escapeMrkdwn = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const ELLIPSIS = '…';

/**
 * `text` within `max` characters, ending in an ellipsis when cut. The cut never splits a
 * surrogate pair, an entity (`&amp;`) or a `<link|label>`, which Slack would show broken.
 */
export const fitText = (text: string, max: number): string => {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - ELLIPSIS.length);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  cut = cut.replace(/&[a-z#0-9]{0,6}$/i, '').replace(/<[^>]*$/, '');
  return `${cut}${ELLIPSIS}`;
};

const mrkdwn = (text: string, max: number): MrkdwnText => ({ type: 'mrkdwn', text: fitText(text, max) });
const plain = (text: string, max: number): PlainText => ({ type: 'plain_text', text: fitText(text, max) });

/** `<url|label>`, the label escaped; a URL that would break out of the link is left as text. */
export const mrkdwnLink = (url: string, label: string): string =>
  /^https?:\/\/[^\s<>|]+$/.test(url)
    ? `<${url}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>`
    : escapeMrkdwn(`${label} (${url})`);

export const section = (text: string): SectionBlock => ({
  type: 'section',
  text: mrkdwn(text, SLACK_LIMITS.sectionText),
});

/** Two columns of short facts (`*Cluster*\nblue`); at most 10, the rest dropped. */
export const fields = (texts: readonly string[], text?: string): SectionBlock => ({
  type: 'section',
  ...(text === undefined ? {} : { text: mrkdwn(text, SLACK_LIMITS.sectionText) }),
  fields: texts.slice(0, SLACK_LIMITS.fields).map((field) => mrkdwn(field, SLACK_LIMITS.field)),
});

export const header = (text: string): HeaderBlock => ({
  type: 'header',
  text: plain(text, SLACK_LIMITS.header),
});

export const divider = (): DividerBlock => ({ type: 'divider' });

export const context = (texts: readonly string[]): ContextBlock => ({
  type: 'context',
  elements: texts
    .slice(0, SLACK_LIMITS.contextElements)
    .map((text) => mrkdwn(text, SLACK_LIMITS.sectionText)),
});

export const confirmDialog = (
  title: string,
  text: string,
  confirm: string,
  deny = 'Cancel',
): ConfirmDialog => ({
  title: plain(title, SLACK_LIMITS.confirmTitle),
  text: mrkdwn(text, SLACK_LIMITS.confirmText),
  confirm: plain(confirm, SLACK_LIMITS.confirmButton),
  deny: plain(deny, SLACK_LIMITS.confirmButton),
  style: 'danger',
});

export const button = (options: {
  readonly text: string;
  readonly actionId: string;
  readonly value: string;
  readonly style?: 'primary' | 'danger';
  readonly confirm?: ConfirmDialog;
}): ButtonElement => ({
  type: 'button',
  text: plain(options.text, SLACK_LIMITS.buttonText),
  action_id: options.actionId,
  value: options.value,
  ...(options.style === undefined ? {} : { style: options.style }),
  ...(options.confirm === undefined ? {} : { confirm: options.confirm }),
});

export const actions = (buttons: readonly ButtonElement[]): ActionsBlock => ({
  type: 'actions',
  elements: buttons.slice(0, SLACK_LIMITS.actionsElements),
});

const BUTTON_TEXT: Readonly<Record<ButtonAction, string>> = {
  pause: 'Pause',
  resume: 'Resume',
  approve: 'Approve next step',
  abort: 'Abort',
};

const controlButton = (action: ButtonAction, executionArn: string, style?: 'primary' | 'danger') =>
  button({
    text: BUTTON_TEXT[action],
    actionId: buttonActionId(action),
    value: executionArn,
    ...(style ? { style } : {}),
  });

/**
 * The buttons under a progress message: Approve next step when a step waits for approval, Pause or
 * Resume (both when the sender cannot know whether the shift is paused, as a notification cannot),
 * and Abort behind a confirmation. Each carries the execution ARN as its value.
 */
export const progressButtons = (
  executionArn: string,
  state: { readonly approveNext?: boolean; readonly paused?: boolean } = {},
): ActionsBlock => {
  if (!EXECUTION_ARN.test(executionArn))
    throw new InvalidRequestError([{ path: 'executionArn', message: 'must be an execution ARN' }]);
  const abort = button({
    text: BUTTON_TEXT.abort,
    actionId: buttonActionId('abort'),
    value: executionArn,
    style: 'danger',
    confirm: confirmDialog(
      'Abort this shift?',
      'It stops at its next gate check; what it wrote is rolled back (or held, per the fleet’s `onFailure`).',
      'Abort',
      'Keep going',
    ),
  });
  const pauseOrResume =
    state.paused === undefined
      ? [controlButton('pause', executionArn), controlButton('resume', executionArn)]
      : [
          state.paused
            ? controlButton('resume', executionArn, 'primary')
            : controlButton('pause', executionArn),
        ];
  return actions([
    ...(state.approveNext === true ? [controlButton('approve', executionArn, 'primary')] : []),
    ...pauseOrResume,
    abort,
  ]);
};

/** At most 50 blocks: the last kept one says how many were left out. */
const fitBlocks = (blocks: readonly Block[]): Block[] =>
  blocks.length <= SLACK_LIMITS.blocks
    ? [...blocks]
    : [
        ...blocks.slice(0, SLACK_LIMITS.blocks - 1),
        context([`… ${blocks.length - (SLACK_LIMITS.blocks - 1)} more not shown`]),
      ];

/** The fallback text (notifications, clients without blocks) is mrkdwn too, so it is escaped like any text. */
const message = (blocks: readonly Block[], text: string): SlackMessage => ({
  text: fitText(escapeMrkdwn(text), SLACK_LIMITS.messageText),
  blocks: fitBlocks(blocks),
});

/** A reply only the asker sees. */
export const ephemeral = (blocks: readonly Block[], text: string): SlackMessage => ({
  response_type: 'ephemeral',
  ...message(blocks, text),
});

/** A reply the whole channel sees. */
export const inChannel = (blocks: readonly Block[], text: string): SlackMessage => ({
  response_type: 'in_channel',
  ...message(blocks, text),
});

/** Replaces the message a button sat on (posted to that interaction's response_url). */
export const replacement = (blocks: readonly Block[], text: string): SlackMessage => ({
  replace_original: true,
  ...message(blocks, text),
});
