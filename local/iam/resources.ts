import type { TwinInput } from '../service';

/**
 * What AWS authorizes for each operation the twin serves: the IAM action and the resource ARN(s),
 * from the Service Authorization Reference (the "Actions defined by …" tables of each service) and the
 * services' own authorization pages:
 * - ELBv2: Describe* have no resource-level permissions (`*`); ModifyRule → the listener-rule ARN,
 *   ModifyListener → the listener ARN, other writes → the ARN they name.
 * - CloudWatch: GetMetricData, PutMetricData, ListMetrics → `*`; DescribeAlarms → `alarm:*` (a
 *   composite alarm is only returned with `*`); SetAlarmState and the other alarm writes → the alarm.
 * - Step Functions: StartExecution, ListExecutions, Describe/Update/DeleteStateMachine → the state
 *   machine ARN; DescribeExecution, StopExecution, GetExecutionHistory → the execution ARN.
 * - DynamoDB: the table ARN, `…/index/<name>` for a Query or Scan on an index; GetItem, PutItem,
 *   UpdateItem and DeleteItem set dynamodb:LeadingKeys to the item's partition key; batch operations per
 *   table; TransactWriteItems as PutItem/UpdateItem/DeleteItem/ConditionCheckItem per item,
 *   TransactGetItems as GetItem per item.
 * - SNS Publish → the topic; Secrets Manager → the secret's full ARN (with its random suffix);
 *   Lambda Invoke → lambda:InvokeFunction on the function ARN (qualified when a qualifier is given);
 *   EventBridge PutEvents → the event bus; CloudFormation DescribeStacks → the stack, or `*`.
 * - STS GetCallerIdentity needs no permission ("No permissions are required to perform this
 *   operation", its API reference): it is never checked.
 */
export interface ActionRequest {
  readonly action: string;
  readonly resource: string;
  /** Condition keys the call itself sets (dynamodb:LeadingKeys of an item call). */
  readonly context?: Readonly<Record<string, string>>;
}

export interface ResourceContext {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** A secret's full ARN from a name, partial or full ARN; undefined when there is no such secret. */
  readonly secretArn?: (secretId: string) => string | undefined;
  /** A Lambda function's ARN from a name, partial or full ARN. */
  readonly functionArn?: (nameOrArn: string) => string | undefined;
  /** A deployed table's partition key attribute (for dynamodb:LeadingKeys). */
  readonly partitionKeyOf?: (tableName: string) => string | undefined;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const list = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

const arn = (context: ResourceContext, service: string, resource: string, region = context.region) =>
  `arn:${context.partition}:${service}:${region}:${context.accountId}:${resource}`;

const elbv2 = (operation: string, input: TwinInput): string[] => {
  if (operation.startsWith('Describe')) return ['*'];
  const named = [input.RuleArn, input.ListenerArn, input.TargetGroupArn, input.LoadBalancerArn]
    .map(text)
    .filter((item): item is string => item !== undefined);
  const tagged = list(input.ResourceArns)
    .map(text)
    .filter((item): item is string => item !== undefined);
  const priorities = list(input.RulePriorities)
    .map((item) => text(record(item).RuleArn))
    .filter((item): item is string => item !== undefined);
  const all = [...named, ...tagged, ...priorities];
  return all.length > 0 ? all : ['*'];
};

const ALARM_WRITES = new Set([
  'SetAlarmState',
  'PutMetricAlarm',
  'PutCompositeAlarm',
  'DescribeAlarmHistory',
]);

const cloudwatch = (operation: string, input: TwinInput, context: ResourceContext): string[] => {
  const alarm = (name: string) => arn(context, 'cloudwatch', `alarm:${name}`);
  if (operation === 'DescribeAlarms') return [alarm('*')];
  if (ALARM_WRITES.has(operation)) {
    const name = text(input.AlarmName);
    return [name === undefined ? '*' : alarm(name)];
  }
  if (
    operation === 'DeleteAlarms' ||
    operation === 'EnableAlarmActions' ||
    operation === 'DisableAlarmActions'
  ) {
    const names = list(input.AlarmNames)
      .map(text)
      .filter((item): item is string => item !== undefined);
    return names.length > 0 ? names.map(alarm) : ['*'];
  }
  return ['*'];
};

const STATE_MACHINE_OPERATIONS = new Set([
  'StartExecution',
  'StartSyncExecution',
  'ListExecutions',
  'DescribeStateMachine',
  'UpdateStateMachine',
  'DeleteStateMachine',
]);
const EXECUTION_OPERATIONS = new Set(['DescribeExecution', 'StopExecution', 'GetExecutionHistory']);

const sfn = (operation: string, input: TwinInput, context: ResourceContext): string[] => {
  if (STATE_MACHINE_OPERATIONS.has(operation)) return [text(input.stateMachineArn) ?? '*'];
  if (EXECUTION_OPERATIONS.has(operation)) return [text(input.executionArn) ?? '*'];
  if (operation === 'CreateStateMachine') {
    const name = text(input.name);
    return [name === undefined ? '*' : arn(context, 'states', `stateMachine:${name}`)];
  }
  return ['*'];
};

const TRANSACT_WRITE_ACTIONS: Readonly<Record<string, string>> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
};

const ITEM_OPERATIONS = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem']);

const dynamodb = (operation: string, input: TwinInput, context: ResourceContext): ActionRequest[] => {
  const table = (name: string) => arn(context, 'dynamodb', `table/${name}`);
  const as = (action: string, resource: string): ActionRequest => ({
    action: `dynamodb:${action}`,
    resource,
  });
  if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
    const tables = Object.keys(record(input.RequestItems));
    return (tables.length > 0 ? tables.map(table) : ['*']).map((resource) => as(operation, resource));
  }
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
    const requests = list(input.TransactItems).flatMap((item) =>
      Object.entries(record(item)).map(([kind, body]) => {
        const name = text(record(body).TableName);
        const action = operation === 'TransactGetItems' ? 'GetItem' : (TRANSACT_WRITE_ACTIONS[kind] ?? kind);
        return as(action, name === undefined ? '*' : table(name));
      }),
    );
    return requests.length > 0 ? requests : [as(operation, '*')];
  }
  const name = text(input.TableName);
  if (name === undefined) return [as(operation, '*')];
  if (ITEM_OPERATIONS.has(operation)) {
    // dynamodb:LeadingKeys: the partition key value of the one item the call touches.
    const partitionKey = context.partitionKeyOf?.(name);
    const key = record(operation === 'PutItem' ? input.Item : input.Key);
    const typed = partitionKey === undefined ? {} : record(key[partitionKey]);
    const leading = text(typed.S) ?? text(typed.N) ?? text(typed.B);
    const request = as(operation, table(name));
    return [leading === undefined ? request : { ...request, context: { 'dynamodb:LeadingKeys': leading } }];
  }
  const index = text(input.IndexName);
  const resource =
    index !== undefined && (operation === 'Query' || operation === 'Scan')
      ? `${table(name)}/index/${index}`
      : table(name);
  return [as(operation, resource)];
};

const secretsmanager = (input: TwinInput, context: ResourceContext): string[] => {
  const id = text(input.SecretId) ?? text(input.Name);
  if (id === undefined) return ['*'];
  return [
    context.secretArn?.(id) ?? (id.startsWith('arn:') ? id : arn(context, 'secretsmanager', `secret:${id}`)),
  ];
};

const events = (operation: string, input: TwinInput, context: ResourceContext): string[] => {
  if (operation !== 'PutEvents') return ['*'];
  const buses = new Set(list(input.Entries).map((entry) => text(record(entry).EventBusName) ?? 'default'));
  if (buses.size === 0) buses.add('default');
  return [...buses].map((bus) => (bus.startsWith('arn:') ? bus : arn(context, 'events', `event-bus/${bus}`)));
};

const cloudformation = (input: TwinInput, context: ResourceContext): string[] => {
  const stack = text(input.StackName);
  if (stack === undefined) return ['*'];
  return [stack.startsWith('arn:') ? stack : arn(context, 'cloudformation', `stack/${stack}/*`)];
};

/**
 * `/2015-03-31/functions/<name or ARN>/invocations?Qualifier=q`: the function ARN Lambda authorizes,
 * qualified when the call names a version or alias.
 */
export const lambdaInvokeResource = (path: string, context: ResourceContext): string => {
  const [pathname, query] = path.split('?', 2);
  const encoded = /\/functions\/([^/]+)\/invocations$/.exec(pathname ?? '')?.[1] ?? '';
  let reference = encoded;
  try {
    reference = decodeURIComponent(encoded);
  } catch {
    // Not valid percent-encoding: authorize the text as sent; the Invoke API refuses it after.
  }
  const qualifier = new URLSearchParams(query ?? '').get('Qualifier') ?? undefined;
  const parts = reference.split(':');
  const unqualified =
    context.functionArn?.(reference) ??
    (reference.startsWith('arn:')
      ? parts.slice(0, 7).join(':')
      : arn(context, 'lambda', `function:${parts.length >= 3 ? parts[2] : parts[0]}`));
  const inline = reference.startsWith('arn:') ? parts[7] : parts.length >= 3 ? parts[3] : parts[1];
  const version = qualifier ?? inline;
  return version === undefined || version === '' ? unqualified : `${unqualified}:${version}`;
};

/**
 * The resources one call touches, as AWS authorizes them: an ARN (or `*`) for the service's action
 * `<prefix>:<operation>`, or a whole (action, resource) pair where AWS checks another action
 * (DynamoDB's transactions, Lambda's `InvokeFunction`).
 */
export type ResourceResolver = (
  operation: string,
  input: TwinInput,
  context: ResourceContext,
) => ReadonlyArray<string | ActionRequest>;

export const elbv2Resources: ResourceResolver = (operation, input) => elbv2(operation, input);
export const cloudwatchResources: ResourceResolver = cloudwatch;
export const sfnResources: ResourceResolver = sfn;
export const dynamodbResources: ResourceResolver = dynamodb;
export const snsResources: ResourceResolver = (_operation, input) => [
  text(input.TopicArn) ?? text(input.TargetArn) ?? '*',
];
export const secretsmanagerResources: ResourceResolver = (_operation, input, context) =>
  secretsmanager(input, context);
export const eventsResources: ResourceResolver = events;
export const cloudformationResources: ResourceResolver = (_operation, input, context) =>
  cloudformation(input, context);
/** The twin's one Lambda operation; `input.path` carries the request path. */
export const lambdaResources: ResourceResolver = (_operation, input, context) => [
  { action: 'lambda:InvokeFunction', resource: lambdaInvokeResource(String(input.path ?? ''), context) },
];
export const anyResource: ResourceResolver = () => ['*'];
