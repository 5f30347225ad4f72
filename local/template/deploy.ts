import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  UpdateContinuousBackupsCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { HttpApiTwin } from '../apigateway';
import { TwinError } from '../errors';
import type { EventBridgeTwin } from '../events';
import type { IamAuthority } from '../iam/authority';
import type { LambdaRuntime } from '../lambda/runtime';
import { partitionOf } from '../partition';
import type { StepFunctionsTwin } from '../sfn';
import type { DeployPlan, IgnoredResource, TablePlan } from './plan';

export interface DeployTargets {
  /** A client of the twin's DynamoDB (dynalite). */
  readonly dynamodb: DynamoDBClient;
  readonly lambda: LambdaRuntime;
  readonly sfn: StepFunctionsTwin;
  /** Where the template's EventBridge rules and queues go; without it they are not deployed (noted). */
  readonly events?: EventBridgeTwin;
  /** Where the template's HTTP APIs are served; without it they are not (noted). */
  readonly apis?: HttpApiTwin;
  /** Where the template's roles are enforced; without it every principal may call everything. */
  readonly iam?: IamAuthority;
}

export interface DeployedResource {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
}

export interface Deployment {
  readonly stackName: string;
  /** `existed`: the table was there already (a second deploy into the same twin keeps its items). */
  readonly tables: readonly (DeployedResource & { readonly existed: boolean })[];
  readonly functions: readonly DeployedResource[];
  readonly stateMachines: readonly DeployedResource[];
  readonly rules: readonly DeployedResource[];
  readonly queues: readonly DeployedResource[];
  /** HTTP APIs: `name` is the API id, `arn` API Gateway's ARN of it. */
  readonly httpApis: readonly (DeployedResource & { readonly endpoint: string })[];
  readonly ignored: readonly IgnoredResource[];
  readonly outputs: Readonly<Record<string, string>>;
  /** What the twin could not apply as the template asks, one sentence each. */
  readonly notes: readonly string[];
}

const errorName = (error: unknown): string => (error instanceof Error ? error.name : '');

/** dynalite answers operations it does not implement with UnknownOperationException. */
const unsupportedByBackend = (error: unknown): boolean => errorName(error) === 'UnknownOperationException';

const createTable = async (client: DynamoDBClient, table: TablePlan, notes: string[]): Promise<boolean> => {
  const input: CreateTableCommandInput = {
    TableName: table.name,
    KeySchema: [...table.keySchema],
    AttributeDefinitions: [...table.attributeDefinitions],
    BillingMode: table.billingMode,
    ...(table.provisionedThroughput === undefined
      ? {}
      : { ProvisionedThroughput: table.provisionedThroughput }),
    ...(table.globalSecondaryIndexes === undefined
      ? {}
      : {
          GlobalSecondaryIndexes:
            table.globalSecondaryIndexes as unknown as CreateTableCommandInput['GlobalSecondaryIndexes'],
        }),
    ...(table.localSecondaryIndexes === undefined
      ? {}
      : {
          LocalSecondaryIndexes:
            table.localSecondaryIndexes as unknown as CreateTableCommandInput['LocalSecondaryIndexes'],
        }),
  };
  let existed = false;
  try {
    await client.send(new CreateTableCommand(input));
  } catch (error) {
    if (errorName(error) !== 'ResourceInUseException') throw error;
    existed = true;
  }
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: table.name });
  if (table.ttlAttribute !== undefined) {
    try {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: table.name,
          TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
        }),
      );
    } catch (error) {
      if (!unsupportedByBackend(error)) throw error;
      notes.push(
        `table ${table.name}: TTL on "${table.ttlAttribute}" not set, the twin's DynamoDB (dynalite) has no ` +
          'UpdateTimeToLive; items do not expire',
      );
    }
  }
  if (table.pointInTimeRecovery) {
    try {
      await client.send(
        new UpdateContinuousBackupsCommand({
          TableName: table.name,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      );
    } catch (error) {
      if (!unsupportedByBackend(error)) throw error;
      notes.push(`table ${table.name}: point-in-time recovery not set, the twin's DynamoDB has no backups`);
    }
  }
  return existed;
};

/**
 * Carries out a plan on the twin: tables first (the functions use them), then the functions, then the
 * state machines (they call the functions), then the queues and the EventBridge rules (their targets
 * are the functions and state machines; their dead-letter queues the queues), then the HTTP APIs
 * (their integrations invoke the functions). Deploying the same plan again keeps the tables and their
 * items, and replaces functions and state machine definitions.
 */
export const deployPlan = async (plan: DeployPlan, targets: DeployTargets): Promise<Deployment> => {
  const notes: string[] = [];
  const tables: (DeployedResource & { existed: boolean })[] = [];
  for (const table of plan.tables) {
    const existed = await createTable(targets.dynamodb, table, notes);
    tables.push({ logicalId: table.logicalId, name: table.name, arn: table.arn, existed });
  }
  // Functions sign their calls with their own key (local/iam/identity.ts); the state machines and
  // rule targets act inside the twin, so their roles are looked up by ARN and need no key.
  targets.iam?.deploy(
    plan.roles,
    plan.functions.flatMap((fn) =>
      fn.roleArn === undefined ? [] : [{ roleArn: fn.roleArn, sessionName: fn.name }],
    ),
    plan.tables.map((table) => ({
      name: table.name,
      partitionKey: table.keySchema.find((key) => key.KeyType === 'HASH')?.AttributeName,
    })),
  );
  for (const fn of plan.functions) targets.lambda.register(fn);
  const stateMachines = plan.stateMachines.map((machine) => {
    const created = targets.sfn.createFromPlan(machine);
    return { logicalId: machine.logicalId, name: machine.name, arn: created.stateMachineArn };
  });
  const events = targets.events;
  if (events === undefined && (plan.rules.length > 0 || plan.queues.length > 0)) {
    notes.push(
      `${plan.rules.length} EventBridge rule(s) and ${plan.queues.length} queue(s) not deployed: no EventBridge twin`,
    );
  }
  const queues =
    events === undefined
      ? []
      : plan.queues.map((queue) => {
          events.addQueue({ name: queue.name, arn: queue.arn, url: queue.url });
          return { logicalId: queue.logicalId, name: queue.name, arn: queue.arn };
        });
  const rules =
    events === undefined
      ? []
      : plan.rules.map((rule) => {
          try {
            const defined = events.defineRule({
              name: rule.name,
              eventPattern: rule.eventPattern,
              state: rule.state,
              ...(rule.description === undefined ? {} : { description: rule.description }),
              targets: rule.targets,
            });
            return { logicalId: rule.logicalId, name: rule.name, arn: defined.arn };
          } catch (error) {
            if (error instanceof TwinError)
              throw new TwinError(
                error.code,
                `rule ${rule.logicalId} (${rule.name}): ${error.message}`,
                error.status,
              );
            throw error;
          }
        });
  const apis = targets.apis;
  if (apis === undefined && plan.httpApis.length > 0) {
    notes.push(`${plan.httpApis.length} HTTP API(s) not served: no API Gateway twin`);
  }
  const httpApis =
    apis === undefined
      ? []
      : plan.httpApis.map((api) => {
          apis.deploy(api);
          return {
            logicalId: api.logicalId,
            name: api.apiId,
            arn: `arn:${partitionOf(plan.region)}:apigateway:${plan.region}::/apis/${api.apiId}`,
            endpoint: api.endpoint,
          };
        });
  return {
    stackName: plan.stackName,
    tables,
    functions: plan.functions.map(({ logicalId, name, arn }) => ({ logicalId, name, arn })),
    stateMachines,
    rules,
    queues,
    httpApis,
    ignored: plan.ignored,
    outputs: plan.outputs,
    notes,
  };
};
