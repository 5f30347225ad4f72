/**
 * IAM policy documents as the twin evaluates them: statements with Effect, Action or NotAction,
 * Resource or NotResource, and Condition, each normalised to lists and tagged with the policy it came
 * from (for denial reports and the admin API).
 */
export type Effect = 'Allow' | 'Deny';

/** `{ StringEquals: { 'aws:PrincipalAccount': ['1234…'] } }`: operator → condition key → values. */
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

export interface Statement {
  readonly effect: Effect;
  readonly sid?: string;
  /** Exactly one of `actions` and `notActions` is set. */
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  /** Exactly one of `resources` and `notResources` is set. */
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  readonly condition?: ConditionBlock;
  /** The policy the statement belongs to: its name, or an AWS managed policy's ARN. */
  readonly policy: string;
}

/** A policy document the twin cannot read: named, so a template that has one fails to load clearly. */
export class InvalidPolicyError extends Error {
  override readonly name = 'InvalidPolicyError';
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const scalarText = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : undefined;

/** A string or a list of strings (IAM allows both); anything else is refused, naming the field. */
const textList = (value: unknown, field: string, where: string): string[] => {
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => {
    const text = scalarText(item);
    if (text === undefined) {
      throw new InvalidPolicyError(
        `${where}: ${field} must be a string or a list of strings, got ${JSON.stringify(item)}`,
      );
    }
    return text;
  });
};

const exactlyOne = (
  statement: Record<string, unknown>,
  positive: string,
  negative: string,
  where: string,
): { positive?: unknown; negative?: unknown } => {
  const has = statement[positive] !== undefined;
  const hasNot = statement[negative] !== undefined;
  if (has === hasNot) {
    throw new InvalidPolicyError(`${where}: a statement needs exactly one of ${positive} and ${negative}`);
  }
  return has ? { positive: statement[positive] } : { negative: statement[negative] };
};

const parseCondition = (value: unknown, where: string): ConditionBlock => {
  if (!isPlainObject(value)) throw new InvalidPolicyError(`${where}: Condition must be an object`);
  const block: Record<string, Record<string, string[]>> = {};
  for (const [operator, keys] of Object.entries(value)) {
    if (!isPlainObject(keys)) {
      throw new InvalidPolicyError(`${where}: Condition ${operator} must map condition keys to values`);
    }
    block[operator] = Object.fromEntries(
      Object.entries(keys).map(([key, values]) => [
        key,
        textList(values, `Condition ${operator} ${key}`, where),
      ]),
    );
  }
  return block;
};

/**
 * The statements of a policy document (Statement may be one object or a list). Principal and
 * NotPrincipal belong to resource and trust policies, which a role's identity policies never hold:
 * they are refused rather than silently ignored.
 */
export const parsePolicyDocument = (document: unknown, policy: string): Statement[] => {
  if (!isPlainObject(document))
    throw new InvalidPolicyError(`${policy}: the policy document must be an object`);
  const raw = document.Statement;
  if (raw === undefined) throw new InvalidPolicyError(`${policy}: the policy document has no Statement`);
  const statements = Array.isArray(raw) ? raw : [raw];
  return statements.map((statement, index): Statement => {
    const where = `${policy} statement ${index + 1}`;
    if (!isPlainObject(statement)) throw new InvalidPolicyError(`${where} must be an object`);
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') {
      throw new InvalidPolicyError(
        `${where}: Effect must be Allow or Deny, got ${JSON.stringify(statement.Effect)}`,
      );
    }
    if (statement.Principal !== undefined || statement.NotPrincipal !== undefined) {
      throw new InvalidPolicyError(`${where}: an identity-based policy takes no Principal`);
    }
    const action = exactlyOne(statement, 'Action', 'NotAction', where);
    const resource = exactlyOne(statement, 'Resource', 'NotResource', where);
    const sid = scalarText(statement.Sid);
    return {
      effect: statement.Effect,
      policy,
      ...(sid === undefined ? {} : { sid }),
      ...(action.positive === undefined
        ? { notActions: textList(action.negative, 'NotAction', where) }
        : { actions: textList(action.positive, 'Action', where) }),
      ...(resource.positive === undefined
        ? { notResources: textList(resource.negative, 'NotResource', where) }
        : { resources: textList(resource.positive, 'Resource', where) }),
      ...(statement.Condition === undefined ? {} : { condition: parseCondition(statement.Condition, where) }),
    };
  });
};
