import { ArnFormat, CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FleetConfig } from '../core/config';
import { CHATOPS_PATHS } from '../functions/chat/routes';
import { createHandlerFunction, type HandlerFunctionSettings } from './handler-function';
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
 * hands the work to the `chatops-worker` function (asynchronous invoke). The worker runs the same
 * operations as the CLI and posts the result to the response URL.
 *
 * Who may do what is decided in the function (allow-lists), not by API Gateway: Slack cannot sign
 * requests with IAM or a JWT, so every route is open and every request must carry a valid HMAC.
 */
export class ChatOpsApi extends Construct {
  public readonly api: apigw.HttpApi;
  public readonly handler: lambda.Function;
  public readonly worker: lambda.Function;

  constructor(scope: Construct, id: string, props: ChatOpsApiProps) {
    super(scope, id);
    const { config, stateMachine, functionSettings } = props;
    const { chatops } = config;
    if (!chatops.enabled || chatops.signingSecret === undefined) {
      throw new Error('ChatOpsApi needs chatops.enabled and chatops.signingSecret in the fleet config');
    }
    const stack = Stack.of(this);

    this.worker = createHandlerFunction(
      this,
      'chatops-worker',
      {
        description: 'Runs a chat command (status, plan, drain …) and posts the answer to the response URL',
        timeout: Duration.minutes(2),
        readsLoadBalancers: true,
        writesWeights: false,
        readsAlarms: true,
        readsMetrics: true,
        notifies: false,
      },
      {
        ...functionSettings,
        environment: {
          ...functionSettings.environment,
          STATE_MACHINE_ARN: stateMachine.stateMachineArn,
          STACK_NAME: stack.stackName,
        },
      },
    );
    // A retried drain would be a second request: a failed command is reported, never repeated.
    this.worker.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(5) });
    stateMachine.grantStartExecution(this.worker);
    this.worker.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ListShifts',
        actions: ['states:ListExecutions'],
        resources: [stateMachine.stateMachineArn],
      }),
    );
    const executions = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${stateMachineNameFor(config.fleet)}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.worker.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DescribeShifts',
        actions: ['states:DescribeExecution'],
        resources: [executions],
      }),
    );
    acknowledgeWildcardResource(
      this.worker.role as iam.IRole,
      executions,
      'Pause, resume, approve and abort name an execution that is only known at run time; DescribeExecution ' +
        "(read-only) covers this fleet's workflow executions (execution:clustershift-<fleet>:*) only.",
    );

    this.handler = createHandlerFunction(
      this,
      'chatops',
      {
        description:
          'Checks a chat request (signature, allow-lists, command), acknowledges it, hands it to the worker',
        // Slack gives up after 3 s; API Gateway after 30 s.
        timeout: Duration.seconds(10),
        readsLoadBalancers: false,
        writesWeights: false,
        readsAlarms: false,
        readsMetrics: false,
        notifies: false,
        usesTable: false,
      },
      {
        ...functionSettings,
        environment: { ...functionSettings.environment, WORKER_FUNCTION_NAME: this.worker.functionName },
      },
    );
    this.worker.grantInvoke(this.handler);
    acknowledgeWildcardResource(
      this.handler.role as iam.IRole,
      `${this.worker.functionArn}:*`,
      "grantInvoke covers the worker's versions and aliases (`<worker ARN>:*`); the chat handler may invoke the worker function and nothing else.",
    );
    const secrets = [chatops.signingSecret, chatops.webhookSecret].filter(
      (s): s is string => s !== undefined,
    );
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadChatSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: secrets.map((ref) => secretArnPattern(stack, ref)),
      }),
    );

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
