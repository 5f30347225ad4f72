import type { ConditionBlock, Statement } from './policy';

/**
 * IAM's evaluation of identity-based policies for one request, hand-written because no library
 * fits: the one maintained evaluator on npm (@cloud-copilot/iam-simulate) is AGPL-3.0, which this
 * Apache-2.0 project cannot take, and pbac is "IAM-inspired, mostly compatible" and unmaintained.
 *
 * The rules (IAM User Guide, "Policy evaluation logic" for a single account with identity-based
 * policies only): an explicit Deny in any matching statement wins; otherwise an Allow in any matching
 * statement allows; otherwise the request is implicitly denied. A statement matches when its Action
 * (or NotAction) matches the action, its Resource (or NotResource) matches the resource, and its
 * Condition holds.
 *
 * Conditions: the operators below, over the request context keys the twin knows. An operator or a
 * key construct the twin does not evaluate never widens access: in an Allow statement it does not
 * hold (that Allow does not apply), in a Deny statement it holds (that Deny applies). The template's
 * identity policies condition on KMS encryption contexts and on dynamodb:LeadingKeys.
 */
export interface AuthorizationRequest {
  /** `service:Action`, e.g. `elasticloadbalancing:ModifyRule`. */
  readonly action: string;
  /** The ARN authorized against, or `*` for actions with no resource-level permissions. */
  readonly resource: string;
  /** Request context keys (`aws:PrincipalArn` …), for Condition blocks. */
  readonly context?: Readonly<Record<string, string>>;
}

export type Decision =
  | { readonly effect: 'Allow'; readonly statement: Statement }
  | { readonly effect: 'ExplicitDeny'; readonly statement: Statement }
  | { readonly effect: 'ImplicitDeny' };

/**
 * `*` matches any run of characters (none included), `?` exactly one: IAM's two wildcards. Greedy
 * with backtracking to the last `*`, linear in practice and never exponential.
 */
export const globMatch = (pattern: string, text: string): boolean => {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const char = pattern[p];
    if (char === '*') {
      star = p++;
      resume = t;
    } else if (char !== undefined && (char === '?' || char === text[t])) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
};

/** Actions compare case-insensitively (`ELASTICLOADBALANCING:modifyrule` is ModifyRule). */
export const actionMatches = (pattern: string, action: string): boolean =>
  globMatch(pattern.toLowerCase(), action.toLowerCase());

/** `arn:partition:service:region:account:resource`, the resource part keeping its own colons. */
const arnSegments = (text: string): string[] | undefined => {
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
};

/**
 * A Resource pattern against a resource: ARN segment by segment (a wildcard in the region does not
 * reach into the account), the resource part as a whole; case-sensitive, as IAM compares ARNs. A
 * pattern that is not an ARN (`*`) is matched against the whole text.
 */
export const resourceMatches = (pattern: string, resource: string): boolean => {
  const wanted = arnSegments(pattern);
  const actual = arnSegments(resource);
  // An ARN pattern short of its six segments matches no ARN (its wildcards stay within segments).
  if (wanted === undefined && actual !== undefined && pattern.startsWith('arn:')) return false;
  if (wanted === undefined || actual === undefined) return globMatch(pattern, resource);
  return wanted.every((segment, index) => globMatch(segment, actual[index] ?? ''));
};

type ConditionOutcome = 'holds' | 'fails' | 'unsupported';

const STRING_TESTS: Readonly<Record<string, (value: string, wanted: string) => boolean>> = {
  StringEquals: (value, wanted) => value === wanted,
  StringEqualsIgnoreCase: (value, wanted) => value.toLowerCase() === wanted.toLowerCase(),
  StringLike: (value, wanted) => globMatch(wanted, value),
  ArnEquals: (value, wanted) => value === wanted,
  ArnLike: (value, wanted) => resourceMatches(wanted, value),
  Bool: (value, wanted) => value.toLowerCase() === wanted.toLowerCase(),
};

/** The negated operators and the positive test each negates. */
const NEGATED: Readonly<Record<string, string>> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

const contextValue = (context: Readonly<Record<string, string>>, key: string): string | undefined => {
  // Condition keys are case-insensitive.
  const wanted = key.toLowerCase();
  for (const [name, value] of Object.entries(context)) if (name.toLowerCase() === wanted) return value;
  return undefined;
};

/**
 * One operator over its keys (all keys must hold; any value of a key may match). A key absent from the
 * request: `…IfExists` holds, a negated operator holds, any other fails; `Null` tests presence.
 */
const operatorHolds = (
  operator: string,
  keys: Readonly<Record<string, readonly string[]>>,
  context: Readonly<Record<string, string>>,
): ConditionOutcome => {
  const qualifier = ['ForAnyValue:', 'ForAllValues:'].find((prefix) => operator.startsWith(prefix));
  if (qualifier !== undefined) {
    // The twin gives a multivalued key at most one value (dynamodb:LeadingKeys of an item call), and
    // over one value either qualifier is the plain operator. A key it did not give (absent, or not
    // modelled: AWS would hold ForAllValues there vacuously) and negated sets are not evaluated.
    const base = operator.slice(qualifier.length);
    if (NEGATED[base] !== undefined || STRING_TESTS[base] === undefined) return 'unsupported';
    if (Object.keys(keys).some((key) => contextValue(context, key) === undefined)) return 'unsupported';
    return operatorHolds(base, keys, context);
  }
  const ifExists = operator.endsWith('IfExists');
  const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  let outcome: ConditionOutcome = 'holds';
  for (const [key, wanted] of Object.entries(keys)) {
    const value = contextValue(context, key);
    if (base === 'Null') {
      if (ifExists) return 'unsupported';
      const absent = value === undefined;
      if (!wanted.some((flag) => (flag.toLowerCase() === 'true') === absent)) outcome = 'fails';
      continue;
    }
    const negatedOf = NEGATED[base];
    const test = STRING_TESTS[negatedOf ?? base];
    if (test === undefined) return 'unsupported';
    if (value === undefined) {
      if (!(ifExists || negatedOf !== undefined)) outcome = 'fails';
      continue;
    }
    const anyMatches = wanted.some((item) => test(value, item));
    if (negatedOf === undefined ? !anyMatches : anyMatches) outcome = 'fails';
  }
  return outcome;
};

const conditionOutcome = (
  condition: ConditionBlock | undefined,
  context: Readonly<Record<string, string>>,
): ConditionOutcome => {
  if (condition === undefined) return 'holds';
  let outcome: ConditionOutcome = 'holds';
  for (const [operator, keys] of Object.entries(condition)) {
    const result = operatorHolds(operator, keys, context);
    if (result === 'unsupported') return 'unsupported';
    if (result === 'fails') outcome = 'fails';
  }
  return outcome;
};

const statementApplies = (statement: Statement, request: AuthorizationRequest): boolean => {
  const actionListed = (patterns: readonly string[]) =>
    patterns.some((pattern) => actionMatches(pattern, request.action));
  const resourceListed = (patterns: readonly string[]) =>
    patterns.some((pattern) => resourceMatches(pattern, request.resource));
  const actionOk =
    statement.actions !== undefined
      ? actionListed(statement.actions)
      : !actionListed(statement.notActions ?? []);
  if (!actionOk) return false;
  const resourceOk =
    statement.resources !== undefined
      ? resourceListed(statement.resources)
      : !resourceListed(statement.notResources ?? []);
  if (!resourceOk) return false;
  const condition = conditionOutcome(statement.condition, request.context ?? {});
  // Never widen access over what the twin cannot evaluate: see the module comment.
  return condition === 'unsupported' ? statement.effect === 'Deny' : condition === 'holds';
};

/** Explicit Deny, else Allow, else implicit deny, over every statement of a principal's policies. */
export const evaluate = (statements: readonly Statement[], request: AuthorizationRequest): Decision => {
  let allow: Statement | undefined;
  for (const statement of statements) {
    if (!statementApplies(statement, request)) continue;
    if (statement.effect === 'Deny') return { effect: 'ExplicitDeny', statement };
    allow ??= statement;
  }
  return allow === undefined ? { effect: 'ImplicitDeny' } : { effect: 'Allow', statement: allow };
};
