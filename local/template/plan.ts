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
  readonly ignored: readonly IgnoredResource[];
  /** The template's Outputs, resolved (e.g. StateMachineArn, TableName): DescribeStacks answers with them. */
  readonly outputs: Readonly<Record<string, string>>;
}
