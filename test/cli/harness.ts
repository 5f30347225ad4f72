import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyRuleCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DescribeExecutionCommand,
  type ExecutionStatus,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { stringify } from 'yaml';
import { ShiftStore } from '../../aws/store';
import { run } from '../../cli/main';
import { startDynalite } from '../support/dynalite';
import { FakeAlb, LB_ARN, tgArn } from '../support/fake-alb';
import { FakeCloudWatch } from '../support/fake-cloudwatch';

export const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:clustershift-test';
export const executionArn = (name: string) =>
  `arn:aws:states:eu-west-1:123456789012:execution:clustershift-test:${name}`;
export const ALARMS = { blue: 'blue-5xx', green: 'green-5xx', gate: 'fleet-latency' };

/** A fleet config as written in YAML: one ALB, blue and green by tag, one gate alarm. */
export const fleetYaml = (fleet: string, overrides: Record<string, unknown> = {}) => ({
  fleet,
  region: 'eu-west-1',
  loadBalancers: [{ arn: LB_ARN }],
  clusters: [
    { name: 'blue', healthAlarms: [ALARMS.blue] },
    { name: 'green', healthAlarms: [ALARMS.green] },
  ],
  gateAlarms: [ALARMS.gate],
  drain: { steps: [0.5, 1], bakeSeconds: 60, checkIntervalSeconds: 30 },
  ...overrides,
});

interface FakeExecution {
  readonly arn: string;
  readonly name: string;
  readonly input: string;
  /** Statuses DescribeExecution reports, one per call; the last one repeats. */
  statuses: ExecutionStatus[];
  output?: unknown;
  error?: string;
  cause?: string;
}

/** AWS's error shape, as the SDK raises it. */
const awsError = (name: string, message: string) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });

/**
 * Runs the CLI in-process against a fake AWS: the in-memory ALB and CloudWatch of test/support,
 * Step Functions and CloudFormation stubs, and DynamoDB in dynalite (the real store, real writes).
 */
export class CliHarness {
  alb!: FakeAlb;
  cloudwatch!: FakeCloudWatch;
  fleet = '';
  configPath = '';
  stackExists = true;
  /** Runs whenever the CLI waits between polls: tests move the world on here. */
  onSleep?: () => Promise<void> | void;
  readonly executions = new Map<string, FakeExecution>();
  readonly elb = mockClient(ElasticLoadBalancingV2Client);
  readonly cw = mockClient(CloudWatchClient);
  readonly sfn = mockClient(SFNClient);
  readonly cfn = mockClient(CloudFormationClient);
  private dynamo?: Awaited<ReturnType<typeof startDynalite>>;
  private fleets = 0;
  readonly dir = mkdtempSync(join(tmpdir(), 'clustershift-cli-'));

  async start(): Promise<void> {
    this.dynamo = await startDynalite('clustershift-cli');
  }

  async stop(): Promise<void> {
    for (const mock of [this.elb, this.cw, this.sfn, this.cfn]) mock.restore();
    await this.dynamo?.close();
  }

  /** A new fleet (its own name, so DynamoDB items never mix) with blue and green healthy. */
  reset(overrides: Record<string, unknown> = {}): void {
    this.fleets += 1;
    this.fleet = `cli${this.fleets}`;
    this.configPath = this.writeConfig(fleetYaml(this.fleet, overrides));
    this.alb = new FakeAlb(tgArn('default-404'));
    this.cloudwatch = new FakeCloudWatch(this.alb);
    for (const name of Object.values(ALARMS)) this.cloudwatch.setAlarm(name, 'OK');
    this.executions.clear();
    this.stackExists = true;
    this.onSleep = undefined;
    this.installMocks();
  }

  writeConfig(value: unknown, name = `${this.fleet}.yaml`): string {
    const path = join(this.dir, name);
    writeFileSync(path, typeof value === 'string' ? value : stringify(value));
    return path;
  }

  /** A service on the given clusters (weights by cluster); returns its rule ARN. */
  addService(host: string, weights: Record<string, number>): string {
    const byArn: Record<string, number> = {};
    for (const [cluster, weight] of Object.entries(weights)) {
      const arn = tgArn(`${host.split('.')[0]}-${cluster}`);
      this.alb.tagTargetGroup(arn, cluster);
      byArn[arn] = weight;
    }
    return this.alb.addRoute(host, byArn);
  }

  /** An execution the fake Step Functions knows, with the statuses it will report. */
  addExecution(name: string, statuses: ExecutionStatus[], end: Partial<FakeExecution> = {}): string {
    const arn = executionArn(name);
    this.executions.set(arn, { arn, name, input: '{}', statuses, ...end });
    return arn;
  }

  /** Where dynalite listens: a real endpoint tests can point --endpoint-url at. */
  get dynamoEndpoint(): string {
    return this.dynamo?.endpoint ?? '';
  }

  store(): ShiftStore {
    if (this.dynamo === undefined) throw new Error('start() first');
    return new ShiftStore({
      tableName: this.dynamo.tableName,
      fleet: this.fleet,
      client: this.dynamo.client,
    });
  }

  /** One raw item of the table, e.g. the control flags' `updatedBy`. */
  async item(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
    if (this.dynamo === undefined) throw new Error('start() first');
    const result = await this.dynamo.client.send(
      new GetItemCommand({ TableName: this.dynamo.tableName, Key: { pk: { S: pk }, sk: { S: sk } } }),
    );
    return result.Item === undefined ? undefined : unmarshall(result.Item);
  }

  /** Calls that change something, on any service but DynamoDB. */
  writes(): string[] {
    return [
      ...this.elb.commandCalls(ModifyRuleCommand).map(() => 'ModifyRule'),
      ...this.elb.commandCalls(ModifyListenerCommand).map(() => 'ModifyListener'),
      ...this.sfn.commandCalls(StartExecutionCommand).map(() => 'StartExecution'),
      ...this.sfn.commandCalls(StopExecutionCommand).map(() => 'StopExecution'),
    ];
  }

  /** Every AWS call made through the mocked clients. */
  callCount(): number {
    return [this.elb, this.cw, this.sfn, this.cfn].reduce((sum, mock) => sum + mock.calls().length, 0);
  }

  startedInputs(): Record<string, unknown>[] {
    return this.sfn
      .commandCalls(StartExecutionCommand)
      .map((call) => JSON.parse(call.args[0].input.input ?? '{}'));
  }

  /** Runs `clustershift <argv> --config <fleet config>` and collects its output. */
  async run(argv: readonly string[], options: { config?: boolean; signal?: AbortSignal } = {}) {
    let stdout = '';
    let stderr = '';
    const args = options.config === false ? [...argv] : [...argv, '--config', this.configPath];
    const code = await run(args, {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: { AWS_ENDPOINT_URL_DYNAMODB: this.dynamo?.endpoint, USER: 'tester' },
      cwd: this.dir,
      sleep: async () => {
        await this.onSleep?.();
      },
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    return { code, stdout, stderr };
  }

  private installMocks(): void {
    for (const mock of [this.elb, this.cw, this.sfn, this.cfn]) mock.reset();
    const alb = this.alb;
    const cw = this.cloudwatch;
    this.elb.on(DescribeListenersCommand).callsFake((input) => alb.describeListeners(input));
    this.elb.on(DescribeRulesCommand).callsFake((input) => alb.describeRules(input));
    this.elb.on(DescribeTagsCommand).callsFake((input) => alb.describeTags(input));
    this.elb.on(DescribeTargetHealthCommand).callsFake((input) => alb.describeTargetHealth(input));
    this.elb.on(ModifyRuleCommand).callsFake((input) => alb.modifyRule(input));
    this.elb.on(ModifyListenerCommand).callsFake((input) => alb.modifyListener(input));
    this.cw.on(DescribeAlarmsCommand).callsFake((input) => cw.describeAlarms(input));
    this.cw.on(GetMetricDataCommand).callsFake((input) => cw.getMetricData(input));
    this.cfn.on(DescribeStacksCommand).callsFake((input: { StackName?: string }) => {
      if (!this.stackExists || input.StackName !== `ClusterShift-${this.fleet}`) {
        throw awsError('ValidationError', `Stack with id ${input.StackName} does not exist`);
      }
      return {
        Stacks: [
          {
            StackName: input.StackName,
            StackStatus: 'CREATE_COMPLETE',
            CreationTime: new Date(),
            Outputs: [
              { OutputKey: 'StateMachineArn', OutputValue: STATE_MACHINE },
              { OutputKey: 'TableName', OutputValue: this.dynamo?.tableName },
            ],
          },
        ],
      };
    });
    this.sfn.on(StartExecutionCommand).callsFake((input: { name?: string; input?: string }) => {
      const name = input.name ?? 'unnamed';
      const arn = executionArn(name);
      this.executions.set(arn, { arn, name, input: input.input ?? '{}', statuses: ['RUNNING'] });
      return { executionArn: arn, startDate: new Date() };
    });
    this.sfn.on(DescribeExecutionCommand).callsFake((input: { executionArn?: string }) => {
      const execution = this.executions.get(input.executionArn ?? '');
      if (execution === undefined) throw awsError('ExecutionDoesNotExist', 'Execution Does Not Exist');
      const status = execution.statuses.length > 1 ? execution.statuses.shift() : execution.statuses[0];
      const ended = status !== 'RUNNING';
      return {
        executionArn: execution.arn,
        stateMachineArn: STATE_MACHINE,
        name: execution.name,
        status,
        input: execution.input,
        startDate: new Date(),
        ...(ended && execution.output !== undefined ? { output: JSON.stringify(execution.output) } : {}),
        ...(ended && execution.error !== undefined ? { error: execution.error, cause: execution.cause } : {}),
      };
    });
    this.sfn.on(ListExecutionsCommand).callsFake((input: { statusFilter?: string }) => ({
      executions: [...this.executions.values()]
        .filter((e) => input.statusFilter === undefined || e.statuses[0] === input.statusFilter)
        .map((e) => ({
          executionArn: e.arn,
          stateMachineArn: STATE_MACHINE,
          name: e.name,
          status: e.statuses[0],
          startDate: new Date(),
        })),
    }));
    this.sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
  }
}
