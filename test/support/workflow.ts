import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyRuleCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { StateMachine } from 'aws-local-stepfunctions';
import { mockClient } from 'aws-sdk-client-mock';
import type { FleetConfigInput } from '../../core/config';
import { HANDLER_NAMES, type HandlerName, pascalCase } from '../../infra/handlers';
import { startDynalite } from './dynalite';
import { FakeAlb, LB_ARN, tgArn } from './fake-alb';
import { FakeCloudWatch } from './fake-cloudwatch';

// aws-local-stepfunctions needs Promise.withResolvers (Node 22); Lambda runs Node 22, we test on 20.
if (!('withResolvers' in Promise)) {
  Object.assign(Promise, {
    withResolvers<T>() {
      let resolve!: (value: T) => void;
      let reject!: (reason: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

export const ASL_PATH = join(__dirname, '../../statemachines/shift.asl.json');
/** Task names as the ASL placeholders spell them (`ApplyStep`), each with its file under functions/. */
const FILE_OF = new Map<string, HandlerName>(HANDLER_NAMES.map((file) => [pascalCase(file), file]));
const FUNCTIONS = [...FILE_OF.keys()];
type FunctionKey = string;
const functionArn = (name: FunctionKey) =>
  `arn:aws:lambda:eu-west-1:123456789012:function:clustershift-${name}`;

/** The ASL with every ${Placeholder} substituted, as CDK's definitionSubstitutions would. */
export const substitutedDefinition = () => {
  let text = readFileSync(ASL_PATH, 'utf8');
  for (const name of FUNCTIONS) text = text.replaceAll(`\${${name}FunctionArn}`, functionArn(name));
  text = text.replaceAll(`\${LambdaInvoke}`, 'arn:aws:states:::lambda:invoke');
  return JSON.parse(text);
};

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

export interface TaskCall {
  readonly state: string;
  readonly fn: FunctionKey;
  readonly payload: Record<string, unknown>;
}

export const ALARMS = { blue: 'blue-5xx', green: 'green-5xx', gate: 'fleet-latency' };

/** The fleet config the workflow tests run: one ALB, blue and green tagged, one gate alarm. */
export const testConfig = (overrides: Partial<FleetConfigInput> = {}): FleetConfigInput => ({
  fleet: 'test',
  region: 'eu-west-1',
  loadBalancers: [{ arn: LB_ARN }],
  clusters: [
    { name: 'blue', healthAlarms: [ALARMS.blue] },
    { name: 'green', healthAlarms: [ALARMS.green] },
  ],
  gateAlarms: [ALARMS.gate],
  drain: { steps: [0.25, 0.5, 0.75, 1], bakeSeconds: 60, checkIntervalSeconds: 30 },
  restore: { steps: [0.5, 1], bakeSeconds: 30, checkIntervalSeconds: 30 },
  shift: { steps: [0.5, 1], bakeSeconds: 30, checkIntervalSeconds: 30 },
  thresholds: { verifyWindowSeconds: 300, verifyIntervalSeconds: 60 },
  ...overrides,
});

/**
 * Runs shift.asl.json in aws-local-stepfunctions with the real handlers. ELBv2, CloudWatch and SNS
 * are SDK mocks backed by the fake ALB / CloudWatch; DynamoDB is dynalite (real conditional writes).
 * A virtual clock moves 30 s per task call, so bakes, leases and metric minutes pass without waiting.
 */
export class WorkflowHarness {
  alb!: FakeAlb;
  cloudwatch!: FakeCloudWatch;
  readonly calls: TaskCall[] = [];
  readonly published: string[] = [];
  /** Runs after a task returns (or throws): tests change the world mid-shift here. */
  afterTask?: (call: TaskCall) => void | Promise<void>;
  virtualNow = Date.parse('2026-11-23T10:00:00Z');
  private dynamo?: Awaited<ReturnType<typeof startDynalite>>;
  private mocks: { restore: () => void }[] = [];
  private handlers = new Map<FunctionKey, Handler>();
  /** StopExecution calls the handlers made (a failover preempting a manual shift). */
  readonly stopped: { executionArn: string; error?: string; cause?: string }[] = [];
  /** Aborts of the executions running now, by execution ARN (StopExecution ends them). */
  private readonly running = new Map<string, () => void>();
  /** When set, SNS Publish fails with this error (a notification outage). */
  snsFailure?: Error;
  /**
   * What each invocation's context says is left of its timeout (real ms; default 60 s): a test gives
   * ApplyStep or Rollback less to make it continue in another invocation.
   */
  remainingMs?: (fn: FunctionKey) => number;
  /** When set, the notify function throws this before doing anything (a broken notifier). */
  notifyFailure?: Error;
  /** SecretString of every secret GetSecretValue reads (the Slack webhook URL); unset: not found. */
  secretValue?: string;
  private runCount = 0;
  private fleetCount = 0;
  fleet = '';

  async start(): Promise<void> {
    this.dynamo = await startDynalite('clustershift-test');
    process.env.AWS_ENDPOINT_URL_DYNAMODB = this.dynamo.endpoint;
    process.env.TABLE_NAME = 'clustershift-test';
    for (const name of FUNCTIONS) {
      const mod = (await import(`../../functions/${FILE_OF.get(name)}`)) as { handler: Handler };
      this.handlers.set(name, mod.handler);
    }
    const clock = (await import(
      '../../functions/shared/clock'
    )) as typeof import('../../functions/shared/clock');
    clock.setClockSource(() => this.virtualNow);
  }

  /** A new fleet: the fake ALB with blue and green target groups tagged, alarms OK. */
  async reset(config: FleetConfigInput = testConfig()): Promise<void> {
    this.fleetCount += 1;
    // A fleet name per reset keeps DynamoDB state (lock, baseline, history) apart between tests.
    config = { ...config, fleet: `${config.fleet}-${this.fleetCount}` };
    this.fleet = config.fleet;
    this.alb = new FakeAlb(tgArn('default-404'));
    this.alb.clock = () => this.virtualNow;
    this.cloudwatch = new FakeCloudWatch(this.alb);
    for (const name of [ALARMS.blue, ALARMS.green, ALARMS.gate]) this.cloudwatch.setAlarm(name, 'OK');
    this.calls.length = 0;
    this.published.length = 0;
    this.stopped.length = 0;
    this.afterTask = undefined;
    this.remainingMs = undefined;
    this.snsFailure = undefined;
    this.notifyFailure = undefined;
    this.secretValue = undefined;
    this.virtualNow += 3_600_000;
    process.env.FLEET_CONFIG = JSON.stringify(config);
    const runtime = (await import(
      '../../functions/shared/runtime'
    )) as typeof import('../../functions/shared/runtime');
    runtime.resetRuntime();
    this.installMocks();
  }

  private installMocks(): void {
    for (const mock of this.mocks) mock.restore();
    const alb = this.alb;
    const cw = this.cloudwatch;
    const elb = mockClient(ElasticLoadBalancingV2Client);
    elb.on(DescribeListenersCommand).callsFake((input) => alb.describeListeners(input));
    elb.on(DescribeRulesCommand).callsFake((input) => alb.describeRules(input));
    elb.on(DescribeTagsCommand).callsFake((input) => alb.describeTags(input));
    elb.on(DescribeTargetHealthCommand).callsFake((input) => alb.describeTargetHealth(input));
    elb.on(ModifyRuleCommand).callsFake((input) => alb.modifyRule(input));
    elb.on(ModifyListenerCommand).callsFake((input) => alb.modifyListener(input));
    const cloudwatch = mockClient(CloudWatchClient);
    cloudwatch.on(DescribeAlarmsCommand).callsFake((input) => cw.describeAlarms(input));
    cloudwatch.on(GetMetricDataCommand).callsFake((input) => cw.getMetricData(input));
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).callsFake((input: { Message?: string }) => {
      if (this.snsFailure) throw this.snsFailure;
      this.published.push(input.Message ?? '');
      return { MessageId: 'm-1' };
    });
    const sfn = mockClient(SFNClient);
    sfn
      .on(StopExecutionCommand)
      .callsFake((input: { executionArn: string; error?: string; cause?: string }) => {
        this.stopped.push(input);
        const abort = this.running.get(input.executionArn);
        if (abort === undefined) {
          throw Object.assign(new Error(`Execution Does Not Exist: '${input.executionArn}'`), {
            name: 'ExecutionDoesNotExist',
            $metadata: { httpStatusCode: 400 },
          });
        }
        abort();
        return { stopDate: new Date(this.virtualNow) };
      });
    const secrets = mockClient(SecretsManagerClient);
    secrets.on(GetSecretValueCommand).callsFake((input: { SecretId?: string }) => {
      if (this.secretValue === undefined) {
        throw Object.assign(new Error(`Secrets Manager can't find the specified secret ${input.SecretId}.`), {
          name: 'ResourceNotFoundException',
          $metadata: { httpStatusCode: 400 },
        });
      }
      return { Name: input.SecretId, SecretString: this.secretValue };
    });
    this.mocks = [elb, cloudwatch, sns, sfn, secrets];
  }

  /** Adds a service on blue and green (weights by cluster) and returns its rule ARN. */
  addService(
    host: string,
    weights: Record<string, number>,
    options: { oidc?: boolean; stickiness?: boolean } = {},
  ) {
    const byArn: Record<string, number> = {};
    for (const [cluster, weight] of Object.entries(weights)) {
      const arn = tgArn(`${host.split('.')[0]}-${cluster}`);
      this.alb.tagTargetGroup(arn, cluster);
      byArn[arn] = weight;
    }
    return this.alb.addRoute(host, byArn, options);
  }

  clusterWeights(ruleArn: string): Record<string, number> {
    const result: Record<string, number> = {};
    for (const [arn, weight] of Object.entries(this.alb.weightsOf(ruleArn))) {
      const cluster = this.alb.tags.get(arn)?.['clustershift:cluster'] ?? 'none';
      result[cluster] = (result[cluster] ?? 0) + weight;
    }
    return result;
  }

  private overrides(definition: { States: Record<string, unknown> }) {
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    const visit = (states: Record<string, unknown>) => {
      for (const [stateName, raw] of Object.entries(states)) {
        const state = raw as {
          Type: string;
          Parameters?: { FunctionName?: string };
          ItemProcessor?: { States: Record<string, unknown> };
        };
        if (state.ItemProcessor) visit(state.ItemProcessor.States);
        if (state.Type !== 'Task') continue;
        handlers[stateName] = async (input) => {
          const { FunctionName, Payload } = input as {
            FunctionName: string;
            Payload: Record<string, unknown>;
          };
          const fn = FUNCTIONS.find((f) => functionArn(f) === FunctionName);
          if (fn === undefined) throw new Error(`unknown function ${FunctionName}`);
          const call: TaskCall = { state: stateName, fn, payload: Payload };
          this.calls.push(call);
          this.virtualNow += 30_000;
          try {
            if (fn === 'Notify' && this.notifyFailure !== undefined) throw this.notifyFailure;
            const result = await (this.handlers.get(fn) as Handler)(structuredClone(Payload), {
              functionName: fn,
              awsRequestId: `req-${this.calls.length}`,
              getRemainingTimeInMillis: () => this.remainingMs?.(fn) ?? 60_000,
            });
            return { StatusCode: 200, Payload: result };
          } finally {
            await this.afterTask?.(call);
          }
        };
      }
    };
    visit(definition.States);
    return handlers;
  }

  /** Runs one execution to its end; returns its status, output or error, and the task calls. */
  async run(input: Record<string, unknown>) {
    const definition = substitutedDefinition();
    const machine = new StateMachine(definition, { validationOptions: { checkPaths: true } });
    const waits: Record<string, number> = {};
    const retries: Record<string, number> = {};
    const collect = (
      states: Record<string, { Type: string; ItemProcessor?: { States: Record<string, never> } }>,
    ) => {
      for (const [name, state] of Object.entries(states)) {
        if (state.Type === 'Wait') waits[name] = 0;
        if (state.Type === 'Task') retries[name] = 0;
        if (state.ItemProcessor) collect(state.ItemProcessor.States);
      }
    };
    collect(definition.States);
    this.runCount += 1;
    const executionId = `arn:aws:states:eu-west-1:123456789012:execution:clustershift:run-${this.runCount}-${this.virtualNow}`;
    const execution = machine.run(input as Parameters<typeof machine.run>[0], {
      overrides: {
        taskResourceLocalHandlers: this.overrides(definition) as Record<
          string,
          (input: unknown) => Promise<never>
        >,
        waitTimeOverrides: waits,
        // Retries run at once (a failover waiting for another, an AWS call retried): the virtual
        // clock moves with each task call instead.
        retryIntervalOverrides: retries,
      },
      context: {
        Execution: {
          Id: executionId,
          Name: `run-${this.runCount}`,
          StartTime: new Date(this.virtualNow).toISOString(),
        },
      },
    });
    this.running.set(executionId, () => execution.abort());
    try {
      const output = await execution.result;
      return { status: 'SUCCEEDED' as const, output: output as Record<string, unknown>, executionId };
    } catch (error) {
      // StopExecution: the runner rejects with its abort error; the in-flight task runs on, as in AWS.
      if ((error as Error).name === 'ExecutionAbortedError') {
        return { status: 'ABORTED' as const, error: 'Aborted', cause: '', executionId };
      }
      // The runner wraps the Fail state's error: name = Error, message = Cause.
      const failed = ((error as { cause?: unknown }).cause ?? error) as { name?: string; message?: string };
      return {
        status: 'FAILED' as const,
        error: failed.name ?? 'Error',
        cause: failed.message ?? '',
        executionId,
      };
    } finally {
      this.running.delete(executionId);
    }
  }

  /** Calls one handler directly, as Lambda would, with the harness's virtual clock. */
  async invoke(fn: FunctionKey, payload: Record<string, unknown>): Promise<unknown> {
    const handler = this.handlers.get(fn) as Handler;
    return handler(structuredClone(payload), {
      functionName: fn,
      awsRequestId: 'direct',
      getRemainingTimeInMillis: () => this.remainingMs?.(fn) ?? 60_000,
    });
  }

  /** The store the handlers use, for tests that set flags or hold the lock themselves. */
  async store() {
    const runtime = (await import(
      '../../functions/shared/runtime'
    )) as typeof import('../../functions/shared/runtime');
    return runtime.getRuntime().store;
  }

  async stop(): Promise<void> {
    for (const mock of this.mocks) mock.restore();
    await this.dynamo?.close();
  }
}
