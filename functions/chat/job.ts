import * as z from 'zod/mini';
import { BUTTON_ACTIONS } from '../../core/chat-commands';

/**
 * What the chat handler hands the worker (asynchronous invoke). The worker parses the command text
 * and checks the allow-lists again rather than trusting a parsed command: it runs with the power
 * to start shifts, so it decides for itself.
 */
export const chatJobSchema = z.strictObject({
  source: z.enum(['slack', 'webhook']),
  user: z.string().check(z.minLength(1), z.maxLength(64)),
  userName: z.optional(z.string().check(z.maxLength(128))),
  channel: z.string().check(z.minLength(1), z.maxLength(64)),
  /** Slack's response_url or the webhook's callbackUrl, already checked against chatops.responseHosts. */
  replyUrl: z.optional(z.string().check(z.maxLength(2_048))),
  /** A slash command's or webhook's text; absent for a button press. */
  text: z.optional(z.string().check(z.maxLength(4_000))),
  button: z.optional(
    z.strictObject({
      action: z.enum(BUTTON_ACTIONS),
      executionArn: z.string().check(z.minLength(1), z.maxLength(2_048)),
    }),
  ),
});
export type ChatJob = z.output<typeof chatJobSchema>;
