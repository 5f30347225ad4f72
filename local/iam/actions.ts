import { TwinError } from '../errors';
import type { TwinServiceName } from '../faults';
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
 * - DynamoDB: the table ARN, `…/index/<name>` for a Query or Scan on an index; batch operations per
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
}

export interface ResourceContext {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** A secret's full ARN from a name, partial or full ARN; undefined when there is no such secret. */
  readonly secretArn?: (secretId: string) => string | undefined;
  /** A Lambda function's ARN from a name, partial or full ARN. */
  readonly functionArn?: (nameOrArn: string) => string | undefined;
}

/** The IAM action prefix of each twin service. */
export const IAM_PREFIX: Readonly<Record<TwinServiceName, string>> = {
  elbv2: 'elasticloadbalancing',
  cloudwatch: 'cloudwatch',
  sfn: 'states',
  dynamodb: 'dynamodb',
  cloudformation: 'cloudformation',
  sts: 'sts',
  sns: 'sns',
  events: 'events',
  lambda: 'lambda',
  secretsmanager: 'secretsmanager',
};

/** Operations that need no permission at all. */
const UNCHECKED: ReadonlySet<string> = new Set(['sts:GetCallerIdentity']);

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

/** Every (action, resource) AWS checks for one call; empty when the operation needs no permission. */
export const actionRequests = (
  service: TwinServiceName,
  operation: string,
  input: TwinInput,
  context: ResourceContext,
): ActionRequest[] => {
  const action = `${IAM_PREFIX[service]}:${operation}`;
  if (UNCHECKED.has(action)) return [];
  const each = (resources: string[]): ActionRequest[] => resources.map((resource) => ({ action, resource }));
  switch (service) {
    case 'elbv2':
      return each(elbv2(operation, input));
    case 'cloudwatch':
      return each(cloudwatch(operation, input, context));
    case 'sfn':
      return each(sfn(operation, input, context));
    case 'dynamodb':
      return dynamodb(operation, input, context);
    case 'sns': {
      const topic = text(input.TopicArn) ?? text(input.TargetArn);
      return each([topic ?? '*']);
    }
    case 'secretsmanager':
      return each(secretsmanager(input, context));
    case 'events':
      return each(events(operation, input, context));
    case 'cloudformation':
      return each(cloudformation(input, context));
    case 'lambda':
      // The twin's one Lambda operation; `input.path` carries the request path.
      return [
        {
          action: 'lambda:InvokeFunction',
          resource: lambdaInvokeResource(String(input.path ?? ''), context),
        },
      ];
    case 'sts':
      return each(['*']);
  }
};

/**
 * The error each service answers an IAM denial with, as its API reference and SDK error names have
 * it: awsQuery services `AccessDenied` (403), SNS its own `AuthorizationError` (403), the awsJson
 * services `AccessDeniedException` (400), Lambda's REST API `AccessDeniedException` (403). CloudWatch's
 * JSON and CBOR protocols carry the query-compatible code `AccessDenied` (x-amzn-query-error).
 */
export const accessDeniedError = (service: TwinServiceName, message: string): TwinError => {
  switch (service) {
    case 'elbv2':
    case 'cloudwatch':
    case 'cloudformation':
    case 'sts':
      return new TwinError('AccessDenied', message, 403);
    case 'sns':
      return new TwinError('AuthorizationError', message, 403);
    case 'lambda':
      return new TwinError('AccessDeniedException', message, 403);
    case 'sfn':
    case 'dynamodb':
    case 'events':
    case 'secretsmanager':
      return new TwinError('AccessDeniedException', message, 400);
  }
};

/** How the action is written in the denial: SNS capitalises its prefix (`SNS:Publish`). */
export const displayedAction = (service: TwinServiceName, action: string): string =>
  service === 'sns' ? action.replace(/^sns:/, 'SNS:') : action;
