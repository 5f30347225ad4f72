import * as z from 'zod/mini';
import { formatIssues } from '../../core/errors';
import { toFieldIssues } from '../../core/zod-issues';
import { templateError } from './errors';

/**
 * The resolved properties the twin reads from each resource it runs, checked with zod so that a
 * template it cannot follow fails naming the resource and the property.
 */
const scalarText = z.pipe(
  z.union([z.string(), z.number(), z.boolean()]),
  z.transform((value) => String(value)),
);
const count = z.pipe(
  z.union([z.number(), z.string().check(z.regex(/^[0-9]+(\.[0-9]+)?$/))]),
  z.transform((value) => Number(value)),
);
const flag = z.pipe(
  z.union([z.boolean(), z.enum(['true', 'false'])]),
  z.transform((value) => value === true || value === 'true'),
);

export const functionProperties = z.looseObject({
  Runtime: z.string(),
  Role: z.optional(z.string()),
  Handler: z._default(z.string(), 'index.handler'),
  Timeout: z._default(count, 3),
  MemorySize: z._default(count, 128),
  Environment: z.optional(z.looseObject({ Variables: z.optional(z.record(z.string(), scalarText)) })),
  LoggingConfig: z.optional(z.looseObject({ LogGroup: z.optional(z.string()) })),
});

export const stateMachineProperties = z.looseObject({
  DefinitionString: z.optional(z.string()),
  Definition: z.optional(z.record(z.string(), z.unknown())),
  DefinitionS3Location: z.optional(z.unknown()),
  DefinitionSubstitutions: z.optional(z.record(z.string(), scalarText)),
  RoleArn: z.optional(z.string()),
  StateMachineType: z._default(z.enum(['STANDARD', 'EXPRESS']), 'STANDARD'),
});

const keySchema = z.array(z.object({ AttributeName: z.string(), KeyType: z.enum(['HASH', 'RANGE']) }));

export const tableProperties = z.looseObject({
  KeySchema: keySchema.check(z.minLength(1), z.maxLength(2)),
  AttributeDefinitions: z.array(
    z.object({ AttributeName: z.string(), AttributeType: z.enum(['S', 'N', 'B']) }),
  ),
  BillingMode: z._default(z.enum(['PAY_PER_REQUEST', 'PROVISIONED']), 'PROVISIONED'),
  ProvisionedThroughput: z.optional(z.object({ ReadCapacityUnits: count, WriteCapacityUnits: count })),
  GlobalSecondaryIndexes: z.optional(z.array(z.record(z.string(), z.unknown()))),
  LocalSecondaryIndexes: z.optional(z.array(z.record(z.string(), z.unknown()))),
  TimeToLiveSpecification: z.optional(z.object({ AttributeName: z.optional(z.string()), Enabled: flag })),
  PointInTimeRecoverySpecification: z.optional(
    z.looseObject({ PointInTimeRecoveryEnabled: z.optional(flag) }),
  ),
});

const ruleTarget = z.looseObject({
  Arn: z.string(),
  Id: z.string(),
  Input: z.optional(z.string()),
  InputPath: z.optional(z.string()),
  InputTransformer: z.optional(
    z.looseObject({
      InputPathsMap: z.optional(z.record(z.string(), z.string())),
      InputTemplate: z.string(),
    }),
  ),
  RetryPolicy: z.optional(
    z.looseObject({
      MaximumRetryAttempts: z.optional(count),
      MaximumEventAgeInSeconds: z.optional(count),
    }),
  ),
  DeadLetterConfig: z.optional(z.looseObject({ Arn: z.optional(z.string()) })),
  RoleArn: z.optional(z.string()),
});

export const ruleProperties = z.looseObject({
  Description: z.optional(z.string()),
  EventBusName: z.optional(z.string()),
  /** An object, or (as CloudFormation also takes it) its JSON text. */
  EventPattern: z.optional(z.union([z.string(), z.record(z.string(), z.unknown())])),
  ScheduleExpression: z.optional(z.string()),
  State: z._default(
    z.enum(['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS']),
    'ENABLED',
  ),
  RoleArn: z.optional(z.string()),
  Targets: z._default(z.array(ruleTarget), []),
});

export const httpApiProperties = z.looseObject({
  Name: z.optional(z.string()),
  ProtocolType: z.optional(z.string()),
  Body: z.optional(z.unknown()),
  BodyS3Location: z.optional(z.unknown()),
  Target: z.optional(z.unknown()),
  RouteKey: z.optional(z.unknown()),
});

export const httpIntegrationProperties = z.looseObject({
  ApiId: z.string(),
  IntegrationType: z.string(),
  IntegrationUri: z.optional(z.string()),
  IntegrationSubtype: z.optional(z.string()),
  PayloadFormatVersion: z.optional(z.string()),
  TimeoutInMillis: z.optional(count),
  RequestParameters: z.optional(z.unknown()),
  RequestTemplates: z.optional(z.unknown()),
  ResponseParameters: z.optional(z.unknown()),
});

export const httpRouteProperties = z.looseObject({
  ApiId: z.string(),
  RouteKey: z.string(),
  Target: z.optional(z.string()),
  AuthorizationType: z.optional(z.string()),
  AuthorizerId: z.optional(z.string()),
});

/** Parses a resource's resolved properties, or fails naming the resource and every bad property. */
export const parseProperties = <S extends z.ZodMiniType>(
  schema: S,
  properties: unknown,
  logicalId: string,
  type: string,
): z.output<S> => {
  const parsed = schema.safeParse(properties ?? {});
  if (!parsed.success) {
    throw templateError(
      'InvalidProperties',
      `${logicalId} (${type}): ${formatIssues(toFieldIssues(parsed.error))}`,
    );
  }
  return parsed.data;
};
