/**
 * The ChatOps HTTP API's paths. infra/chatops-api.ts creates its routes from these, the handler
 * dispatches on them, and the twin serves them: one list.
 */
export const CHATOPS_PATHS = {
  slackCommands: '/slack/commands',
  slackInteractions: '/slack/interactions',
  webhook: '/webhook',
} as const;
export type ChatRoute = keyof typeof CHATOPS_PATHS;
