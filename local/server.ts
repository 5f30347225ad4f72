import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TWIN_CLOCK_SYMBOL, TWIN_SLEEP_SYMBOL } from '../functions/shared/clock';
import { type AdminContext, handleAdmin } from './admin';
import { type ApiLimitsOption, ApiThrottle } from './api-throttle';
import { HttpApiTwin } from './apigateway';
import { TwinClock } from './clock';
import { CloudFormationTwin } from './cloudformation';
import { CloudWatchTwin } from './cloudwatch';
import { AlarmEvaluator } from './cloudwatch/evaluate';
import { handleCloudWatchCbor, handleCloudWatchJson, handleCloudWatchQuery } from './cloudwatch/wire';
import { startDynamoDb, type TwinDynamoDb } from './dynamodb';
import { Elbv2Twin } from './elbv2';
import { TwinError } from './errors';
import { EventBridgeTwin } from './events';
import { FaultInjector, type TwinServiceName } from './faults';
import { readBody } from './http/body';
import { decodeJsonInput, encodeJsonError, encodeJsonOutput } from './http/json';
import { encodeRestJsonError, restJsonErrorHeaders } from './http/rest-json';
import { isAwsApiCall, type RequestRoute, routeRequest } from './http/route';
import { IamAuthority } from './iam/authority';
import { installCredentialRewrite } from './iam/identity';
import type { DeployedFunction, LambdaHandler } from './lambda/function';
import { LambdaInvokeApi } from './lambda/invoke-api';
import { LambdaRuntime } from './lambda/runtime';
import { LbControllers, type LbControllersOption } from './lb-controllers';
import { decodeCbor, encodeCborError } from './protocol/cbor';
import { decodeQuery, encodeQueryError, encodeQueryResponse } from './protocol/query';
import { SecretsManagerTwin } from './secretsmanager';
import type { TwinInput, TwinService } from './service';
import { StepFunctionsTwin } from './sfn';
import { SlackSink } from './slack-sink';
import { SnsTwin } from './sns';
import { StsTwin } from './sts';
import { deployPlan } from './template/deploy';
import { loadTemplate } from './template/load';
import { TrafficModel } from './traffic/model';

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
  /** Requests per second per route in the traffic model. Default 20. */
  readonly ratePerRoute?: number;
  /**
   * AWS's documented API rate limits (local/limits.ts), enforced for every caller alike: on by
   * default; `false` turns them off, an object sets other figures (a raised limit).
   */
  readonly apiLimits?: ApiLimitsOption;
  /** Simulated AWS Load Balancer Controllers spending the same ELBv2 buckets in the background. */
  readonly lbControllers?: LbControllersOption;
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

interface QueryService {
  readonly name: TwinServiceName;
  readonly namespace: string;
  readonly service: TwinService;
}

/** awsQuery APIs by version, and by the SigV4 signing name the SDK puts in the credential scope. */
const QUERY_VERSIONS: Record<string, string> = {
  '2015-12-01': 'elasticloadbalancing',
  '2010-08-01': 'monitoring',
  '2010-05-15': 'cloudformation',
  '2011-06-15': 'sts',
  '2010-03-31': 'sns',
};

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
  private server: Server | undefined;
  private controllers: LbControllers | undefined;
  private dynamodb: TwinDynamoDb | undefined;
  private endpointUrl = '';
  private readonly log: (line: string) => void;
  private readonly queryServices: Record<string, QueryService>;
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
    this.sts = new StsTwin(this.accountId);
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
    this.queryServices = {
      elasticloadbalancing: {
        name: 'elbv2',
        namespace: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
        service: this.elbv2,
      },
      cloudformation: {
        name: 'cloudformation',
        namespace: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
        service: this.cloudformation,
      },
      sts: { name: 'sts', namespace: 'https://sts.amazonaws.com/doc/2011-06-15/', service: this.sts },
      sns: { name: 'sns', namespace: 'http://sns.amazonaws.com/doc/2010-03-31/', service: this.sns },
    };
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
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        // handle() answers every error itself; reaching here means the response could not be written.
        this.log(`twin: response failed: ${error instanceof Error ? error.message : String(error)}`);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 4566, this.options.host ?? '127.0.0.1', () => resolve());
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.endpointUrl = `http://${host}:${address.port}`;
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
      stackId: `arn:aws:cloudformation:${this.region}:${this.accountId}:stack/${plan.stackName}/${randomUUID()}`,
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
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await this.dynamodb?.close();
    this.dynamodb = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    res.setHeader('x-amzn-RequestId', requestId);
    // The twin's clock, so clients that read the service's time (the CLI) agree with its metrics.
    res.setHeader('Date', this.clock.date().toUTCString());
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routeRequest(method, req.url ?? '/', req.headers);
    // HTTP API routes first: their paths are the deployer's (/slack/commands), and an AWS SDK call
    // never takes one (isAwsApiCall); /_twin/ stays the admin endpoint's.
    const admin = path === '/_twin' || path.startsWith('/_twin/');
    if (!admin && !isAwsApiCall(req.headers)) {
      const match = this.apis.match(method, path);
      if (match !== undefined) {
        await this.apis.serve(req, res, match);
        return;
      }
      // With APIs deployed, an unsigned request to a path no AWS protocol uses is the API's: API
      // Gateway's 404. (`/` stays AWS's: unsigned awsQuery posts go there.)
      if (this.apis.serving() && path !== '/' && (route.kind === 'query' || route.kind === 'unknown')) {
        this.apis.notFound(res);
        return;
      }
    }
    try {
      await this.dispatch(route, req, res, requestId);
    } catch (error) {
      const twinError = asTwinError(error);
      if (!(error instanceof TwinError)) {
        this.log(
          `twin: internal error on ${describeRoute(route)}: ${error instanceof Error ? error.stack : String(error)}`,
        );
      }
      if (res.headersSent) {
        res.end();
        return;
      }
      this.sendError(route, twinError, res, requestId);
    }
  }

  private async dispatch(route: RequestRoute, req: IncomingMessage, res: ServerResponse, requestId: string) {
    switch (route.kind) {
      case 'admin': {
        const body = await readBody(req);
        const answer = await handleAdmin(
          this.adminContext(),
          req.method ?? 'GET',
          req.url ?? '/',
          body,
          req.headers,
        );
        if (answer.contentType !== undefined) {
          send(res, answer.status, { 'content-type': answer.contentType }, String(answer.body));
          return;
        }
        send(
          res,
          answer.status,
          { 'content-type': 'application/json' },
          JSON.stringify(answer.body, null, 2),
        );
        return;
      }
      case 'dynamodb': {
        await this.faults.apply('dynamodb', route.operation);
        if (this.dynamodb === undefined)
          throw new TwinError('ServiceUnavailable', 'DynamoDB is not running', 503);
        // IAM needs the table from the body: read it for a function's call, then replay it to dynalite.
        if (this.iam.isEnabled && this.iam.principalOf(req.headers.authorization) !== undefined) {
          const body = await readBody(req);
          this.iam.authorizeCall(req.headers.authorization, 'dynamodb', route.operation, jsonOrEmpty(body));
          this.dynamodb.handleRead(req, body, res);
          return;
        }
        this.dynamodb.handle(req, res);
        return;
      }
      case 'json': {
        const body = await readBody(req);
        await this.faults.apply(route.service, route.operation);
        this.iam.authorizeCall(req.headers.authorization, route.service, route.operation, jsonOrEmpty(body));
        if (route.service === 'cloudwatch') {
          const answer = await handleCloudWatchJson(this.cloudwatch, route.operation, body.toString('utf8'));
          send(res, answer.status, answer.headers, answer.body);
          return;
        }
        const service: TwinService = { sfn: this.sfn, events: this.events, secretsmanager: this.secrets }[
          route.service
        ];
        const operation = ownEntry(service.operations, route.operation);
        if (operation === undefined) {
          throw new TwinError('UnknownOperationException', `unknown operation ${route.operation}`);
        }
        const output = await operation(decodeJsonInput(body));
        send(res, 200, { 'content-type': jsonContentType(route) }, encodeJsonOutput(output));
        return;
      }
      case 'rest': {
        // Lambda's synchronous payload limit is 6 MB.
        const body = await readBody(req, 6 * 1024 * 1024 + 1);
        await this.faults.apply('lambda', 'Invoke');
        this.iam.authorizeCall(req.headers.authorization, 'lambda', 'Invoke', { path: req.url ?? '/' });
        const headers: Record<string, string | undefined> = {
          'x-amz-invocation-type': headerText(req.headers['x-amz-invocation-type']),
        };
        const answer = await this.lambdaApi.handle(req.method ?? 'GET', req.url ?? '/', headers, body);
        send(res, answer.status, { ...answer.headers }, answer.body);
        return;
      }
      case 'cbor': {
        const body = await readBody(req);
        await this.faults.apply('cloudwatch', route.operation);
        this.iam.authorizeCall(req.headers.authorization, 'cloudwatch', route.operation, cborOrEmpty(body));
        const answer = await handleCloudWatchCbor(this.cloudwatch, route.operation, body);
        send(res, answer.status, answer.headers, answer.body);
        return;
      }
      case 'query': {
        const body = await readBody(req);
        const decoded = decodeQuery(body.toString('utf8'));
        const signingName = route.scope ?? ownEntry(QUERY_VERSIONS, decoded.version);
        if (signingName === 'monitoring') {
          await this.faults.apply('cloudwatch', decoded.action);
          this.iam.authorizeCall(req.headers.authorization, 'cloudwatch', decoded.action, decoded.input);
          const answer = await handleCloudWatchQuery(this.cloudwatch, decoded);
          send(res, answer.status, answer.headers, answer.body);
          return;
        }
        const target = signingName === undefined ? undefined : ownEntry(this.queryServices, signingName);
        if (target === undefined) {
          throw new TwinError(
            'InvalidAction',
            `no service here answers Action=${decoded.action} Version=${decoded.version}`,
          );
        }
        const expected = Object.entries(QUERY_VERSIONS).find(([, name]) => name === signingName)?.[0];
        if (decoded.version !== expected) {
          throw new TwinError(
            'InvalidAction',
            `Could not find operation ${decoded.action} for version ${decoded.version || '(none)'}`,
          );
        }
        const operation = ownEntry(target.service.operations, decoded.action);
        if (operation === undefined) {
          throw new TwinError(
            'InvalidAction',
            `Could not find operation ${decoded.action} for version ${decoded.version}`,
          );
        }
        await this.faults.apply(target.name, decoded.action);
        this.iam.authorizeCall(req.headers.authorization, target.name, decoded.action, decoded.input);
        // After the faults: an injected latency is the network's, and the bucket is checked on arrival.
        if (target.name === 'elbv2') this.throttle.admitElbv2(decoded.action);
        const output = await operation(decoded.input);
        send(
          res,
          200,
          { 'content-type': 'text/xml' },
          encodeQueryResponse(decoded.action, target.namespace, output, requestId),
        );
        return;
      }
      case 'unknown':
        throw new TwinError('UnknownOperationException', route.reason, 400);
    }
  }

  private sendError(route: RequestRoute, error: TwinError, res: ServerResponse, requestId: string): void {
    switch (route.kind) {
      case 'query':
      case 'unknown':
        if (route.kind === 'query') {
          // The service's XML namespace when the signature names the service (AWS puts it there).
          const namespace =
            route.scope === undefined ? '' : (ownEntry(this.queryServices, route.scope)?.namespace ?? '');
          send(
            res,
            error.status,
            { 'content-type': 'text/xml' },
            encodeQueryError(error, namespace, requestId),
          );
          return;
        }
        send(res, error.status, { 'content-type': 'application/json' }, encodeJsonError(error));
        return;
      case 'json':
      case 'dynamodb':
      case 'admin': {
        const headers: Record<string, string> = { 'content-type': jsonContentType(route) };
        if (route.kind === 'json' && route.service === 'cloudwatch') {
          headers['x-amzn-query-error'] = `${error.code};${error.fault}`;
        }
        send(res, error.status, headers, encodeJsonError(error));
        return;
      }
      case 'rest':
        send(res, error.status, restJsonErrorHeaders(error), encodeRestJsonError(error));
        return;
      case 'cbor': {
        send(
          res,
          error.status,
          {
            'content-type': 'application/cbor',
            'smithy-protocol': 'rpc-v2-cbor',
            'x-amzn-query-error': `${error.code};${error.fault}`,
          },
          encodeCborError(error),
        );
        return;
      }
    }
  }

  private adminContext(): AdminContext {
    return { twin: this, scenarioSignal: this.adminScenarios.signal };
  }
}

/**
 * `record[key]` only for the record's own keys: operation and version names come from the request,
 * and `toString` or `__proto__` must not find Object.prototype's members.
 */
const ownEntry = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

const send = (
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string | Uint8Array,
): void => {
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

/** EventBridge and Secrets Manager speak awsJson 1.1; the other JSON services here 1.0. */
const jsonContentType = (route: RequestRoute): string =>
  route.kind === 'json' && (route.service === 'events' || route.service === 'secretsmanager')
    ? 'application/x-amz-json-1.1'
    : 'application/x-amz-json-1.0';

/**
 * A request body as IAM reads it to find the resources: a body the service itself will refuse as
 * malformed is authorized as having none (the service's own error follows).
 */
const jsonOrEmpty = (body: Buffer): TwinInput => {
  try {
    return decodeJsonInput(body);
  } catch {
    return {};
  }
};

const cborOrEmpty = (body: Buffer): TwinInput => {
  try {
    return decodeCbor(body);
  } catch {
    return {};
  }
};

const headerText = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

const asTwinError = (error: unknown): TwinError =>
  error instanceof TwinError
    ? error
    : new TwinError(
        'InternalFailure',
        'the twin failed to handle this request (see its log)',
        500,
        'Receiver',
      );

const describeRoute = (route: RequestRoute): string => {
  switch (route.kind) {
    case 'json':
    case 'cbor':
      return `${route.service} ${route.operation}`;
    case 'dynamodb':
      return `dynamodb ${route.operation}`;
    case 'rest':
      return `${route.service} ${route.path.slice(0, 100)}`;
    case 'admin':
      return `admin ${route.path}`;
    case 'query':
      return `query (${route.scope ?? 'no scope'})`;
    case 'unknown':
      return 'unknown';
  }
};

/** Starts a twin; `close()` it when done. */
export const startTwin = (options: TwinOptions = {}): Promise<Twin> => new Twin(options).start();
