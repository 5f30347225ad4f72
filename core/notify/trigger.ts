/**
 * What started a shift, in words, from its `requestedBy` (`<source>:<who>`): an alarm that fired is
 * told apart from an operator at a keyboard at a glance.
 */

/** The readable part of a CLI caller: the user or session name at the end of an IAM/STS ARN. */
const callerName = (who: string): string => {
  if (!who.startsWith('arn:')) return who;
  const resource = who.split(':').slice(5).join(':');
  return resource.split('/').at(-1) || resource || who;
};

/** `U123 (alice)` → alice, via Slack (U123); `U123` → U123. */
const chatUser = (who: string): { name: string; id?: string } => {
  const match = /^(\S+) \((.+)\)$/.exec(who);
  return match?.[1] !== undefined && match[2] !== undefined
    ? { name: match[2], id: match[1] }
    : { name: who };
};

export const describeTrigger = (requestedBy: string): string => {
  const colon = requestedBy.indexOf(':');
  if (colon <= 0) return requestedBy;
  const source = requestedBy.slice(0, colon);
  const who = requestedBy.slice(colon + 1);
  switch (source) {
    case 'alarm':
      return `alarm ${who} went to ALARM (automatic failover)`;
    case 'auto-restore':
      return `alarm ${who} back to OK (automatic restore)`;
    case 'cli':
      return `operator ${callerName(who)} via the CLI`;
    case 'slack': {
      const user = chatUser(who);
      return `operator ${user.name} via Slack${user.id === undefined ? '' : ` (${user.id})`}`;
    }
    case 'webhook': {
      const user = chatUser(who);
      return `operator ${user.name} via the chat webhook${user.id === undefined ? '' : ` (${user.id})`}`;
    }
    case 'console':
      return `operator ${callerName(who)} via the Step Functions console`;
    case 'api':
      return `${callerName(who)} via the API`;
    default:
      return requestedBy;
  }
};

/** Sources whose description already names the requester in full (name and chat id). */
const SELF_DESCRIBED = new Set(['slack', 'webhook']);

/**
 * Who asked, for a message: `cli:alice — operator alice via the CLI`, keeping the raw requester
 * where the description shortens it (an IAM ARN to its user); a chat requester's description
 * already holds its name and id (`operator alice via Slack (U123)`) and stands alone.
 */
export const describeRequester = (requestedBy: string): string =>
  SELF_DESCRIBED.has(requestedBy.slice(0, requestedBy.indexOf(':')))
    ? describeTrigger(requestedBy)
    : `${requestedBy} — ${describeTrigger(requestedBy)}`;
