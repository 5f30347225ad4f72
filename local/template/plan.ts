import type { RolePlan } from '../iam/roles';
import type { DeployedFunction } from '../lambda/function';

/**
 * What the twin deploys from a synthesized CloudFormation template, every intrinsic resolved and every
 * name physical. `loadTemplate` (load.ts) builds it; `deployPlan` (deploy.ts) carries it out.
 */
export interface FunctionPlan extends DeployedFunction {
  readonly logicalId: string;
}

export interface StateMachinePlan {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** The ASL text with DefinitionSubstitutions applied, as Step Functions receives it. */
  readonly definition: string;
  readonly roleArn?: string;
  readonly type: 'STANDARD' | 'EXPRESS';
}

export interface KeySchemaElement {
  readonly AttributeName: string;
  readonly KeyType: 'HASH' | 'RANGE';
}

export interface AttributeDefinition {
  readonly AttributeName: string;
  readonly AttributeType: 'S' | 'N' | 'B';
}

export interface TablePlan {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly keySchema: readonly KeySchemaElement[];
  readonly attributeDefinitions: readonly AttributeDefinition[];
  readonly billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  readonly provisionedThroughput?: {
    readonly ReadCapacityUnits: number;
    readonly WriteCapacityUnits: number;
  };
  /** Index definitions as the template gives them (the same shape CreateTable takes). */
  readonly globalSecondaryIndexes?: readonly Record<string, unknown>[];
  readonly localSecondaryIndexes?: readonly Record<string, unknown>[];
  readonly ttlAttribute?: string;
  readonly pointInTimeRecovery: boolean;
}

/** A target of an EventBridge rule, with AWS's field names (PutTargets' shape). */
export interface RuleTargetPlan {
  readonly Id: string;
  readonly Arn: string;
  readonly Input?: string;
  readonly InputPath?: string;
  readonly InputTransformer?: {
    readonly InputPathsMap?: Record<string, string>;
    readonly InputTemplate: string;
  };
  readonly RetryPolicy?: {
    readonly MaximumRetryAttempts?: number;
    readonly MaximumEventAgeInSeconds?: number;
  };
  readonly DeadLetterConfig?: { readonly Arn?: string };
  /** The role EventBridge assumes to call the target (a state machine's StartExecution). */
  readonly RoleArn?: string;
}

/** An EventBridge rule on the default bus: its pattern (parsed JSON) and its targets. */
export interface RulePlan {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly eventPattern: unknown;
  readonly state: 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
  readonly description?: string;
  readonly targets: readonly RuleTargetPlan[];
}

/** An SQS queue: on the twin, somewhere for rule targets' dead letters to land (kept in memory). */
export interface QueuePlan {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly url: string;
}

/** A route of an HTTP API and the Lambda function its AWS_PROXY integration (payload 2.0) invokes. */
export interface HttpRoutePlan {
  /** `POST /slack/commands`, `ANY /{proxy+}`, `$default`. */
  readonly routeKey: string;
  readonly functionArn: string;
  /** The integration's TimeoutInMillis (API Gateway's default and maximum: 30 s). */
  readonly timeoutMs: number;
}

/** An API Gateway v2 HTTP API: its id (what Ref gives), the URL the twin serves it at, its routes. */
export interface HttpApiPlan {
  readonly logicalId: string;
  readonly apiId: string;
  readonly name: string;
  readonly endpoint: string;
  readonly routes: readonly HttpRoutePlan[];
}

/** A resource the twin accepts but does not run, and why. */
export interface IgnoredResource {
  readonly logicalId: string;
  readonly type: string;
  readonly reason: string;
}

export interface DeployPlan {
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
  readonly functions: readonly FunctionPlan[];
  readonly stateMachines: readonly StateMachinePlan[];
  readonly tables: readonly TablePlan[];
  readonly rules: readonly RulePlan[];
  readonly queues: readonly QueuePlan[];
  readonly httpApis: readonly HttpApiPlan[];
  readonly ignored: readonly IgnoredResource[];
  /** The IAM roles, each with every policy statement granted to it (what local/iam enforces). */
  readonly roles: readonly RolePlan[];
  /** The template's Outputs, resolved (e.g. StateMachineArn, TableName): DescribeStacks answers with them. */
  readonly outputs: Readonly<Record<string, string>>;
}
