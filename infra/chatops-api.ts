import { ArnFormat, CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { CHAT_WORKERS, type ChatWorker } from '../core/chat-commands';
import type { FleetConfig } from '../core/config';
import { CHATOPS_PATHS } from '../functions/chat/routes';
import { CHAT_WORKER_FUNCTIONS } from '../functions/chat/workers';
import {
  createHandlerFunction,
  type HandlerFunctionSettings,
  type HandlerSpec,
  secretDecryptStatement,
} from './handler-function';
import { stateMachineNameFor } from './handlers';
import { acknowledgeWildcardResource } from './nag';
import { secretArnPattern } from './secret-arns';

export interface ChatOpsApiProps {
  /** The validated fleet config; its `chatops` block must be enabled. */
  readonly config: FleetConfig;
  /** The shift workflow the worker starts and inspects. */
  readonly stateMachine: sfn.IStateMachine;
  /** How the two functions are built (the same settings as the workflow's functions). */
  readonly functionSettings: HandlerFunctionSettings;
  /**
   * Steady-state requests per second the API accepts (API Gateway stage throttling).
   * @default 10 (people typing commands; anything more is a mistake or an attack)
   */
  readonly rateLimit?: number;
  /**
   * Burst the API accepts above the rate.
   * @default 20
   */
  readonly burstLimit?: number;
}

/**
 * ChatOps: an HTTP API (API Gateway v2) in front of the `chatops` function, which checks the
 * signature on the raw body, the allow-lists and the command, answers within Slack's 3 seconds and
 * hands the work to one of three workers (asynchronous invoke): `chatops-status` (status, history)
 * and `chatops-plan` (plan) only read; `chatops-worker` starts and controls shifts and freezes the
 * fleet, and reads no load balancer. Each runs the same operations as the CLI and posts the result
 * to the response URL.
 *
 * Who may do what is decided in the function (allow-lists), not by API Gateway: Slack cannot sign
 * requests with IAM or a JWT, so every route is open and every request must carry a valid HMAC.
 */
export class ChatOpsApi extends Construct {
  public readonly api: apigw.HttpApi;
  public readonly handler: lambda.Function;
  /** The chat workers (functions/chat/workers.ts), each with only its commands' clients and permissions. */
  public readonly workers: Readonly<Record<ChatWorker, lambda.Function>>;

  constructor(scope: Construct, id: string, props: ChatOpsApiProps) {
    super(scope, id);
    const { config, stateMachine, functionSettings } = props;
    const { chatops } = config;
    if (!chatops.enabled || chatops.signingSecret === undefined) {
      throw new Error('ChatOpsApi needs chatops.enabled and chatops.signingSecret in the fleet config');
    }
    const stack = Stack.of(this);

    const workerEnvironment = {
      ...functionSettings.environment,
      STATE_MACHINE_ARN: stateMachine.stateMachineArn,
      STACK_NAME: stack.stackName,
    };
    const createWorker = (worker: ChatWorker, spec: HandlerSpec): lambda.Function => {
      const fn = createHandlerFunction(this, CHAT_WORKER_FUNCTIONS[worker].handler, spec, {
        ...functionSettings,
        environment: workerEnvironment,
      });
      // A retried drain would be a second request: a failed command is reported, never repeated.
      fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(5) });
      return fn;
    };
    const reads = { writesWeights: false, notifies: false, tableAccess: 'read' } as const;
    this.workers = {
      status: createWorker('status', {
        ...reads,
        description: 'Answers chat `status` and `history` (reads only) and posts to the response URL',
        timeout: Duration.minutes(2),
        readsLoadBalancers: true,
        readsAlarms: true,
        readsMetrics: true,
      }),
      plan: createWorker('plan', {
        ...reads,
        description:
          'Answers chat `plan` (reads and plans as the workflow would) and posts to the response URL',
        timeout: Duration.minutes(2),
        readsLoadBalancers: true,
        readsAlarms: true,
        readsMetrics: true,
      }),
      act: createWorker('act', {
        description:
          'Runs chat drain/restore/shift (starts the workflow), pause/resume/approve/abort, freeze/unfreeze',
        timeout: Duration.minutes(1),
        readsLoadBalancers: false,
        writesWeights: false,
        readsAlarms: false,
        readsMetrics: false,
        notifies: false,
      }),
    };
    // Both list the running shifts (status shows them; a control command without a name acts on the
    // only one); only the acting worker starts them and reads the one it controls.
    for (const worker of [this.workers.status, this.workers.act]) {
      worker.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ListShifts',
          actions: ['states:ListExecutions'],
          resources: [stateMachine.stateMachineArn],
        }),
      );
    }
    stateMachine.grantStartExecution(this.workers.act);
    const executions = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${stateMachineNameFor(config.fleet)}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.workers.act.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DescribeShifts',
        actions: ['states:DescribeExecution'],
        resources: [executions],
      }),
    );
    acknowledgeWildcardResource(
      this.workers.act.role as iam.IRole,
      executions,
      'Pause, resume, approve and abort name an execution that is only known at run time; DescribeExecution ' +
        "(read-only) covers this fleet's workflow executions (execution:clustershift-<fleet>:*) only.",
    );

    this.handler = createHandlerFunction(
      this,
      'chatops',
      {
        description:
          'Checks a chat request (signature, allow-lists, command), acknowledges it, hands it to its worker',
        // Slack gives up after 3 s; API Gateway after 30 s.
        timeout: Duration.seconds(10),
        readsLoadBalancers: false,
        writesWeights: false,
        readsAlarms: false,
        readsMetrics: false,
        notifies: false,
        tableAccess: 'none',
      },
      {
        ...functionSettings,
        environment: {
          ...functionSettings.environment,
          ...Object.fromEntries(
            CHAT_WORKERS.map((worker) => [
              CHAT_WORKER_FUNCTIONS[worker].env,
              this.workers[worker].functionName,
            ]),
          ),
        },
      },
    );
    for (const worker of CHAT_WORKERS) {
      this.workers[worker].grantInvoke(this.handler);
      acknowledgeWildcardResource(
        this.handler.role as iam.IRole,
        `${this.workers[worker].functionArn}:*`,
        "grantInvoke covers the workers' versions and aliases (`<worker ARN>:*`); the chat handler may invoke its workers and nothing else.",
      );
    }
    const secrets = [chatops.signingSecret, chatops.webhookSecret].filter(
      (s): s is string => s !== undefined,
    );
    const secretArns = secrets.map((ref) => secretArnPattern(stack, ref));
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadChatSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: secretArns,
      }),
    );
    if (chatops.secretsKmsKeyArn !== undefined) {
      this.handler.addToRolePolicy(
        secretDecryptStatement('DecryptChatSecrets', chatops.secretsKmsKeyArn, secretArns),
      );
    }

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: functionSettings.logRetention,
      removalPolicy: functionSettings.logRemovalPolicy,
    });
    this.api = new apigw.HttpApi(this, 'Api', {
      apiName: `clustershift-${config.fleet}-chatops`,
      description: `clustershift ${config.fleet}: Slack slash command, buttons and signed webhook`,
      createDefaultStage: false,
    });
    new apigw.HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 10, burstLimit: props.burstLimit ?? 20 },
      // Request metadata only: API Gateway never logs bodies, so no command text or signature.
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.jsonWithStandardFields(),
      },
    });
    const integration = new HttpLambdaIntegration('Handler', this.handler, {
      payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
    });
    const paths = [
      CHATOPS_PATHS.slackCommands,
      CHATOPS_PATHS.slackInteractions,
      ...(chatops.webhookSecret === undefined ? [] : [CHATOPS_PATHS.webhook]),
    ];
    for (const path of paths) {
      this.api.addRoutes({ path, methods: [apigw.HttpMethod.POST], integration });
    }
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Slack cannot authenticate with IAM or a JWT; every request is authenticated by its HMAC-SHA256 signature over the raw body (5-minute replay window) in the chatops function before anything is parsed, then checked against the user and channel allow-lists',
    });

    new CfnOutput(this, 'Url', {
      description:
        'ChatOps base URL: Slack slash command at /slack/commands, interactivity at /slack/interactions',
      value: this.api.apiEndpoint,
    }).overrideLogicalId('ChatOpsUrl');
  }
}
