import { resolve } from 'node:path';
import { ArnFormat, Aws, CfnOutput, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FleetConfig } from '../core/config';
import { AutoRestoreRules } from './auto-restore-rules';
import { FLEET_CONFIG_FILE } from './bundling/bundle-function';
import { ChatOpsApi } from './chatops-api';
import { ShiftDashboard } from './dashboard';
import { LAMBDA_INVOKE_PLACEHOLDER, readDefinition } from './definition';
import { modifyResourcesFor } from './elb-arns';
import { ExecutionEndedRule } from './execution-ended-rule';
import { FailoverRules } from './failover-rules';
import { createHandlerFunction, type HandlerFunctionSettings, type HandlerSpec } from './handler-function';
import {
  EVENT_HANDLER_NAMES,
  type EventHandlerName,
  HANDLER_NAMES,
  type HandlerName,
  placeholderFor,
  stateMachineNameFor,
} from './handlers';
import { acknowledgeStateMachineFindings, acknowledgeStopExecution } from './nag';
import { tracingByDefault } from './partitions';
import { secretArnPattern } from './secret-arns';

/** The repository root: infra/ sits directly under it. */
export const REPO_ROOT = resolve(__dirname, '..');

export { BUNDLE_ALIASES, BUNDLE_BANNER, BUNDLE_MAIN_FIELDS, BUNDLE_TARGET } from './bundling/settings';
export { environmentSize, LAMBDA_ENVIRONMENT_LIMIT_BYTES } from './environment-size';
export {
  EVENT_HANDLER_NAMES,
  type EventHandlerName,
  HANDLER_NAMES,
  type HandlerName,
  pascalCase,
  placeholderFor,
  stateMachineNameFor,
} from './handlers';

const HANDLERS: Readonly<Record<HandlerName, HandlerSpec>> = {
  prepare: {
    description: 'Validates a shift request, discovers routes, computes the plan and evaluates guardrails',
    timeout: Duration.minutes(5),
    readsLoadBalancers: true,
    writesWeights: false,
    readsAlarms: true,
    readsMetrics: true,
    notifies: false,
  },
  lock: {
    description: 'Takes the fleet lock (a DynamoDB lease) so that one shift runs at a time',
    timeout: Duration.minutes(1),
    readsLoadBalancers: false,
    writesWeights: false,
    readsAlarms: false,
    readsMetrics: false,
    notifies: false,
  },
  'apply-step': {
    description: 'Writes one step of weights to every route (compare-and-set against the previous step)',
    timeout: Duration.minutes(5),
    readsLoadBalancers: true,
    writesWeights: true,
    // A failover's first step is not gated first: it checks the receivers' health alarms itself.
    readsAlarms: true,
    readsMetrics: false,
    notifies: false,
  },
  'check-gates': {
    description: 'Checks alarms, target health, abort/pause flags and drift; renews the lock lease',
    timeout: Duration.minutes(1),
    readsLoadBalancers: true,
    writesWeights: false,
    readsAlarms: true,
    readsMetrics: true,
    notifies: false,
  },
  rollback: {
    description: 'Returns every route to the weights recorded before the first write',
    timeout: Duration.minutes(5),
    readsLoadBalancers: true,
    writesWeights: true,
    readsAlarms: false,
    readsMetrics: false,
    notifies: false,
  },
  'verify-drained': {
    description:
      "Checks from CloudWatch metrics that a drained cluster's target groups no longer receive traffic",
    timeout: Duration.minutes(1),
    readsLoadBalancers: false,
    writesWeights: false,
    readsAlarms: false,
    readsMetrics: true,
    notifies: false,
  },
  finish: {
    description: 'Releases the lock, records the outcome in history and notifies',
    timeout: Duration.minutes(1),
    readsLoadBalancers: false,
    writesWeights: false,
    readsAlarms: false,
    readsMetrics: false,
    notifies: true,
  },
  notify: {
    description:
      'Notifies that a shift started or a step was applied: weights, observed share per cluster, gate alarms',
    // Two reads and two posts, each bounded (the Slack post times out after 2.5 s); the workflow's
    // task timeout (30 s) and Catch go on without it.
    timeout: Duration.seconds(30),
    readsLoadBalancers: false,
    writesWeights: false,
    readsAlarms: true,
    readsMetrics: true,
    notifies: true,
  },
};

const EVENT_HANDLERS: Readonly<Record<EventHandlerName, HandlerSpec>> = {
  'execution-ended': {
    description:
      'Cleans up after an execution that failed, timed out or was stopped: releases its lock, closes its history, notifies',
    timeout: Duration.minutes(1),
    readsLoadBalancers: false,
    writesWeights: false,
    readsAlarms: false,
    readsMetrics: false,
    notifies: true,
  },
};

/** Powertools log levels. */
export type ClusterShiftLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface ClusterShiftProps {
  /**
   * The validated fleet config (see `parseFleetConfig` in core/config.ts). Shipped in every function's
   * code asset as `fleet-config.json`, which the function's `FLEET_CONFIG_FILE` variable names: no
   * fleet size is limited by Lambda's 4 KB environment.
   */
  readonly config: FleetConfig;

  /**
   * The ASL (JSONPath) definition of the shift workflow. Its `${<Name>FunctionArn}` placeholders are
   * checked at synth against the functions created here.
   * @default statemachines/shift.asl.json under the repository root
   */
  readonly definitionPath?: string;

  /**
   * The folder holding the Lambda entry files, `<name>.ts` for each of {@link HANDLER_NAMES}.
   * @default functions/ under the repository root
   */
  readonly functionsDir?: string;

  /**
   * The folder holding `package-lock.json`, from which functions are bundled (esbuild, no Docker).
   * @default the repository root
   */
  readonly projectRoot?: string;

  /**
   * How long function and workflow logs are kept.
   * @default logs.RetentionDays.ONE_MONTH (execution history is kept in the table, not in logs)
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * What happens to the log groups when they leave the stack.
   * @default RemovalPolicy.DESTROY (logs expire after `logRetention` anyway; history lives in the table)
   */
  readonly logRemovalPolicy?: RemovalPolicy;

  /**
   * Powertools log level of every function (`POWERTOOLS_LOG_LEVEL`).
   * @default 'INFO'
   */
  readonly logLevel?: ClusterShiftLogLevel;

  /**
   * What happens to the table (lock, baselines, history, freeze) when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * DynamoDB deletion protection on the table.
   * @default true when the table is retained (the default), false otherwise
   */
  readonly deletionProtection?: boolean;

  /**
   * X-Ray active tracing on the functions and the state machine.
   * @default true in the partitions where AWS documents X-Ray tracing for Lambda and Step Functions
   * (aws, aws-cn, aws-us-gov: see TRACING_PARTITIONS in infra/partitions.ts), false in any other partition
   */
  readonly tracing?: boolean;
}

/**
 * Everything clustershift runs on in one AWS account and region: the shift workflow (Step Functions,
 * Standard), its Lambda functions, and the DynamoDB table for the lock, control flags, baselines and
 * history. Functions get only the permissions their step needs; only `apply-step` and `rollback` can
 * change listener rules, and only on the configured load balancers (or listeners).
 */
export class ClusterShift extends Construct {
  public readonly table: dynamodb.Table;
  /** The functions the workflow calls. */
  public readonly functions: Readonly<Record<HandlerName, lambda.Function>>;
  /** The functions EventBridge rules invoke. */
  public readonly eventFunctions: Readonly<Record<EventHandlerName, lambda.Function>>;
  /** One rule per cluster with health alarms: its alarm entering ALARM starts a failover. */
  public readonly failoverRules: FailoverRules;
  /** Only with `failover.autoRestore.enabled`: one rule per cluster with health alarms, on OK. */
  public readonly autoRestoreRules?: AutoRestoreRules;
  /** Cleans up after an execution that failed, timed out or was stopped. */
  public readonly executionEndedRule: ExecutionEndedRule;
  public readonly stateMachine: sfn.StateMachine;
  /** On-call's view of a shift: requests and 5xx per cluster, health alarms, executions, metrics. */
  public readonly dashboard: ShiftDashboard;
  /** Only with `chatops.enabled`: the Slack slash command, buttons and signed webhook. */
  public readonly chatOps?: ChatOpsApi;
  /** The fleet config as JSON, exactly as every function's asset holds it (`FLEET_CONFIG_FILE`). */
  public readonly fleetConfig: string;

  constructor(scope: Construct, id: string, props: ClusterShiftProps) {
    super(scope, id);
    const others = Stack.of(this)
      .node.findAll()
      .filter((construct) => construct !== this && construct instanceof ClusterShift);
    if (others.length > 0) {
      // The outputs have fixed names (StateMachineArn, TableName) that the CLI looks up.
      throw new Error(
        `one ClusterShift per stack: ${others[0]?.node.path} is already in ${Stack.of(this).stackName}`,
      );
    }
    const { config } = props;
    const definitionPath = props.definitionPath ?? resolve(REPO_ROOT, 'statemachines', 'shift.asl.json');
    const functionsDir = props.functionsDir ?? resolve(REPO_ROOT, 'functions');
    const projectRoot = props.projectRoot ?? REPO_ROOT;
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const logRemovalPolicy = props.logRemovalPolicy ?? RemovalPolicy.DESTROY;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const stack = Stack.of(this);
    const tracing =
      props.tracing ?? tracingByDefault(Token.isUnresolved(stack.region) ? config.region : stack.region);

    // Read and check the workflow first: a wrong placeholder is the cheapest mistake to report.
    const substitutionKeys = HANDLER_NAMES.map(placeholderFor);
    const definition = readDefinition(definitionPath, substitutionKeys, [LAMBDA_INVOKE_PLACEHOLDER]);

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'ttl',
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: props.deletionProtection ?? removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
    });

    this.fleetConfig = JSON.stringify(config);
    // The config is in each function's asset, not here: what the environment holds does not grow with
    // the fleet. Each function's final environment is still checked against Lambda's 4 KB at synth
    // (checkEnvironmentAtSynth).
    const environment: Record<string, string> = {
      FLEET_CONFIG_FILE,
      TABLE_NAME: this.table.tableName,
      POWERTOOLS_SERVICE_NAME: 'clustershift',
      POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    };

    const settings: HandlerFunctionSettings = {
      fleet: config.fleet,
      functionsDir,
      projectRoot,
      logRetention,
      logRemovalPolicy,
      tracing,
      environment,
      fleetConfig: this.fleetConfig,
      table: this.table,
      region: config.region,
      modify: modifyResourcesFor(config),
      topicArn: config.notifications.snsTopicArn,
      topicKmsKeyArn: config.notifications.snsTopicKmsKeyArn,
      ...(config.notifications.slack === undefined
        ? {}
        : {
            notificationSecretArn: secretArnPattern(
              Stack.of(this),
              config.notifications.slack.webhookUrlSecret,
            ),
            notificationSecretKmsKeyArn: config.notifications.slack.kmsKeyArn,
          }),
    };
    this.functions = Object.fromEntries(
      HANDLER_NAMES.map((name) => [name, createHandlerFunction(this, name, HANDLERS[name], settings)]),
    ) as Record<HandlerName, lambda.Function>;
    this.eventFunctions = Object.fromEntries(
      EVENT_HANDLER_NAMES.map((name) => [
        name,
        createHandlerFunction(this, name, EVENT_HANDLERS[name], settings),
      ]),
    ) as Record<EventHandlerName, lambda.Function>;

    // A failover stops the manual shift it preempts. The state machine's fixed name lets this policy
    // name its executions without referring to the state machine, whose definition refers to the lock
    // function (a reference back would be a circular dependency).
    const stateMachineName = stateMachineNameFor(config.fleet);
    const executions = Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.functions.lock.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'StopPreemptedExecution',
        actions: ['states:StopExecution'],
        resources: [executions],
      }),
    );
    acknowledgeStopExecution(this.functions.lock.role as iam.IRole, executions);

    const workflowLogs = new logs.LogGroup(this, 'WorkflowLogs', {
      // Step Functions delivers logs as vended logs; this prefix keeps the CloudWatch Logs resource
      // policy that allows the delivery from growing with every log group.
      logGroupName: `/aws/vendedlogs/states/clustershift-${config.fleet}-${this.node.addr.slice(0, 8)}`,
      retention: logRetention,
      removalPolicy: logRemovalPolicy,
    });
    this.stateMachine = new sfn.StateMachine(this, 'Workflow', {
      stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      comment: `clustershift ${config.fleet}: drain, restore, shift and fail over traffic between clusters`,
      // Inline (not an S3 asset) so the template alone describes the workflow: CloudFormation applies
      // the substitutions, and the local twin reads the same two properties.
      definitionBody: sfn.DefinitionBody.fromString(definition),
      definitionSubstitutions: {
        ...Object.fromEntries(
          HANDLER_NAMES.map((name) => [placeholderFor(name), this.functions[name].functionArn]),
        ),
        // The partition comes from the stack (AWS::Partition), never from the file: see definition.ts.
        [LAMBDA_INVOKE_PLACEHOLDER]: `arn:${Aws.PARTITION}:states:::lambda:invoke`,
      },
      logs: { destination: workflowLogs, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: tracing,
    });
    // The workflow calls each function by its unqualified ARN, so that ARN is all it may invoke.
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'InvokeShiftFunctions',
        actions: ['lambda:InvokeFunction'],
        resources: HANDLER_NAMES.map((name) => this.functions[name].functionArn),
      }),
    );
    acknowledgeStateMachineFindings(this.stateMachine.role);

    this.failoverRules = new FailoverRules(this, 'FailoverRules', {
      config,
      stateMachine: this.stateMachine,
    });
    if (config.failover.autoRestore.enabled) {
      this.autoRestoreRules = new AutoRestoreRules(this, 'AutoRestoreRules', {
        config,
        stateMachine: this.stateMachine,
        failoverRules: this.failoverRules,
      });
    }
    this.executionEndedRule = new ExecutionEndedRule(this, 'ExecutionEnded', {
      fleet: config.fleet,
      stateMachine: this.stateMachine,
      handler: this.eventFunctions['execution-ended'],
    });

    this.dashboard = new ShiftDashboard(this, 'Dashboard', { config, stateMachine: this.stateMachine });
    if (config.chatops.enabled) {
      this.chatOps = new ChatOpsApi(this, 'ChatOps', {
        config,
        stateMachine: this.stateMachine,
        functionSettings: settings,
      });
    }

    new CfnOutput(this, 'StateMachineArn', {
      description: 'ARN of the clustershift workflow (start it with the clustershift CLI)',
      value: this.stateMachine.stateMachineArn,
    }).overrideLogicalId('StateMachineArn');
    new CfnOutput(this, 'TableName', {
      description: 'DynamoDB table holding the lock, control flags, baselines and history',
      value: this.table.tableName,
    }).overrideLogicalId('TableName');
  }
}
