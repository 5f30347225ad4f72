import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  ModifyRuleCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { getAlarmStates, getRequestCounts } from '../../aws/cloudwatch';
import { applyWeights, discoverRoutes, readWeights } from '../../aws/elbv2';
import { describeShift, startShift } from '../../aws/sfn';
import { ShiftStore } from '../../aws/store';
import type { RouteState } from '../../core/routes';
import type { Twin } from '../../local/server';
import {
  clientConfig,
  DEMO_LB,
  dateHeader,
  demoConfig,
  ELBV2_VERSION,
  postForm,
  raw,
  startSeededTwin,
} from './server-fixtures';

/**
 * Every service the twin serves, through its one endpoint, with the unchanged SDK v3 clients and
 * the project's own adapters: the router must send each protocol to the right service.
 */
const MINUTE = 60_000;
const PASS_MACHINE = JSON.stringify({
  StartAt: 'Hello',
  States: { Hello: { Type: 'Pass', Result: { greeting: 'hello from the twin' }, End: true } },
});
const ROLE = 'arn:aws:iam::000000000000:role/twin-test';

let twin: Twin & { restoreEnv(): void };
let elbv2: ElasticLoadBalancingV2Client;
let cloudwatch: CloudWatchClient;
let dynamodb: DynamoDBClient;
let sfn: SFNClient;
let cloudformation: CloudFormationClient;
let sts: STSClient;

beforeAll(async () => {
  twin = await startSeededTwin({ timeScale: 60 });
  const config = clientConfig(twin.endpoint);
  elbv2 = new ElasticLoadBalancingV2Client(config);
  cloudwatch = new CloudWatchClient(config);
  dynamodb = new DynamoDBClient(config);
  sfn = new SFNClient(config);
  cloudformation = new CloudFormationClient(config);
  sts = new STSClient(config);
});

afterAll(async () => {
  for (const client of [elbv2, cloudwatch, dynamodb, sfn, cloudformation, sts]) client.destroy();
  await twin.close();
  twin.restoreEnv();
});

const routeNamed = (routes: readonly RouteState[], name: string): RouteState => {
  const found = routes.find((route) => route.name === name);
  if (found === undefined) throw new Error(`no route ${name}`);
  return found;
};

/** Whether a TCP connection to address:port is accepted. */
const tryConnect = (address: string, port: number): Promise<'connected' | 'refused'> =>
  new Promise((resolve) => {
    const socket = connect({ host: address, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', () => resolve('refused'));
    socket.once('timeout', () => {
      socket.destroy();
      resolve('refused');
    });
  });

const waitForExecution = async (executionArn: string): Promise<string | undefined> => {
  for (let i = 0; i < 200; i++) {
    const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (status !== 'RUNNING') return status;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return 'RUNNING';
};

describe('the twin endpoint with the unchanged SDK clients', () => {
  it('answers ELBv2 DescribeRules and applies ModifyRule (awsQuery, routed by the SigV4 scope)', async () => {
    // Prepare
    const { TargetGroups = [] } = await elbv2.send(
      new DescribeTargetGroupsCommand({ Names: ['blue-svc-b', 'green-svc-b'] }),
    );
    const [blue, green] = TargetGroups.map((group) => group.TargetGroupArn ?? '');
    const listener = twin.elbv2.routes().find((route) => route.hosts.includes('svc-b.demo.example.com'));
    const { Rules = [] } = await elbv2.send(new DescribeRulesCommand({ ListenerArn: listener?.listenerArn }));
    const rule = Rules.find((r) =>
      r.Conditions?.some((c) => c.HostHeaderConfig?.Values?.includes('svc-b.demo.example.com')),
    );

    // Act
    await elbv2.send(
      new ModifyRuleCommand({
        RuleArn: rule?.RuleArn,
        Actions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: blue, Weight: 30 },
                { TargetGroupArn: green, Weight: 70 },
              ],
            },
          },
        ],
      }),
    );

    // Assert
    expect(Rules).toHaveLength(10);
    const { Rules: after = [] } = await elbv2.send(
      new DescribeRulesCommand({ RuleArns: [rule?.RuleArn ?? ''] }),
    );
    expect(after[0]?.Actions?.[0]?.ForwardConfig?.TargetGroups).toEqual([
      { TargetGroupArn: blue, Weight: 30 },
      { TargetGroupArn: green, Weight: 70 },
    ]);
  });

  it('answers CloudWatch DescribeAlarms and SetAlarmState', async () => {
    // Prepare
    twin.cloudwatch.ensureAlarm('routing-blue-5xx', 'OK');

    // Act
    await cloudwatch.send(
      new SetAlarmStateCommand({ AlarmName: 'routing-blue-5xx', StateValue: 'ALARM', StateReason: 'drill' }),
    );
    const { MetricAlarms = [] } = await cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNames: ['routing-blue-5xx'] }),
    );

    // Assert
    expect(MetricAlarms).toHaveLength(1);
    expect(MetricAlarms[0]).toMatchObject({ AlarmName: 'routing-blue-5xx', StateValue: 'ALARM' });
  });

  it('answers CloudWatch GetMetricData with the traffic model’s RequestCount for a seeded target group', async () => {
    // Prepare
    const start = new Date(Math.floor(twin.clock.now() / MINUTE) * MINUTE);
    twin.clock.advance(5 * MINUTE);
    const group = twin.elbv2.targetGroups().find((g) => g.name === 'blue-reports');
    const suffix = (arn: string, marker: string) => arn.slice(arn.indexOf(marker) + marker.length);

    // Act
    const { MetricDataResults = [] } = await cloudwatch.send(
      new GetMetricDataCommand({
        // From the first whole minute after the seed, to a minute that has passed.
        StartTime: new Date(start.getTime() + MINUTE),
        EndTime: new Date(start.getTime() + 4 * MINUTE),
        MetricDataQueries: [
          {
            Id: 'reports',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/ApplicationELB',
                MetricName: 'RequestCount',
                Dimensions: [
                  { Name: 'TargetGroup', Value: `targetgroup/${suffix(group?.arn ?? '', ':targetgroup/')}` },
                  { Name: 'LoadBalancer', Value: suffix(DEMO_LB, ':loadbalancer/') },
                ],
              },
              Period: 60,
              Stat: 'Sum',
            },
          },
        ],
      }),
    );

    // Assert: reports is blue only, so blue-reports gets the route's whole 20 requests/s.
    const values = MetricDataResults[0]?.Values ?? [];
    expect(values).toEqual([20 * 60, 20 * 60, 20 * 60]);
  });

  it('hands DynamoDB CreateTable, PutItem and GetItem to dynalite', async () => {
    // Act
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'routing-items',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    await dynamodb.send(
      new PutItemCommand({ TableName: 'routing-items', Item: { id: { S: 'a' }, n: { N: '42' } } }),
    );
    const { Item } = await dynamodb.send(
      new GetItemCommand({ TableName: 'routing-items', Key: { id: { S: 'a' } } }),
    );

    // Assert
    expect(Item).toEqual({ id: { S: 'a' }, n: { N: '42' } });
  });

  it('runs a Step Functions Pass machine: ListStateMachines, CreateStateMachine, StartExecution, DescribeExecution', async () => {
    // Prepare
    const before = await sfn.send(new ListStateMachinesCommand({}));

    // Act
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({ name: 'routing-pass', definition: PASS_MACHINE, roleArn: ROLE }),
    );
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, input: '{"ignored":true}' }),
    );
    const status = await waitForExecution(executionArn ?? '');

    // Assert
    expect(before.stateMachines).toEqual([]);
    expect(status).toBe('SUCCEEDED');
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(JSON.parse(described.output ?? 'null')).toEqual({ greeting: 'hello from the twin' });
  });

  it('answers CloudFormation DescribeStacks with ValidationError for a stack it does not have', async () => {
    // Act
    const error = await cloudformation
      .send(new DescribeStacksCommand({ StackName: 'NoSuchStack' }))
      .catch((e: unknown) => e);

    // Assert
    expect(error).toMatchObject({
      name: 'ValidationError',
      message: 'Stack with id NoSuchStack does not exist',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('answers STS GetCallerIdentity with the twin account', async () => {
    // Act
    const identity = await sts.send(new GetCallerIdentityCommand({}));

    // Assert
    expect(identity).toMatchObject({ Account: '000000000000', Arn: expect.stringContaining(':user/') });
  });

  it('routes an unsigned awsQuery CloudWatch request (older SDKs, the AWS CLI) by its Version', async () => {
    // Prepare
    twin.cloudwatch.ensureAlarm('routing-query', 'ALARM');

    // Act
    const answer = await postForm(
      twin.endpoint,
      'Action=DescribeAlarms&Version=2010-08-01&AlarmNames.member.1=routing-query',
    );

    // Assert
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('<AlarmName>routing-query</AlarmName>');
    expect(answer.text).toContain('<StateValue>ALARM</StateValue>');
  });
});

describe('the project’s adapters against the twin', () => {
  it('discovers the demo routes, reads their weights and writes new ones compare-and-set', async () => {
    // Prepare
    const routes = await discoverRoutes(demoConfig, elbv2);
    const route = routeNamed(routes, 'svc-e.demo.example.com');
    const desired = Object.fromEntries(
      route.targets.map((t) => [t.targetGroupArn, t.cluster === 'blue' ? 0 : 100]),
    );

    // Act
    const result = await applyWeights([{ route, expected: route.weights, desired }], elbv2);
    const weights = await readWeights([route], elbv2);

    // Assert
    expect(routes).toHaveLength(10);
    expect(result.written).toEqual([route.id]);
    expect(weights.get(route.id)).toEqual(desired);
  });

  it('reads alarm states and RequestCount per minute through aws/cloudwatch.ts', async () => {
    // Prepare
    twin.cloudwatch.ensureAlarm('adapter-green-5xx', 'OK');
    twin.cloudwatch.ensureAlarm('adapter-blue-5xx', 'ALARM');
    const start = new Date(Math.floor(twin.clock.now() / MINUTE) * MINUTE);
    twin.clock.advance(4 * MINUTE);
    const groups = twin.elbv2.targetGroups().filter((g) => g.name.endsWith('-svc-a'));

    // Act
    const states = await getAlarmStates(['adapter-green-5xx', 'adapter-blue-5xx'], cloudwatch);
    const counts = await getRequestCounts(
      groups.map((g) => ({ targetGroupArn: g.arn, loadBalancerArn: DEMO_LB })),
      { start, end: new Date(start.getTime() + 3 * MINUTE) },
      cloudwatch,
    );

    // Assert: svc-a is split 50/50, 20 requests/s in all.
    expect(Object.fromEntries(states)).toEqual({ 'adapter-green-5xx': 'OK', 'adapter-blue-5xx': 'ALARM' });
    for (const group of groups) {
      const series = counts.get(group.arn) ?? [];
      expect(series.length).toBeGreaterThanOrEqual(2);
      expect(series.at(-1)?.sum).toBe(10 * 60);
    }
  });

  it('takes and releases the fleet lock with ShiftStore on a table made like the stack’s', async () => {
    // Prepare
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'routing-store',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    const store = new ShiftStore({
      tableName: 'routing-store',
      fleet: 'demo',
      client: dynamodb,
    });
    const now = twin.clock.date();
    const first = { executionId: 'exec-1', action: 'drain', cluster: 'blue', requestedBy: 'test' };
    const second = { executionId: 'exec-2', action: 'shift', requestedBy: 'test' };

    // Act
    await store.acquireLock(first, now, 600);
    const refused = await store.acquireLock(second, now, 600).catch((e: unknown) => e);
    const released = await store.releaseLock('exec-1');
    await store.acquireLock(second, now, 600);

    // Assert
    expect(refused).toMatchObject({ name: 'LockHeld', message: expect.stringContaining('exec-1') });
    expect(released).toBe(true);
    expect(await store.getLock()).toMatchObject({ executionId: 'exec-2', action: 'shift' });
  });

  it('starts and describes an execution with aws/sfn.ts, and names a reused execution name', async () => {
    // Prepare
    const { stateMachineArn = '' } = await sfn.send(
      new CreateStateMachineCommand({ name: 'routing-adapter', definition: PASS_MACHINE, roleArn: ROLE }),
    );

    // Act
    const started = await startShift(stateMachineArn, { action: 'drain' }, 'adapter-run', sfn);
    await waitForExecution(started.executionArn);
    const described = await describeShift(started.executionArn, sfn);
    const reused = await startShift(stateMachineArn, { action: 'other' }, 'adapter-run', sfn).catch(
      (e: unknown) => e,
    );

    // Assert
    expect(started.executionArn).toContain(':execution:routing-adapter:adapter-run');
    expect(described).toMatchObject({
      status: 'SUCCEEDED',
      input: { action: 'drain' },
      output: { greeting: 'hello from the twin' },
    });
    expect(reused).toMatchObject({ name: 'InvalidRequest' });
  });
});

describe('the Date header', () => {
  it('is twin time: it runs timeScale times faster than real time', async () => {
    // Prepare
    const first = await postForm(twin.endpoint, `Action=DescribeLoadBalancers&${ELBV2_VERSION}`);

    // Act: at least 100 real ms pass, which is at least 6 twin seconds at x60.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await postForm(twin.endpoint, `Action=DescribeLoadBalancers&${ELBV2_VERSION}`);

    // Assert (the header has whole seconds)
    expect(dateHeader(second) - dateHeader(first)).toBeGreaterThanOrEqual(5_000);
  });

  it('follows clock.advance, on errors too', async () => {
    // Prepare
    const realBefore = Date.now();

    // Act
    twin.clock.advance(86_400_000);
    const answer = await raw(twin.endpoint, { method: 'GET' });

    // Assert
    expect(answer.status).toBe(400);
    expect(dateHeader(answer)).toBeGreaterThanOrEqual(realBefore + 86_400_000);
    expect(dateHeader(answer)).toBeLessThanOrEqual(twin.clock.now());
  });
});

describe('where the twin listens', () => {
  it('listens on 127.0.0.1 only when no host is given: the machine’s other addresses refuse', async () => {
    // Prepare
    const { hostname, port } = new URL(twin.endpoint);
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((address) => address !== undefined && !address.internal && address.family === 'IPv4')
      .map((address) => address?.address ?? '');

    // Act
    const outcomes = await Promise.all(external.map((address) => tryConnect(address, Number(port))));

    // Assert
    expect(hostname).toBe('127.0.0.1');
    expect(Number(port)).toBeGreaterThan(0);
    expect(outcomes).toEqual(external.map(() => 'refused'));
  });
});
