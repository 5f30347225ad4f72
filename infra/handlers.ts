// The handler lists and their naming, apart from the construct so tests and bench/ can use them
// without loading aws-cdk-lib.

/** The Lambda handlers the workflow calls, one file each under `functions/`, each exporting `handler`. */
export const HANDLER_NAMES = [
  'prepare',
  'lock',
  'apply-step',
  'check-gates',
  'rollback',
  'verify-drained',
  'finish',
  'notify',
] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];

/**
 * Handlers that EventBridge rules invoke, never the workflow. Kept out of {@link HANDLER_NAMES}: the
 * synth-time check wants every workflow handler to be a placeholder of the ASL, and these are none.
 */
export const EVENT_HANDLER_NAMES = ['execution-ended'] as const;
export type EventHandlerName = (typeof EVENT_HANDLER_NAMES)[number];

/**
 * The ChatOps handlers (only with `chatops.enabled`): the HTTP API's function and its workers
 * (functions/chat/workers.ts: `status` and `history`, `plan`, and the commands that act).
 */
export const CHAT_HANDLER_NAMES = ['chatops', 'chatops-status', 'chatops-plan', 'chatops-worker'] as const;
export type ChatHandlerName = (typeof CHAT_HANDLER_NAMES)[number];

/** `apply-step` → `ApplyStep`: used for construct ids and ASL placeholders. */
export const pascalCase = (name: string): string =>
  name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** `apply-step` → `ApplyStepFunctionArn`, the ASL placeholder `${ApplyStepFunctionArn}` names it. */
export const placeholderFor = (name: HandlerName): string => `${pascalCase(name)}FunctionArn`;

/** The state machine's fixed name, so policies can name its executions without referring to it. */
export const stateMachineNameFor = (fleet: string): string => `clustershift-${fleet}`;
