import { InvalidPolicyError, parsePolicyDocument, type Statement } from './policy';

/**
 * The roles of a template and the policy statements each has, gathered from the resources that grant
 * them: a role's inline `Policies`, `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` resources that
 * name the role in `Roles`, and the managed policy ARNs in its `ManagedPolicyArns`. Properties arrive
 * with every intrinsic resolved (local/template/load.ts resolves them).
 */
export interface RolePlan {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly statements: readonly Statement[];
  /** AWS managed policies the twin does not model: they grant nothing here (fail closed). */
  readonly unmodelledPolicies: readonly string[];
}

/**
 * AWS managed policies, by the ARN's path and name. Only the ones CDK attaches to the roles it makes
 * for Lambda functions and state machines are modelled; the clustershift template attaches none
 * today (every role gets an inline `AWS::IAM::Policy`, log groups are its own). Any other managed
 * policy grants nothing on the twin and is reported at deploy.
 */
const AWS_MANAGED: Readonly<Record<string, unknown>> = {
  'service-role/AWSLambdaBasicExecutionRole': {
    Statement: [
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: '*',
      },
    ],
  },
  'service-role/AWSLambdaVPCAccessExecutionRole': {
    Statement: [
      {
        Effect: 'Allow',
        Action: [
          'logs:CreateLogGroup',
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        Resource: '*',
      },
    ],
  },
  AWSXRayDaemonWriteAccess: {
    Statement: [
      {
        Effect: 'Allow',
        Action: [
          'xray:PutTraceSegments',
          'xray:PutTelemetryRecords',
          'xray:GetSamplingRules',
          'xray:GetSamplingTargets',
          'xray:GetSamplingStatisticSummaries',
        ],
        Resource: '*',
      },
    ],
  },
};

const AWS_MANAGED_ARN = /^arn:[^:]+:iam::aws:policy\/(.+)$/;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const names = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

interface PendingRole {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly statements: Statement[];
  readonly managedArns: string[];
}

/** Collects IAM resources in any order, then joins them into one plan per role. */
export class RoleCollector {
  private readonly roles = new Map<string, PendingRole>();
  /** Customer managed policies by ARN: their statements, for ManagedPolicyArns. */
  private readonly managed = new Map<string, Statement[]>();
  /** Statements addressed to roles by name (AWS::IAM::Policy / ManagedPolicy `Roles`). */
  private readonly attached: { roleName: string; statements: Statement[] }[] = [];

  /** `AWS::IAM::Role`: `arn` is the role's ARN, `name` its physical name. */
  addRole(logicalId: string, name: string, arn: string, properties: unknown): void {
    const props = isPlainObject(properties) ? properties : {};
    const statements: Statement[] = [];
    const inline = Array.isArray(props.Policies) ? props.Policies : [];
    for (const [index, policy] of inline.entries()) {
      const policyName =
        isPlainObject(policy) && typeof policy.PolicyName === 'string'
          ? policy.PolicyName
          : `${logicalId}.Policies[${index}]`;
      statements.push(
        ...parsePolicyDocument(isPlainObject(policy) ? policy.PolicyDocument : undefined, policyName),
      );
    }
    this.roles.set(name, { logicalId, name, arn, statements, managedArns: names(props.ManagedPolicyArns) });
  }

  /** `AWS::IAM::Policy` (inline, attached by role name) or `AWS::IAM::ManagedPolicy` (`arn` given). */
  addPolicy(logicalId: string, name: string, properties: unknown, managedArn?: string): void {
    const props = isPlainObject(properties) ? properties : {};
    const statements = parsePolicyDocument(props.PolicyDocument, name || logicalId);
    if (managedArn !== undefined) this.managed.set(managedArn, statements);
    for (const roleName of names(props.Roles)) this.attached.push({ roleName, statements });
  }

  plans(): RolePlan[] {
    return [...this.roles.values()].map((role) => {
      const statements = [...role.statements];
      const unmodelled: string[] = [];
      for (const { roleName, statements: granted } of this.attached) {
        // `Roles` takes role names; a role ARN there is accepted too, as CloudFormation does.
        if (roleName === role.name || roleName === role.arn) statements.push(...granted);
      }
      for (const arn of role.managedArns) {
        const own = this.managed.get(arn);
        if (own !== undefined) {
          statements.push(...own);
          continue;
        }
        const awsManaged = AWS_MANAGED_ARN.exec(arn)?.[1];
        const document = awsManaged === undefined ? undefined : AWS_MANAGED[awsManaged];
        if (document === undefined) unmodelled.push(arn);
        else statements.push(...parsePolicyDocument(document, arn));
      }
      return {
        logicalId: role.logicalId,
        name: role.name,
        arn: role.arn,
        statements,
        unmodelledPolicies: unmodelled,
      };
    });
  }
}

export { InvalidPolicyError };
