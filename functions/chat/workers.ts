import type { ChatWorker } from '../../core/chat-commands';

/**
 * Each chat worker's function (infra/chatops-api.ts creates them under these names) and the
 * environment variable that gives the chat handler its name.
 */
export const CHAT_WORKER_FUNCTIONS: Readonly<
  Record<ChatWorker, { readonly handler: string; readonly env: string }>
> = {
  status: { handler: 'chatops-status', env: 'STATUS_WORKER_FUNCTION_NAME' },
  plan: { handler: 'chatops-plan', env: 'PLAN_WORKER_FUNCTION_NAME' },
  act: { handler: 'chatops-worker', env: 'WORKER_FUNCTION_NAME' },
};
