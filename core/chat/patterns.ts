/**
 * The shapes chat input must have before it goes anywhere near a request. Strict on purpose:
 * whatever a chat user types ends up in an execution input, a DynamoDB key or a Slack message.
 */

/** A cluster name, as the fleet config allows it (core/config.ts keeps its own copy unexported). */
export const CLUSTER_NAME = /^[a-z][a-z0-9-]{0,30}$/;

/** A Step Functions execution name as clustershift's tools make them (AWS allows more; we do not). */
export const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** A Standard workflow's execution ARN: `arn:aws:states:<region>:<account>:execution:<machine>:<name>`. */
export const EXECUTION_ARN =
  /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[A-Za-z0-9_-]{1,80}:[A-Za-z0-9_-]{1,80}$/;

/** A chat user or channel id, as the fleet config's `chatops.users` and `chatops.channels` hold them. */
export const CHAT_ID = /^[A-Za-z0-9._@-]{1,64}$/;

/**
 * Characters refused anywhere in chat text: C0/C1 controls (newlines included: a command is one
 * line), line/paragraph separators, and the bidirectional overrides that make text read
 * differently from what it is ("Trojan Source").
 */
export const FORBIDDEN_CHARACTER = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

/** `U+0007`: how a refused character is named in a message (it cannot be shown). */
export const codePointName = (character: string): string =>
  `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
