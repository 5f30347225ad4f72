import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TWIN_CLOCK_SYMBOL, TWIN_SLEEP_SYMBOL } from '../functions/shared/clock';
import { handleAdmin } from './admin';
import { Admission } from './admission';
import { type ApiLimitsOption, ApiThrottle } from './api-throttle';
import { HttpApiTwin } from './apigateway';
import { TwinClock } from './clock';
import { CloudFormationTwin } from './cloudformation';
import { CloudWatchTwin } from './cloudwatch';
import { AlarmEvaluator } from './cloudwatch/evaluate';
import { Dispatcher } from './dispatch';
import { startDynamoDb, type TwinDynamoDb } from './dynamodb';
import { Elbv2Twin } from './elbv2';
import { EventBridgeTwin } from './events';
import { FaultInjector } from './faults';
import { TwinHttpServer } from './http/serve';
import { IamAuthority } from './iam/authority';
import { installCredentialRewrite } from './iam/identity';
import type { DeployedFunction, LambdaHandler } from './lambda/function';
import { LambdaInvokeApi } from './lambda/invoke-api';
import { LambdaRuntime } from './lambda/runtime';
import { LbControllers, type LbControllersOption } from './lb-controllers';
import { partitionOf } from './partition';
import { ServiceRegistry } from './registry';
import { SecretsManagerTwin } from './secretsmanager';
import { StepFunctionsTwin } from './sfn';
import { SlackSink } from './slack-sink';
import { SnsTwin } from './sns';
import { StsTwin } from './sts';
import { deployPlan } from './template/deploy';
import { loadTemplate } from './template/load';
import { TrafficModel, type TrafficModelOptions } from './traffic/model';

export interface TwinOptions {
  /** Default 4566; 0 picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1: the twin has no authentication, so it listens on loopback unless told otherwise. */
  readonly host?: string;
  /** Twin seconds per real second (Wait states, bakes, leases, metric timestamps). Default 1. */
  readonly timeScale?: number;
  /** Default us-east-1. */
  readonly region?: string;
  /** Default 000000000000. */
  readonly accountId?: string;
  /**
   * IAM (local/iam): every call a deployed function, the state machine or a rule target makes is
   * evaluated against its role's policies from the template. Default true; false lets everyone do
   * everything. Unknown access keys (the CLI, an operator's shell) are the operator, allowed all.
   */
  readonly iam?: boolean;
  /** ELBv2 seed file (JSON) to load at start. */
  readonly seedFile?: string;
  /** Synthesized CloudFormation template to deploy at start. */
  readonly templateFile?: string;
  /** Requests per second per route in the traffic model, or per route (skewed traffic). Default 20. */
  readonly ratePerRoute?: TrafficModelOptions['ratePerRoute'];
  /**
   * AWS's documented API rate limits (local/limits.ts), enforced for every caller alike: on by
   * default; `false` turns them off, an object sets other figures (a raised limit).
   */
  readonly apiLimits?: ApiLimitsOption;
  /** Simulated AWS Load Balancer Controllers spending the same ELBv2 buckets in the background. */
  readonly lbControllers?: LbControllersOption;
  /**
   * Whether Lambda timeouts count real time (default) or twin time (local/lambda/runtime.ts): a
   * compressed bench that must meet the timeouts where AWS would says `twin`.
   */
  readonly lambdaTimeouts?: 'real' | 'twin';
  /** Seed for fault injection decisions. Default 1. */
  readonly faultSeed?: number;
  /** Where the twin reports what it does (one line each). Default: nowhere. */
  readonly log?: (line: string) => void;
  /**
   * Loads a function's handler. Default: the bundle in its CDK asset folder. Tests pass the source
   * handlers (jest cannot import the ESM bundles).
   */
  readonly loadHandler?: (fn: DeployedFunction) => Promise<LambdaHandler>;
}

/**
 * The local twin: one HTTP endpoint speaking ELBv2, CloudWatch, Step Functions, DynamoDB (dynalite),
 * CloudFormation DescribeStacks, STS GetCallerIdentity, SNS, EventBridge, Secrets Manager and Lambda
 * Invoke, with the stack's Lambda handlers run in-process and its HTTP APIs served at the same
 * endpoint. Start it with `startTwin`.
 */
export class Twin {
  readonly clock: TwinClock;
  readonly region: string;
  readonly accountId: string;
  readonly faults: FaultInjector;
  /** ELBv2's request buckets for the account and Region, shared by every caller. */
  readonly throttle: ApiThrottle;
  readonly iam: IamAuthority;
  readonly elbv2: Elbv2Twin;
  readonly cloudwatch: CloudWatchTwin;
  readonly traffic: TrafficModel;
  readonly lambda: LambdaRuntime;
  readonly sfn: StepFunctionsTwin;
  readonly events: EventBridgeTwin;
  readonly alarmEvaluator: AlarmEvaluator;
  readonly cloudformation: CloudFormationTwin;
  readonly sts: StsTwin;
  readonly sns: SnsTwin;
  readonly secrets: SecretsManagerTwin;
  readonly lambdaApi: LambdaInvokeApi;
  readonly apis: HttpApiTwin;
  readonly slack: SlackSink;
  /** Every service's descriptor bound to what serves it (local/registry.ts, local/services/). */
  readonly registry: ServiceRegistry;
  private readonly http: TwinHttpServer;
  private controllers: LbControllers | undefined;
  private dynamodb: TwinDynamoDb | undefined;
  private endpointUrl = '';
  private readonly log: (line: string) => void;
  /** Stops the scenarios started through the admin API when the twin closes. */
  private readonly adminScenarios = new AbortController();
  /** Undoes the per-function credentials on outgoing requests (local/iam/identity.ts). */
  private uninstallIdentity: (() => void) | undefined;

  constructor(private readonly options: TwinOptions = {}) {
    this.clock = new TwinClock(options.timeScale ?? 1);
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.log = options.log ?? (() => undefined);
    this.faults = new FaultInjector(options.faultSeed ?? 1);
    this.throttle = new ApiThrottle(this.clock, options.apiLimits);
    this.iam = new IamAuthority({
      region: this.region,
      accountId: this.accountId,
      enabled: options.iam ?? true,
      log: (line) => this.log(line),
    });
    const common = { clock: this.clock, region: this.region, accountId: this.accountId };
    this.elbv2 = new Elbv2Twin(common);
    this.traffic = new TrafficModel({
      clock: this.clock,
      elbv2: this.elbv2,
      ratePerRoute: options.ratePerRoute,
    });
    this.cloudwatch = new CloudWatchTwin({ ...common, metricSource: this.traffic.metricSource });
    this.lambda = new LambdaRuntime({
      clock: this.clock,
      // The state machine's role invoking a Task's function.
      authorizeInvoke: (caller, functionArn) =>
        this.iam.authorize(caller, 'lambda', { action: 'lambda:InvokeFunction', resource: functionArn }),
      ...(options.loadHandler === undefined ? {} : { loadHandler: options.loadHandler }),
      ...(options.lambdaTimeouts === undefined ? {} : { timeouts: options.lambdaTimeouts }),
    });
    this.sfn = new StepFunctionsTwin({ ...common, lambda: this.lambda });
    this.events = new EventBridgeTwin({
      ...common,
      sfn: this.sfn,
      lambda: this.lambda,
      // EventBridge calls Step Functions' API: faults injected there hit rule targets too.
      beforeTargetCall: (service, operation) =>
        service === 'sfn' ? this.faults.apply('sfn', operation) : Promise.resolve(),
      authorizeTarget: (principal, request) => this.iam.authorize(principal, 'sfn', request),
    });
    this.cloudwatch.onAlarmStateChange((change) => this.events.emitAlarmStateChange(change));
    this.sfn.onExecutionStatusChange((change) => this.events.emitExecutionStatusChange(change));
    // After the bus's subscription, so a child's event goes out before its composite's.
    this.alarmEvaluator = new AlarmEvaluator({
      ...common,
      cloudwatch: this.cloudwatch,
      onError: (alarmName, error) =>
        this.log(
          `twin: alarm ${alarmName} not evaluated: ${error instanceof Error ? error.message : String(error)}`,
        ),
    });
    this.cloudformation = new CloudFormationTwin();
    this.sts = new StsTwin(this.accountId, partitionOf(this.region));
    this.sns = new SnsTwin(common);
    this.secrets = new SecretsManagerTwin(common);
    this.lambdaApi = new LambdaInvokeApi({ ...common, runtime: this.lambda, log: (line) => this.log(line) });
    this.iam.setResolvers({
      secretArn: (id) => {
        try {
          return (this.secrets.operations.DescribeSecret({ SecretId: id }) as { ARN: string }).ARN;
        } catch {
          return undefined;
        }
      },
      functionArn: (reference) => {
        try {
          return this.lambda.find(
            reference.split(':').length === 8 ? reference.split(':').slice(0, 7).join(':') : reference,
          ).arn;
        } catch {
          return undefined;
        }
      },
    });
    this.apis = new HttpApiTwin({
      clock: this.clock,
      accountId: this.accountId,
      lambda: this.lambda,
      log: (line) => this.log(line),
    });
    this.slack = new SlackSink(this.clock);
    this.registry = new ServiceRegistry({
      elbv2: { kind: 'operations', service: this.elbv2 },
      cloudwatch: { kind: 'operations', service: this.cloudwatch },
      sfn: { kind: 'operations', service: this.sfn },
      dynamodb: { kind: 'dynalite', dynamodb: () => this.dynamodb },
      cloudformation: { kind: 'operations', service: this.cloudformation },
      sts: { kind: 'operations', service: this.sts },
      sns: { kind: 'operations', service: this.sns },
      events: { kind: 'operations', service: this.events },
      lambda: { kind: 'rest', api: this.lambdaApi },
      secretsmanager: { kind: 'operations', service: this.secrets },
    });
    this.http = new TwinHttpServer({
      clock: this.clock,
      registry: this.registry,
      dispatcher: new Dispatcher(
        this.registry,
        new Admission({ faults: this.faults, iam: this.iam, throttle: this.throttle }),
      ),
      apis: this.apis,
      admin: (method, url, body, headers) =>
        handleAdmin({ twin: this, scenarioSignal: this.adminScenarios.signal }, method, url, body, headers),
      log: (line) => this.log(line),
    });
  }

  /** One line to the twin's log. */
  report(line: string): void {
    this.log(line);
  }

  get endpoint(): string {
    return this.endpointUrl;
  }

  async start(): Promise<this> {
    this.dynamodb = await startDynamoDb();
    this.endpointUrl = await this.http.listen(this.options.port ?? 4566, this.options.host ?? '127.0.0.1');
    this.exposeToHandlers();
    this.uninstallIdentity = installCredentialRewrite();
    this.alarmEvaluator.start();
    if (this.options.lbControllers !== undefined) this.startLbControllers(this.options.lbControllers);
    if (this.options.seedFile !== undefined) this.seed(this.options.seedFile);
    if (this.options.templateFile !== undefined) await this.deploy(this.options.templateFile);
    return this;
  }

  /**
   * The handlers run in this process and build their SDK clients from the environment, as on
   * Lambda; point them at this endpoint, give them fake credentials, and lend them the twin's clock.
   */
  private exposeToHandlers(): void {
    process.env.AWS_ENDPOINT_URL = this.endpointUrl;
    // A per-service override left in the environment (AWS_ENDPOINT_URL_DYNAMODB …) would send the
    // handlers somewhere else; on the twin every service is here.
    for (const key of Object.keys(process.env)) {
      if (key.startsWith('AWS_ENDPOINT_URL_')) delete process.env[key];
    }
    process.env.AWS_REGION = this.region;
    process.env.AWS_DEFAULT_REGION = this.region;
    process.env.AWS_ACCESS_KEY_ID ??= 'twin';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'twin';
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    (globalThis as Record<symbol, unknown>)[TWIN_CLOCK_SYMBOL] = () => this.clock.now();
    (globalThis as Record<symbol, unknown>)[TWIN_SLEEP_SYMBOL] = (ms: number) => this.clock.sleep(ms);
  }

  /** Starts simulated Load Balancer Controllers (replacing any running); see local/lb-controllers.ts. */
  startLbControllers(option: LbControllersOption): LbControllers {
    this.controllers?.stop();
    this.controllers = new LbControllers(this.clock, this.throttle, option);
    this.controllers.start();
    this.log(`twin: ${option.clusters.length} simulated Load Balancer Controller(s) calling ELBv2`);
    return this.controllers;
  }

  /** The simulated Load Balancer Controllers' calls and how many were throttled. */
  lbControllerStats(): ReturnType<LbControllers['stats']> {
    this.controllers?.tick();
    return this.controllers?.stats() ?? [];
  }

  seed(seedFile: string): void {
    const spec: unknown = JSON.parse(readFileSync(seedFile, 'utf8'));
    this.elbv2.seed(spec);
    this.log(`twin: seeded ELBv2 from ${seedFile}`);
  }

  /** Loads a synthesized template and deploys its table, functions and state machine into the twin. */
  async deploy(templateFile: string): Promise<Awaited<ReturnType<typeof deployPlan>>> {
    const template: unknown = JSON.parse(readFileSync(templateFile, 'utf8'));
    const stackName = /([^/\\]+)\.template\.json$/.exec(templateFile)?.[1] ?? 'ClusterShift';
    const plan = loadTemplate(template as object, {
      region: this.region,
      accountId: this.accountId,
      stackName,
      templateDir: templateFile.replace(/[/\\][^/\\]+$/, ''),
      apiEndpoint: this.endpointUrl,
    });
    const dynamodb = new DynamoDBClient({
      endpoint: this.endpointUrl,
      region: this.region,
      credentials: { accessKeyId: 'twin', secretAccessKey: 'twin' },
    });
    const deployment = await deployPlan(plan, {
      dynamodb,
      lambda: this.lambda,
      sfn: this.sfn,
      events: this.events,
      apis: this.apis,
      iam: this.iam,
    });
    dynamodb.destroy();
    this.cloudformation.register({
      stackName: plan.stackName,
      stackId: `arn:${partitionOf(this.region)}:cloudformation:${this.region}:${this.accountId}:stack/${plan.stackName}/${randomUUID()}`,
      outputs: plan.outputs,
      createdAt: this.clock.date(),
    });
    this.log(`twin: deployed ${plan.stackName} from ${templateFile}`);
    return deployment;
  }

  async close(): Promise<void> {
    this.adminScenarios.abort();
    this.uninstallIdentity?.();
    this.uninstallIdentity = undefined;
    this.controllers?.stop();
    this.alarmEvaluator.stop();
    this.events.stop();
    this.sfn.stopAll?.();
    await this.http.close();
    await this.dynamodb?.close();
    this.dynamodb = undefined;
  }
}

/** Starts a twin; `close()` it when done. */
export const startTwin = (options: TwinOptions = {}): Promise<Twin> => new Twin(options).start();
