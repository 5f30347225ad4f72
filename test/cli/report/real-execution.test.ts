import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { stringify } from 'yaml';
import { ShiftStore } from '../../../aws/store';
import { chunkSk, execPk, fleetPk, historySk, SK } from '../../../aws/store-keys';
import { run } from '../../../cli/main';
import { type CollectInput, collectReport } from '../../../cli/report/collect';
import { clockTime } from '../../../cli/report/format';
import { validateFleetConfig } from '../../../core/config';
import { LB, tg } from '../../aws/elbv2-fixtures';
import {
  CLUSTERS,
  type ClusterName,
  clusterMinutes,
  DRAIN,
  minuteAt,
  ROUTE_NAMES,
  type RouteName,
  requestsInMinute,
} from './drain-fixture';

/**
 * `clustershift report` for an execution on AWS, with no twin: CloudFormation, DynamoDB, Step
 * Functions and CloudWatch are aws-sdk-client-mock stubs answering as AWS does (CloudWatch leaves
 * out idle minutes and publishes two minutes late). The drain is the one of drain-fixture.ts.
 */

const MINUTE = 60_000;
const FLEET = 'prod-eu';
const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:ClusterShift-prod-eu';
const TABLE = 'clustershift-prod-eu';
const NAME = 'cli-drain-blue-1';
const ARN = `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:${NAME}`;
/** CloudWatch makes a minute's datapoint available this long after the minute ends. */
const CLOUDWATCH_LAG_MS = 2 * MINUTE;

const targetGroup = (route: RouteName, cluster: ClusterName) => tg(`${route}-${cluster}`);
const FLEET_CONFIG = {
  fleet: FLEET,
  region: 'eu-west-1',
  loadBalancers: [{ arn: LB }],
  clusters: CLUSTERS.map((cluster) => ({
    name: cluster,
    targetGroups: ROUTE_NAMES.map((route) => targetGroup(route, cluster)),
  })),
};

const cfn = mockClient(CloudFormationClient);
const dynamo = mockClient(DynamoDBClient);
const sfn = mockClient(SFNClient);
const cloudwatch = mockClient(CloudWatchClient);
const elbv2 = mockClient(ElasticLoadBalancingV2Client);
const dir = mkdtempSync(join(tmpdir(), 'clustershift-report-'));
const configPath = join(dir, 'clustershift.yaml');

afterAll(() => {
  for (const mock of [cfn, dynamo, sfn, cloudwatch, elbv2]) mock.restore();
  rmSync(dir, { recursive: true, force: true });
});

/** The drain as DynamoDB holds it after the workflow: history (with its pointer) and the stored plan. */
const tableItems = (t0: number, running: { stepsWritten: number } | undefined) => {
  const at = (minute: number) => minuteAt(t0, minute).toISOString();
  const written = running?.stepsWritten ?? DRAIN.stepMinutes.length;
  const steps = DRAIN.stepMinutes.slice(0, written).map((minute, index) => {
    const blue = DRAIN.blueShares[index] ?? 0;
    return {
      kind: 'step',
      index,
      at: at(minute),
      written: 2,
      alreadyDesired: 0,
      shares: { blue, green: 1 - blue },
    };
  });
  const sk = historySk(minuteAt(t0, 0), ARN);
  const history = {
    pk: fleetPk(FLEET),
    sk,
    executionId: ARN,
    action: 'drain',
    cluster: 'blue',
    requestedBy: 'cli:alice',
    reason: 'EKS 1.31 upgrade',
    startedAt: at(0),
    planSummary: null,
    forced: [],
    status: running === undefined ? 'SUCCEEDED' : 'RUNNING',
    steps:
      running === undefined
        ? [...steps, { kind: 'verify', at: at(DRAIN.verifyMinute), drained: true, stillReceiving: [] }]
        : steps,
    ...(running === undefined ? { finishedAt: at(DRAIN.finishMinute) } : {}),
  };
  const routePlans = ROUTE_NAMES.map((route) => ({
    route: {
      id: `rule-${route}`,
      kind: 'rule',
      listenerArn: `${LB.replace(':loadbalancer/', ':listener/')}/0000000000000443`,
      loadBalancerArn: LB,
      name: `${route}.example.com`,
      targets: CLUSTERS.map((cluster) => ({ targetGroupArn: targetGroup(route, cluster), cluster })),
      controllerOwned: false,
    },
    from: { [targetGroup(route, 'blue')]: 50, [targetGroup(route, 'green')]: 50 },
    to: { [targetGroup(route, 'blue')]: 0, [targetGroup(route, 'green')]: 100 },
  }));
  return [
    { pk: execPk(ARN), sk: SK.history, historySk: sk },
    history,
    {
      pk: execPk(ARN),
      sk: SK.plan,
      meta: { steps: [0.25, 0.5, 0.75, 1], bakeSeconds: DRAIN.bakeMinutes * 60 },
      chunks: 1,
      routeCount: 2,
    },
    { pk: execPk(ARN), sk: chunkSk(SK.plan, 0), values: routePlans },
  ];
};

/** What CloudWatch answers at `now`: one Sum per published period with requests, none for idle ones. */
const metricData = (input: GetMetricDataCommandInput, t0: number, now: number) => ({
  MetricDataResults: (input.MetricDataQueries ?? []).map((query) => {
    const dimension = query.MetricStat?.Metric?.Dimensions?.find((d) => d.Name === 'TargetGroup');
    const [route, cluster] = (/^targetgroup\/(\w+)-(\w+)\//.exec(dimension?.Value ?? '') ?? []).slice(1) as [
      RouteName,
      ClusterName,
    ];
    const periodMs = (query.MetricStat?.Period ?? 60) * 1000;
    const timestamps: Date[] = [];
    const values: number[] = [];
    const start = new Date(input.StartTime ?? 0).getTime();
    const end = new Date(input.EndTime ?? 0).getTime();
    for (let at = start; at < end && at + periodMs + CLOUDWATCH_LAG_MS <= now; at += periodMs) {
      let sum = 0;
      for (let m = at; m < at + periodMs; m += MINUTE)
        sum += requestsInMinute(route, cluster, (m - t0) / MINUTE);
      if (sum > 0) {
        timestamps.push(new Date(at));
        values.push(sum);
      }
    }
    return {
      Id: query.Id,
      Label: query.Id,
      StatusCode: 'Complete' as const,
      Timestamps: timestamps,
      Values: values,
    };
  }),
});

/** Installs AWS as it is `now` for a drain started at `t0`. */
const installAws = (
  t0: number,
  now: number,
  options: { running?: { stepsWritten: number }; history?: boolean; described?: boolean } = {},
) => {
  for (const mock of [cfn, dynamo, sfn, cloudwatch, elbv2]) mock.reset();
  const items = options.history === false ? [] : tableItems(t0, options.running);
  const find = (pk: unknown, sk: unknown) => items.find((item) => item.pk === pk && item.sk === sk);
  cfn.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: `ClusterShift-${FLEET}`,
        StackStatus: 'UPDATE_COMPLETE',
        CreationTime: new Date(t0 - 30 * 86_400_000),
        Outputs: [
          { OutputKey: 'StateMachineArn', OutputValue: STATE_MACHINE },
          { OutputKey: 'TableName', OutputValue: TABLE },
        ],
      },
    ],
  });
  // DynamoDB speaks DynamoDB JSON: keys and values come in marshalled, items go out marshalled.
  dynamo.on(GetItemCommand).callsFake((input) => {
    const key = unmarshall(input.Key ?? {});
    const item = find(key.pk, key.sk);
    return { Item: item === undefined ? undefined : marshall(item) };
  });
  dynamo.on(QueryCommand).callsFake((input) => {
    const values = unmarshall(input.ExpressionAttributeValues ?? {});
    return {
      Items: items
        .filter((item) => item.pk === values[':pk'] && item.sk.startsWith(String(values[':plan'])))
        .map((item) => marshall(item)),
    };
  });
  const described: Partial<DescribeExecutionCommandOutput> = {
    executionArn: ARN,
    stateMachineArn: STATE_MACHINE,
    name: NAME,
    status: options.running === undefined ? 'SUCCEEDED' : 'RUNNING',
    startDate: minuteAt(t0, -0.05),
    ...(options.running === undefined ? { stopDate: minuteAt(t0, DRAIN.finishMinute) } : {}),
    input: JSON.stringify({
      action: 'drain',
      cluster: 'blue',
      reason: 'EKS 1.31 upgrade',
      requestedBy: 'cli:alice',
    }),
  };
  if (options.described === false)
    sfn.on(DescribeExecutionCommand).rejects(
      Object.assign(new Error('Execution Does Not Exist'), {
        name: 'ExecutionDoesNotExist',
        $metadata: {},
      }),
    );
  else sfn.on(DescribeExecutionCommand).resolves(described);
  cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
  cloudwatch.on(GetMetricDataCommand).callsFake((input) => metricData(input, t0, now));
};

const runCli = async (argv: readonly string[]) => {
  writeFileSync(configPath, stringify(FLEET_CONFIG));
  let stdout = '';
  let stderr = '';
  const code = await run([...argv, '--config', configPath], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { USER: 'tester' },
    cwd: dir,
  });
  return { code, stdout, stderr };
};

/** The dots' tooltips of one cluster's series: `blue 10:03: 1,190 requests`, in time order. */
const chartedPoints = (html: string, cluster: string): string[] =>
  [...html.matchAll(new RegExp(`<title>(${cluster} \\d\\d:\\d\\d: [\\d,]+ requests)</title>`, 'g'))].map(
    (match) => match[1] ?? '',
  );

const expectedPoints = (t0: number, cluster: ClusterName, from: number, to: number): string[] =>
  clusterMinutes(t0, cluster, from, to).map(
    (p) => `${cluster} ${clockTime(p.at)}: ${p.requests.toLocaleString('en-US')} requests`,
  );

/** Collects with the same mocked clients, at a chosen `now` (the CLI takes its own clock's). */
const collect = (now: number, overrides: Partial<CollectInput> = {}) =>
  collectReport({
    executionArn: ARN,
    store: new ShiftStore({
      tableName: TABLE,
      fleet: FLEET,
      client: new DynamoDBClient({}),
    }),
    sfn: new SFNClient({ region: 'eu-west-1' }),
    cloudwatch: new CloudWatchClient({ region: 'eu-west-1' }),
    config: validateFleetConfig(FLEET_CONFIG),
    now: new Date(now),
    retry: { maxAttempts: 1 },
    ...overrides,
  });

describe('clustershift report <execution> against AWS (no twin)', () => {
  it('writes the report of a finished drain whose chart has every CloudWatch datapoint per cluster', async () => {
    // Arrange: the drain ended 26 minutes ago, so CloudWatch has published all of it.
    const t0 = Math.floor(Date.now() / MINUTE) * MINUTE - 40 * MINUTE;
    installAws(t0, Date.now());
    const out = join(dir, 'drain.html');

    // Act
    const result = await runCli(['report', NAME, '--out', out]);

    // Assert
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`report: ${out}`);
    const html = readFileSync(out, 'utf8');
    // 5 minutes either side of the execution (3 s before minute 0 to 13.5), widened to whole minutes.
    expect(chartedPoints(html, 'blue')).toEqual(expectedPoints(t0, 'blue', -6, 18));
    expect(chartedPoints(html, 'green')).toEqual(expectedPoints(t0, 'green', -6, 18));
    // CloudWatch sent no datapoint for blue's idle minutes; they are charted as 0.
    expect(chartedPoints(html, 'blue').at(-1)).toMatch(/: 0 requests$/);
    expect(html.match(/class="step-marker"/g)).toHaveLength(4);
    expect(html).toContain('verified drained');
    const queries = cloudwatch
      .commandCalls(GetMetricDataCommand)
      .flatMap((c) => c.args[0].input.MetricDataQueries ?? []);
    expect(queries.map((q) => q.MetricStat?.Metric?.Dimensions?.[0]?.Value).sort()).toEqual(
      ['api-blue', 'api-green', 'web-blue', 'web-green'].map((name) =>
        expect.stringContaining(`targetgroup/${name}/`),
      ),
    );
    // The stored plan named the target groups: nothing asked the load balancer.
    expect(elbv2.calls()).toHaveLength(0);
  });

  it('refuses an execution that neither the history nor Step Functions knows, naming it, and writes no file', async () => {
    installAws(Date.now() - 40 * MINUTE, Date.now(), { history: false, described: false });
    const out = join(dir, 'unknown.html');

    const result = await runCli(['report', 'cli-drain-blue-9', '--out', out]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `InvalidRequest: no execution ${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:cli-drain-blue-9: Step Functions does not know it and fleet ${FLEET} has no history of it`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("refuses another state machine's execution ARN before reading anything", async () => {
    installAws(Date.now() - 40 * MINUTE, Date.now());
    const other = 'arn:aws:states:eu-west-1:123456789012:execution:ClusterShift-prod-us:cli-drain-blue-1';

    const result = await runCli(['report', other]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`execution ${other} is not an execution of ${STATE_MACHINE}`);
    expect([
      ...dynamo.calls(),
      ...sfn.calls(),
      ...cloudwatch.commandCalls(GetMetricDataCommand),
    ]).toHaveLength(0);
  });
});

describe('collectReport of an execution on AWS', () => {
  const T0 = Date.parse('2026-11-23T10:00:00Z');

  it('reports a running execution up to now and says so, leaving minutes CloudWatch has not published undrawn', async () => {
    // Arrange: 8.5 minutes in, three steps written; CloudWatch has minutes up to 10:05 (2 minutes late).
    const now = T0 + 8.5 * MINUTE;
    installAws(T0, now, { running: { stepsWritten: 3 } });

    // Act
    const data = await collect(now);

    // Assert
    expect(data.execution.status).toBe('RUNNING');
    expect(data.execution.endState).toMatch(/^Running: step 3 of 4 written at 10:07:15 UTC/);
    expect(data.window?.end).toEqual(new Date(now));
    const blue = data.series.find((s) => s.cluster === 'blue')?.points ?? [];
    expect(blue.map((p) => clockTime(p.at))).toEqual(
      clusterMinutes(T0, 'blue', -6, 5).map((p) => clockTime(p.at)),
    );
    expect(data.notes).toEqual(
      expect.arrayContaining([
        'The execution is still running: this report shows it up to 2026-11-23 10:08:30 UTC. Run the report again once it has ended.',
        'The last 2 min 30 s are not charted: CloudWatch has not published them yet (ALB metrics arrive 1–3 minutes late). Run the report again in a few minutes.',
      ]),
    );
  });

  it('asks for 5-minute datapoints for an execution older than 15 days, and charts their sums', async () => {
    const now = T0 + 20 * 86_400_000;
    installAws(T0, now);

    const data = await collect(now);

    const periods = cloudwatch
      .commandCalls(GetMetricDataCommand)
      .flatMap((c) => c.args[0].input.MetricDataQueries ?? [])
      .map((q) => q.MetricStat?.Period);
    expect(new Set(periods)).toEqual(new Set([300]));
    expect(data.periodSeconds).toBe(300);
    const green = data.series.find((s) => s.cluster === 'green')?.points ?? [];
    // The window, 09:54:57 → 10:18:30 widened to the 5-minute grid: 09:50 → 10:20.
    expect(green.map((p) => clockTime(p.at))).toEqual(['09:50', '09:55', '10:00', '10:05', '10:10', '10:15']);
    const sum = (from: number) =>
      clusterMinutes(T0, 'green', from, from + 4).reduce((total, p) => total + p.requests, 0);
    expect(green.map((p) => p.requests)).toEqual([-10, -5, 0, 5, 10, 15].map(sum));
  });

  it('builds the report from history when Step Functions may not be asked, and says why', async () => {
    installAws(T0, T0 + 40 * MINUTE);
    sfn.on(DescribeExecutionCommand).rejects(
      Object.assign(new Error('not authorized to perform states:DescribeExecution'), {
        name: 'AccessDeniedException',
        $metadata: {},
      }),
    );

    const data = await collect(T0 + 40 * MINUTE);

    expect(data.execution).toMatchObject({ status: 'SUCCEEDED', requestedBy: 'cli:alice' });
    expect(data.steps).toHaveLength(4);
    expect(data.notes?.[0]).toMatch(
      /^Step Functions could not describe this execution \(.*not authorized.*\): facts from history only\.$/,
    );
  });
});
