import { createHash } from 'node:crypto';

/** EventBridge's limit on a rule name. */
export const RULE_NAME_MAX_LENGTH = 64;

const PREFIX = 'ClusterShift-';
const HASH_LENGTH = 8;

/**
 * `ClusterShift-<fleet>-<what>`, readable and stable. Fleet (≤ 41) and cluster (≤ 31) names can make
 * that longer than EventBridge allows; then the fleet part is shortened (the rule's own part, which
 * tells the rules apart, is kept) and a hash of the whole name is appended, so it stays unique.
 */
export const ruleNameFor = (fleet: string, what: string): string => {
  const full = `${PREFIX}${fleet}-${what}`;
  if (full.length <= RULE_NAME_MAX_LENGTH) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, HASH_LENGTH);
  const room = RULE_NAME_MAX_LENGTH - PREFIX.length - what.length - HASH_LENGTH - 2;
  const shortened = `${PREFIX}${fleet.slice(0, Math.max(1, room))}-${what}`;
  return `${shortened.slice(0, RULE_NAME_MAX_LENGTH - HASH_LENGTH - 1)}-${hash}`;
};
