import { createHash } from 'node:crypto';

/** Where the stack is "deployed": what the pseudo parameters and ARNs are made of. */
export interface StackEnvironment {
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly urlSuffix: string;
  /**
   * Where the twin serves HTTP APIs (its own base URL): what `Fn::GetAtt Api.ApiEndpoint` gives, so
   * an output like ChatOpsUrl points at the twin. Without it, AWS's execute-api URL.
   */
  readonly apiEndpoint?: string;
}

type Attribute = (name: string, env: StackEnvironment) => string;

export interface ResourceKind {
  /** The property that names the resource; without it the name is generated as CloudFormation does. */
  readonly nameProperty?: string;
  readonly maxNameLength: number;
  /** What `Ref` returns, from the physical name. */
  readonly ref: Attribute;
  readonly attributes: Readonly<Record<string, Attribute>>;
  /** Set for types the twin accepts without running them: why it can. */
  readonly ignoredBecause?: string;
}

const arn = (env: StackEnvironment, service: string, resource: string, region = env.region): string =>
  `arn:${env.partition}:${service}:${region}:${env.accountId}:${resource}`;

const byName: Attribute = (name) => name;

const queueUrl: Attribute = (name, env) =>
  `https://sqs.${env.region}.${env.urlSuffix}/${env.accountId}/${name}`;

/**
 * Every resource type the twin's loader knows. The Lambda functions, state machines, tables,
 * EventBridge rules and SQS queues (dead-letter queues of rule targets, kept in memory) it runs, the
 * IAM roles and policies it enforces (local/iam); the
 * rest it accepts and records as ignored, with the reason. Any other type fails the load naming it.
 */
export const RESOURCE_KINDS: Readonly<Record<string, ResourceKind>> = {
  'AWS::Lambda::Function': {
    nameProperty: 'FunctionName',
    maxNameLength: 64,
    ref: byName,
    attributes: { Arn: (name, env) => arn(env, 'lambda', `function:${name}`) },
  },
  'AWS::DynamoDB::Table': {
    nameProperty: 'TableName',
    maxNameLength: 255,
    ref: byName,
    attributes: { Arn: (name, env) => arn(env, 'dynamodb', `table/${name}`) },
  },
  'AWS::StepFunctions::StateMachine': {
    nameProperty: 'StateMachineName',
    maxNameLength: 80,
    ref: (name, env) => arn(env, 'states', `stateMachine:${name}`),
    attributes: {
      Arn: (name, env) => arn(env, 'states', `stateMachine:${name}`),
      Name: byName,
    },
  },
  'AWS::IAM::Role': {
    nameProperty: 'RoleName',
    maxNameLength: 64,
    ref: byName,
    attributes: {
      Arn: (name, env) => `arn:${env.partition}:iam::${env.accountId}:role/${name}`,
      RoleId: (name) => `AROA${hashOf(name, 17)}`,
    },
  },
  'AWS::IAM::Policy': {
    nameProperty: 'PolicyName',
    maxNameLength: 128,
    ref: byName,
    attributes: {},
  },
  'AWS::IAM::ManagedPolicy': {
    nameProperty: 'ManagedPolicyName',
    maxNameLength: 128,
    ref: (name, env) => `arn:${env.partition}:iam::${env.accountId}:policy/${name}`,
    attributes: { PolicyArn: (name, env) => `arn:${env.partition}:iam::${env.accountId}:policy/${name}` },
  },
  'AWS::Logs::LogGroup': {
    nameProperty: 'LogGroupName',
    maxNameLength: 512,
    ref: byName,
    attributes: { Arn: (name, env) => arn(env, 'logs', `log-group:${name}:*`) },
    ignoredBecause: "functions log to the twin's output; there is no CloudWatch Logs on the twin",
  },
  'AWS::CDK::Metadata': {
    maxNameLength: 64,
    ref: byName,
    attributes: {},
    ignoredBecause: "CDK's usage metadata, nothing to run",
  },
  'AWS::Lambda::Permission': {
    maxNameLength: 64,
    ref: byName,
    attributes: {},
    ignoredBecause: 'the twin does not enforce resource policies',
  },
  'AWS::SNS::Topic': {
    nameProperty: 'TopicName',
    maxNameLength: 256,
    ref: (name, env) => arn(env, 'sns', name),
    attributes: { TopicArn: (name, env) => arn(env, 'sns', name), TopicName: byName },
    ignoredBecause: 'the twin has no SNS: notifications are not delivered',
  },
  'AWS::SNS::TopicPolicy': {
    maxNameLength: 64,
    ref: byName,
    attributes: {},
    ignoredBecause: 'the twin does not enforce resource policies',
  },
  'AWS::SQS::Queue': {
    nameProperty: 'QueueName',
    maxNameLength: 80,
    ref: (name, env) => queueUrl(name, env),
    attributes: {
      Arn: (name, env) => arn(env, 'sqs', name),
      QueueName: byName,
      QueueUrl: (name, env) => queueUrl(name, env),
    },
  },
  'AWS::Events::Rule': {
    nameProperty: 'Name',
    maxNameLength: 64,
    // On the default bus (the only one the twin has) Ref is the rule's name.
    ref: byName,
    attributes: { Arn: (name, env) => arn(env, 'events', `rule/${name}`) },
  },
  'AWS::ApiGatewayV2::Api': {
    // Its Name is a label, not an identity: Ref and ApiId are the generated id.
    maxNameLength: 128,
    ref: (name) => apiGatewayId(name, 10),
    attributes: {
      ApiId: (name) => apiGatewayId(name, 10),
      ApiEndpoint: (name, env) =>
        env.apiEndpoint ?? `https://${apiGatewayId(name, 10)}.execute-api.${env.region}.${env.urlSuffix}`,
    },
  },
  'AWS::ApiGatewayV2::Integration': {
    maxNameLength: 128,
    ref: (name) => apiGatewayId(name, 7),
    attributes: { IntegrationId: (name) => apiGatewayId(name, 7) },
  },
  'AWS::ApiGatewayV2::Route': {
    maxNameLength: 128,
    ref: (name) => apiGatewayId(name, 7),
    attributes: { RouteId: (name) => apiGatewayId(name, 7) },
  },
  'AWS::ApiGatewayV2::Stage': {
    nameProperty: 'StageName',
    maxNameLength: 128,
    ref: byName,
    attributes: {},
    ignoredBecause:
      "the twin serves every HTTP API route at its endpoint's root, as the auto-deployed $default stage does",
  },
  'AWS::CloudWatch::Dashboard': {
    nameProperty: 'DashboardName',
    maxNameLength: 255,
    ref: byName,
    attributes: {},
    ignoredBecause:
      'a dashboard is a console view; the twin has no console (GET /_twin/traffic shows the traffic)',
  },
  'AWS::Lambda::EventInvokeConfig': {
    maxNameLength: 64,
    ref: byName,
    attributes: {},
    ignoredBecause: 'the twin runs an asynchronous invocation once, without retries or destinations',
  },
  'AWS::SQS::QueuePolicy': {
    maxNameLength: 64,
    ref: byName,
    attributes: {},
    ignoredBecause: 'the twin does not enforce resource policies',
  },
};

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** API Gateway's ids are short lower-case alphanumerics (an API's 10, a route's or integration's 7). */
export const apiGatewayId = (name: string, length: number): string => hashOf(name, length).toLowerCase();

/** A stable stand-in for CloudFormation's random suffix: the same stack and id give the same name. */
const hashOf = (text: string, length: number): string => {
  const digest = createHash('sha256').update(text).digest();
  return Array.from(digest.subarray(0, length), (byte) => BASE32[byte % 32]).join('');
};

const SUFFIX_LENGTH = 12;

/** `<stack>-<logicalId>-<suffix>`, shortened to the type's name limit, as CloudFormation names resources. */
export const generatedName = (env: StackEnvironment, logicalId: string, maxLength: number): string => {
  const suffix = hashOf(`${env.stackName}/${logicalId}`, SUFFIX_LENGTH);
  const prefix = `${env.stackName}-${logicalId}`.slice(0, Math.max(1, maxLength - SUFFIX_LENGTH - 1));
  return `${prefix}-${suffix}`;
};
