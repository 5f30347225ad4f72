import { execFileSync } from 'node:child_process';
import { relative, resolve } from 'node:path';
import { AssetHashType, DockerImage, type Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { elbv2PacerPk } from '../aws/store-keys';
import { BUNDLE_FILE, BUNDLE_FLEET_CONFIG_VARIABLE, FLEET_CONFIG_FILE } from './bundling/bundle-function';
import type { ModifyResources } from './elb-arns';
import { checkEnvironmentAtSynth } from './environment-size';
import { pascalCase } from './handlers';
import { acknowledgeFunctionFindings, acknowledgeKmsDataKeyAction } from './nag';

const BUNDLER = resolve(__dirname, 'bundling', 'bundle-function.ts');

/**
 * A handler's code, bundled by infra/bundling (esbuild with the SDK pruning plugin) on this machine,
 * with the fleet config beside the bundle ({@link FLEET_CONFIG_FILE}: the function reads it at its
 * first invocation). Not NodejsFunction: it runs esbuild's CLI, which takes no plugins. The asset hash
 * is the output's, config file included, so a config change updates every function's code.
 */
export const bundledCode = (entry: string, projectRoot: string, fleetConfig: string): lambda.Code => {
  const environment = { [BUNDLE_FLEET_CONFIG_VARIABLE]: fleetConfig };
  return lambda.Code.fromAsset(resolve(entry, '..'), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the API, never pulled: local bundling below either succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
      // The bundler writes the config it is given here beside the bundle. Part of CDK's asset cache key
      // too, so two configs synthesized in one process (tests, bench fleets) never share a bundle.
      environment,
      // What local bundling runs; it is also what tells CDK's asset cache one function from another
      // (the functions share a source folder, and the cache key leaves `local` out).
      command: [
        'node',
        '--import',
        'tsx',
        relative(projectRoot, BUNDLER),
        relative(projectRoot, entry),
        '/asset-output',
      ],
      local: {
        tryBundle(outputDir: string): boolean {
          execFileSync(process.execPath, ['--import', 'tsx', BUNDLER, entry, outputDir], {
            cwd: projectRoot,
            env: { ...process.env, ...environment },
            stdio: ['ignore', 'inherit', 'inherit'],
          });
          return true;
        },
      },
    },
  });
};

/** What one handler does, and so what its role may do. */
export interface HandlerSpec {
  readonly description: string;
  readonly timeout: Duration;
  /** ELBv2 Describe* (routes, weights, tags, target health). */
  readonly readsLoadBalancers: boolean;
  /** ModifyRule / ModifyListener on the configured load balancers. */
  readonly writesWeights: boolean;
  /** cloudwatch:DescribeAlarms (health and gate alarms). */
  readonly readsAlarms: boolean;
  /** cloudwatch:GetMetricData (target health per target group, RequestCount of a drained cluster). */
  readonly readsMetrics: boolean;
  /** sns:Publish on the configured topic, and reading the Slack webhook's secret. */
  readonly notifies: boolean;
  /**
   * What it may do on the table (lock, flags, plans, history): read and write, only read (the
   * chat workers that answer `status`, `history` and `plan`), or nothing.
   * @default 'readWrite' (only the chat endpoint, which hands every command to a worker, goes without)
   */
  readonly tableAccess?: 'readWrite' | 'read' | 'none';
}

/** What every handler function shares: where its code is, how it logs, what it reads and writes. */
export interface HandlerFunctionSettings {
  readonly fleet: string;
  readonly functionsDir: string;
  readonly projectRoot: string;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  readonly tracing: boolean;
  /** The variables every function gets (FLEET_CONFIG_FILE among them, naming {@link FLEET_CONFIG_FILE}). */
  readonly environment: Record<string, string>;
  /** The validated fleet config as JSON: written into every function's asset as {@link FLEET_CONFIG_FILE}. */
  readonly fleetConfig: string;
  readonly table: dynamodb.ITable;
  /** The fleet's region: the shared ELBv2 describe pacer keeps its bucket under a key naming it. */
  readonly region: string;
  readonly modify: ModifyResources;
  readonly topicArn: string | undefined;
  /** The Slack webhook secret's ARN (pattern): only notifying functions may read it. */
  readonly notificationSecretArn?: string | undefined;
  /** The customer-managed KMS key of the SNS topic (SSE-KMS), when it has one. */
  readonly topicKmsKeyArn?: string | undefined;
  /** The customer-managed KMS key of the Slack webhook secret, when it has one. */
  readonly notificationSecretKmsKeyArn?: string | undefined;
}

const ELB_READ_ACTIONS = [
  'elasticloadbalancing:DescribeLoadBalancers',
  'elasticloadbalancing:DescribeListeners',
  'elasticloadbalancing:DescribeRules',
  'elasticloadbalancing:DescribeTags',
  'elasticloadbalancing:DescribeTargetGroups',
  'elasticloadbalancing:DescribeTargetHealth',
];

/**
 * One handler as a Lambda function (`<name>.ts` under the functions folder, bundled with esbuild),
 * with its own log group and its own role holding only what `spec` says it needs, plus read/write
 * on the table. Construct ids are `<Name>Logs`, `<Name>Role` and `<Name>Function`.
 */
export const createHandlerFunction = (
  scope: Construct,
  name: string,
  spec: HandlerSpec,
  settings: HandlerFunctionSettings,
): lambda.Function => {
  const baseId = pascalCase(name);
  const logGroup = new logs.LogGroup(scope, `${baseId}Logs`, {
    retention: settings.logRetention,
    removalPolicy: settings.logRemovalPolicy,
  });
  // An explicit role instead of the default one: no AWSLambdaBasicExecutionRole (which may create
  // log groups and write to any of them), only this function's log group.
  const role = new iam.Role(scope, `${baseId}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `clustershift ${settings.fleet}: ${name} function`,
  });
  const fn = new lambda.Function(scope, `${baseId}Function`, {
    description: `clustershift ${settings.fleet}: ${spec.description}`,
    code: bundledCode(
      resolve(settings.functionsDir, `${name}.ts`),
      settings.projectRoot,
      settings.fleetConfig,
    ),
    handler: `${BUNDLE_FILE.replace(/\.mjs$/, '')}.handler`,
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 256,
    timeout: spec.timeout,
    role,
    logGroup,
    tracing: settings.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
    environment: settings.environment,
  });
  logGroup.grantWrite(role);
  checkEnvironmentAtSynth(fn, name);
  const tableAccess = spec.tableAccess ?? 'readWrite';
  if (tableAccess === 'readWrite') settings.table.grantReadWriteData(fn);
  if (tableAccess === 'read') settings.table.grantReadData(fn);
  if (spec.readsLoadBalancers && tableAccess !== 'readWrite') {
    // Its describes lease tokens from the fleet's shared ELBv2 pacer (aws/store-pacer.ts: one GetItem,
    // conditional PutItems): that item's partition and no other, read-only function or not.
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'LeaseElbv2DescribeTokens',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [settings.table.tableArn],
        conditions: {
          'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [elbv2PacerPk(settings.region)] },
        },
      }),
    );
  }

  if (spec.readsLoadBalancers) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadLoadBalancers',
        actions: ELB_READ_ACTIONS,
        // ELBv2 Describe* calls do not support resource-level permissions.
        resources: ['*'],
      }),
    );
  }
  if (spec.writesWeights) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'WriteRuleWeights',
        actions: ['elasticloadbalancing:ModifyRule'],
        resources: settings.modify.listenerRules,
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'WriteDefaultActionWeights',
        actions: ['elasticloadbalancing:ModifyListener'],
        resources: settings.modify.listeners,
      }),
    );
  }
  if (spec.readsAlarms) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadAlarms',
        actions: ['cloudwatch:DescribeAlarms'],
        // Composite alarms are only returned to a DescribeAlarms permission scoped to "*".
        resources: ['*'],
      }),
    );
  }
  if (spec.readsMetrics) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadMetrics',
        actions: ['cloudwatch:GetMetricData'],
        // GetMetricData has no resource types.
        resources: ['*'],
      }),
    );
  }
  if (spec.notifies && settings.topicArn !== undefined) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'Notify', actions: ['sns:Publish'], resources: [settings.topicArn] }),
    );
  }
  if (spec.notifies && settings.topicArn !== undefined && settings.topicKmsKeyArn !== undefined) {
    // What AWS documents for a publisher to an SSE-KMS topic (SNS developer guide, key management):
    // kms:GenerateDataKey* and kms:Decrypt on the topic's key; the encryption context SNS sends
    // (aws:sns:topicArn) keeps the grant to this topic.
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PublishToEncryptedTopic',
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: [settings.topicKmsKeyArn],
        conditions: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': settings.topicArn } },
      }),
    );
    acknowledgeKmsDataKeyAction(role, name);
  }
  if (spec.notifies && settings.notificationSecretArn !== undefined) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadSlackWebhookSecret',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [settings.notificationSecretArn],
      }),
    );
    if (settings.notificationSecretKmsKeyArn !== undefined) {
      fn.addToRolePolicy(
        secretDecryptStatement('DecryptSlackWebhookSecret', settings.notificationSecretKmsKeyArn, [
          settings.notificationSecretArn,
        ]),
      );
    }
  }
  acknowledgeFunctionFindings(
    fn,
    role,
    {
      name,
      tracing: settings.tracing,
      readsLoadBalancers: spec.readsLoadBalancers,
      readsAlarms: spec.readsAlarms,
      readsMetrics: spec.readsMetrics,
    },
    spec.writesWeights ? [...settings.modify.listenerRules, ...settings.modify.listeners] : [],
  );
  return fn;
};

/**
 * kms:Decrypt on a secret's customer-managed key, for reading those secrets only: Secrets Manager
 * decrypts with the caller's permissions and names the secret in the encryption context (SecretARN),
 * as AWS's own AWSSecretsManagerClientReadOnlyAccess policy conditions it.
 */
export const secretDecryptStatement = (
  sid: string,
  keyArn: string,
  secretArns: readonly string[],
): iam.PolicyStatement =>
  new iam.PolicyStatement({
    sid,
    actions: ['kms:Decrypt'],
    resources: [keyArn],
    conditions: { StringLike: { 'kms:EncryptionContext:SecretARN': [...secretArns] } },
  });
