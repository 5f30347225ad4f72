import { resolve } from 'node:path';
import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { BuildOptions } from 'esbuild';
import type { ModifyResources } from './elb-arns';
import { pascalCase } from './handlers';
import { acknowledgeFunctionFindings } from './nag';

/** esbuild settings of every function bundle (bench/ measures bundles built with the same). */
export const BUNDLE_TARGET = 'node22';
export const BUNDLE_MAIN_FIELDS = ['module', 'main'] as const;
const SHARED = resolve(__dirname, '..', 'functions', 'shared');
const STUBS = resolve(SHARED, 'bundle-stubs');

/**
 * Modules replaced in every bundle by smaller ones (esbuild `alias`), each for what our operations
 * never execute. A stub throws NotBundledError, naming the module, if it is reached after all.
 */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  // The default credential chain (SSO, STS, INI, process, instance metadata and their nested
  // clients, ~120 KB) becomes the environment provider: Lambda and the twin put credentials there.
  '@aws-sdk/credential-provider-node': resolve(SHARED, 'env-credentials.ts'),
  // No operation we call streams events (~19 KB: the codec, and the lazy-init wrappers its dynamic
  // import puts around the SDK modules).
  '@smithy/core/event-streams': resolve(STUBS, 'event-streams.ts'),
  // DynamoDB endpoint discovery is off unless enabled, and we never enable it (~8 KB with mnemonist).
  '@aws-sdk/endpoint-cache': resolve(STUBS, 'endpoint-cache.ts'),
};

/** Licence comments are not kept in the bundles (they are in node_modules, and the lock file). */
export const BUNDLE_LEGAL_COMMENTS = 'none';

/** Some bundled dependencies are CommonJS and call require(); give the ESM output one. */
export const BUNDLE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * The bundle settings above as esbuild build options, for what builds a bundle itself (bench/, the
 * tests): the same output as CDK's, without the source map.
 */
export const bundleBuildOptions = (entry: string): BuildOptions => ({
  entryPoints: [entry],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  target: BUNDLE_TARGET,
  mainFields: [...BUNDLE_MAIN_FIELDS],
  banner: { js: BUNDLE_BANNER },
  alias: { ...BUNDLE_ALIASES },
  legalComments: BUNDLE_LEGAL_COMMENTS,
});

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
  /** cloudwatch:GetMetricData (RequestCount of a drained cluster). */
  readonly readsMetrics: boolean;
  /** sns:Publish on the configured topic, and reading the Slack webhook's secret. */
  readonly notifies: boolean;
  /**
   * Read/write on the table (lock, flags, plans, history).
   * @default true (only the chat endpoint, which hands every command to its worker, goes without)
   */
  readonly usesTable?: boolean;
}

/** What every handler function shares: where its code is, how it logs, what it reads and writes. */
export interface HandlerFunctionSettings {
  readonly fleet: string;
  readonly functionsDir: string;
  readonly projectRoot: string;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  readonly tracing: boolean;
  readonly environment: Record<string, string>;
  readonly table: dynamodb.ITable;
  readonly modify: ModifyResources;
  readonly topicArn: string | undefined;
  /** The Slack webhook secret's ARN (pattern): only notifying functions may read it. */
  readonly notificationSecretArn?: string | undefined;
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
): NodejsFunction => {
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
  const fn = new NodejsFunction(scope, `${baseId}Function`, {
    description: `clustershift ${settings.fleet}: ${spec.description}`,
    entry: resolve(settings.functionsDir, `${name}.ts`),
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 256,
    timeout: spec.timeout,
    role,
    logGroup,
    tracing: settings.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
    environment: settings.environment,
    projectRoot: settings.projectRoot,
    depsLockFilePath: resolve(settings.projectRoot, 'package-lock.json'),
    bundling: {
      format: OutputFormat.ESM,
      minify: true,
      sourceMap: true,
      // Stack traces map back to file and line without shipping every dependency's source.
      sourcesContent: false,
      target: BUNDLE_TARGET,
      mainFields: [...BUNDLE_MAIN_FIELDS],
      banner: BUNDLE_BANNER,
      // Bundle the AWS SDK v3 clients too, so the versions in package-lock.json are what runs.
      externalModules: [],
      esbuildArgs: {
        ...Object.fromEntries(
          Object.entries(BUNDLE_ALIASES).map(([module, replacement]) => [`--alias:${module}`, replacement]),
        ),
        '--legal-comments': BUNDLE_LEGAL_COMMENTS,
      },
    },
  });
  logGroup.grantWrite(role);
  if (spec.usesTable !== false) settings.table.grantReadWriteData(fn);

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
  if (spec.notifies && settings.notificationSecretArn !== undefined) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadSlackWebhookSecret',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [settings.notificationSecretArn],
      }),
    );
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
