import * as z from 'zod/mini';
import { BUTTON_ACTIONS, type ButtonAction, buttonActionId } from '../chat-commands';
import { InvalidRequestError } from '../errors';
import { toFieldIssues } from '../zod-issues';
import { CHAT_ID, EXECUTION_ARN } from './patterns';
import { checkUrlShape } from './response-url';

/**
 * The bodies the chat handler receives, parsed after their signature has been checked. Each
 * parser returns typed values or throws InvalidRequestError naming the offending field. Slack adds
 * fields over time, so its bodies keep what is known and drop the rest; our own webhook's body is
 * strict.
 */

/** A slash command is a short form; Slack's interaction payloads carry the whole message (≤ 50 blocks). */
export const MAX_SLASH_COMMAND_BODY = 16 * 1_024;
export const MAX_INTERACTION_BODY = 512 * 1_024;
export const MAX_WEBHOOK_BODY = 8 * 1_024;
/** Bound on command text here; parseChatCommand applies the tighter, explained limit. */
const MAX_TEXT = 4_000;

export interface SlashCommand {
  readonly teamId?: string;
  readonly channelId: string;
  readonly channelName?: string;
  readonly userId: string;
  readonly userName?: string;
  /** `/clustershift`, or whatever the Slack app calls it. */
  readonly command: string;
  readonly text: string;
  readonly responseUrl: string;
  readonly triggerId?: string;
}

export interface ButtonPress {
  readonly userId: string;
  readonly userName?: string;
  readonly channelId: string;
  readonly action: ButtonAction;
  readonly executionArn: string;
  readonly responseUrl: string;
  /** The message the button sits on (absent from some ephemeral containers). */
  readonly messageTs?: string;
}

export interface WebhookCommand {
  readonly user: string;
  readonly channel: string;
  readonly text: string;
  readonly callbackUrl?: string;
}

const chatId = z.string().check(z.regex(CHAT_ID, 'must be a user or channel id (letters, digits, . _ @ -)'));
const replyUrl = z.string().check(
  z.superRefine((text, ctx) => {
    const verdict = checkUrlShape(text);
    if (!verdict.ok) ctx.addIssue({ code: 'custom', message: verdict.reason, input: text });
  }),
);
/** Display names are cosmetic (who asked, in messages): an odd one is dropped rather than refused. */
const displayName = z.catch(z.optional(z.string().check(z.regex(/^[\p{L}\p{N}._@' -]{1,80}$/u))), undefined);
const slackToken = (max: number) =>
  z.optional(z.string().check(z.regex(/^[A-Za-z0-9._-]+$/), z.maxLength(max)));

const slashCommandSchema = z.object({
  team_id: slackToken(64),
  channel_id: chatId,
  channel_name: displayName,
  user_id: chatId,
  user_name: displayName,
  command: z.string().check(z.regex(/^\/[a-z0-9_-]{1,31}$/, 'must be a slash command such as /clustershift')),
  text: z._default(z.string().check(z.maxLength(MAX_TEXT)), ''),
  response_url: replyUrl,
  trigger_id: slackToken(255),
});

const buttonActionIds = new Map(BUTTON_ACTIONS.map((action) => [buttonActionId(action), action] as const));

const blockActionsSchema = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: chatId, username: displayName, name: displayName }),
  channel: z.object({ id: chatId }),
  actions: z
    .array(
      z.object({
        action_id: z
          .string()
          .check(
            z.refine(
              (id) => buttonActionIds.has(id),
              `not a clustershift button (one of ${[...buttonActionIds.keys()].join(', ')})`,
            ),
          ),
        value: z.string().check(z.regex(EXECUTION_ARN, 'must be an execution ARN')),
      }),
    )
    .check(z.minLength(1, 'a button press carries one action')),
  response_url: replyUrl,
  message: z.optional(z.object({ ts: z.optional(z.string().check(z.regex(/^\d{1,12}\.\d{1,8}$/))) })),
  container: z.optional(
    z.object({ message_ts: z.optional(z.string().check(z.regex(/^\d{1,12}\.\d{1,8}$/))) }),
  ),
});

const webhookSchema = z.strictObject({
  user: chatId,
  channel: chatId,
  text: z.string().check(z.maxLength(MAX_TEXT)),
  callbackUrl: z.optional(replyUrl),
});

const refuse = (path: string, message: string): never => {
  throw new InvalidRequestError([{ path, message }]);
};

const textOf = (rawBody: string | Uint8Array): string =>
  typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8');

const bounded = (rawBody: string | Uint8Array, max: number): string => {
  const size = typeof rawBody === 'string' ? Buffer.byteLength(rawBody) : rawBody.byteLength;
  if (size > max) refuse('body', `${size} bytes is more than the ${max} allowed`);
  return textOf(rawBody);
};

/**
 * Form fields as an object. A field sent twice is refused: which copy counts would otherwise be a
 * guess that a crafted body could exploit.
 */
const formFields = (body: string): Record<string, string> => {
  const params = new URLSearchParams(body);
  const fields: Record<string, string> = {};
  for (const [key, value] of params) {
    if (Object.hasOwn(fields, key)) refuse(key, 'sent more than once');
    fields[key] = value;
  }
  return fields;
};

const parseWith = <T extends z.ZodMiniType>(schema: T, value: unknown, prefix = ''): z.output<T> => {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InvalidRequestError(
      toFieldIssues(result.error).map((issue) => ({ ...issue, path: `${prefix}${issue.path}` })),
    );
  }
  return result.data;
};

/** A slash command's `application/x-www-form-urlencoded` body. */
export const parseSlashCommand = (rawBody: string | Uint8Array): SlashCommand => {
  const form = parseWith(slashCommandSchema, formFields(bounded(rawBody, MAX_SLASH_COMMAND_BODY)));
  return {
    ...(form.team_id === undefined ? {} : { teamId: form.team_id }),
    channelId: form.channel_id,
    ...(form.channel_name === undefined ? {} : { channelName: form.channel_name }),
    userId: form.user_id,
    ...(form.user_name === undefined ? {} : { userName: form.user_name }),
    command: form.command,
    text: form.text,
    responseUrl: form.response_url,
    ...(form.trigger_id === undefined ? {} : { triggerId: form.trigger_id }),
  };
};

const parseJson = (text: string, path: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return refuse(path, 'is not valid JSON');
  }
};

/** An interaction (`payload=<JSON>`): a press of one of clustershift's buttons. */
export const parseButtonPress = (rawBody: string | Uint8Array): ButtonPress => {
  const form = formFields(bounded(rawBody, MAX_INTERACTION_BODY));
  const json = form.payload ?? refuse('payload', 'missing (expected payload=<JSON>)');
  const payload = parseJson(json, 'payload');
  const type = (payload as { type?: unknown } | null)?.type;
  if (type !== 'block_actions')
    refuse('payload.type', `only block_actions (button presses) are handled, got ${JSON.stringify(type)}`);
  const interaction = parseWith(blockActionsSchema, payload, 'payload.');
  const [pressed] = interaction.actions;
  const action = pressed === undefined ? undefined : buttonActionIds.get(pressed.action_id);
  // Both are guaranteed by the schema's checks; the guard only convinces the compiler.
  if (pressed === undefined || action === undefined) return refuse('payload.actions', 'no button action');
  const userName = interaction.user.username ?? interaction.user.name;
  const messageTs = interaction.message?.ts ?? interaction.container?.message_ts;
  return {
    userId: interaction.user.id,
    ...(userName === undefined ? {} : { userName }),
    channelId: interaction.channel.id,
    action,
    executionArn: pressed.value,
    responseUrl: interaction.response_url,
    ...(messageTs === undefined ? {} : { messageTs }),
  };
};

/** The generic webhook's JSON body: `{ user, channel, text, callbackUrl? }`, nothing else. */
export const parseWebhookCommand = (rawBody: string | Uint8Array): WebhookCommand => {
  const body = parseWith(webhookSchema, parseJson(bounded(rawBody, MAX_WEBHOOK_BODY), 'body'));
  return {
    user: body.user,
    channel: body.channel,
    text: body.text,
    ...(body.callbackUrl === undefined ? {} : { callbackUrl: body.callbackUrl }),
  };
};
