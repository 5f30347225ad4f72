import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { ShiftStore } from '../../../aws/store';
import { type CollectInput, collectReport } from '../../../cli/report/collect';
import { writeReport } from '../../../cli/report/write';
import type { Route } from '../../../core/routes';
import { awsError, BLUE, fleetConfig, GREEN, LB } from '../../aws/elbv2-fixtures';
import { startDynalite } from '../../support/dynalite';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const ARN = 'arn:aws:states:eu-west-1:123456789012:execution:clustershift:shift-7';

let db: Awaited<ReturnType<typeof startDynalite>>;
let fleets = 0;

beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db.close();
});

const ROUTE: Route = {
  id: 'rule-1',
  kind: 'rule',
  listenerArn: 'listener-1',
  loadBalancerArn: LB,
  name: 'api.example.com',
  targets: [
    { targetGroupArn: BLUE, cluster: 'blue' },
    { targetGroupArn: GREEN, cluster: 'green' },
  ],
  controllerOwned: false,
};

/** A fleet of its own with a store, and mocked Step Functions, CloudWatch and ELBv2 clients. */
const setup = () => {
  const config = fleetConfig({ fleet: `report${++fleets}` });
  const store = new ShiftStore({ tableName: db.tableName, fleet: config.fleet, client: db.client });
  const sfn = new SFNClient({ region: 'eu-west-1' });
  const cloudwatch = new CloudWatchClient({ region: 'eu-west-1' });
  const elbv2 = new ElasticLoadBalancingV2Client({ region: 'eu-west-1' });
  const mocks = { sfn: mockClient(sfn), cloudwatch: mockClient(cloudwatch), elbv2: mockClient(elbv2) };
  mocks.cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
  const input = (overrides: Partial<CollectInput> = {}): CollectInput => ({
    executionArn: ARN,
    store,
    sfn,
    cloudwatch,
    elbv2,
    config,
    now: at(30),
    retry: { maxAttempts: 1 },
    ...overrides,
  });
  return { config, store, mocks, input };
};

/** A 50/50 → 0/100 shift of one route in two steps, as the workflow records it. */
const recordShift = async (store: ShiftStore) => {
  await store.startHistory({
    executionId: ARN,
    action: 'shift',
    requestedBy: 'cli:bob',
    reason: 'move to green',
    startedAt: at(0),
    planSummary: null,
    forced: [],
  });
  for (const [index, blue] of [0.25, 0].entries()) {
    await store.appendHistoryStep(ARN, {
      kind: 'step',
      index,
      fraction: (index + 1) / 2,
      at: at(1 + index * 5).toISOString(),
      written: 1,
      alreadyDesired: 0,
      shares: { blue, green: 1 - blue },
    });
  }
  await store.finishHistory(ARN, { status: 'SUCCEEDED', finishedAt: at(12) });
};

const succeeded = { status: 'SUCCEEDED' as const, startDate: at(0), stopDate: at(12), input: '{}' };

describe('collectReport', () => {
  it('builds the report from history alone when Step Functions no longer knows the execution', async () => {
    const { store, mocks, input } = setup();
    await recordShift(store);
    mocks.sfn
      .on(DescribeExecutionCommand)
      .rejects(awsError('ExecutionDoesNotExist', 'Execution Does Not Exist'));

    const data = await collectReport(input({ routes: [ROUTE] }));

    expect(data.execution).toMatchObject({
      action: 'shift',
      requestedBy: 'cli:bob',
      status: 'SUCCEEDED',
      startedAt: at(0),
      stoppedAt: at(12),
    });
    expect(data.steps.map((s) => s.shares)).toEqual([
      { blue: 0.25, green: 0.75 },
      { blue: 0, green: 1 },
    ]);
    expect(data.notes).toContain(
      'Step Functions no longer knows this execution (retention is 90 days): facts from history only.',
    );
  });

  it('refuses an execution neither Step Functions nor the history knows, naming it and the fleet', async () => {
    const { config, mocks, input } = setup();
    mocks.sfn
      .on(DescribeExecutionCommand)
      .rejects(awsError('ExecutionDoesNotExist', 'Execution Does Not Exist'));

    await expect(collectReport(input())).rejects.toMatchObject({
      name: 'InvalidRequest',
      message: `no execution ${ARN}: Step Functions does not know it and fleet ${config.fleet} has no history of it (clustershift history lists past shifts)`,
    });
  });

  it('refuses a period that is not whole minutes before calling anything', async () => {
    const { mocks, input } = setup();

    await expect(collectReport(input({ periodSeconds: 90 }))).rejects.toMatchObject({
      name: 'InvalidRequest',
    });
    expect(mocks.sfn.calls()).toHaveLength(0);
  });

  it('says a dry run wrote nothing, from the execution input, when there is no history', async () => {
    const { config, mocks, input } = setup();
    mocks.sfn.on(DescribeExecutionCommand).resolves({
      ...succeeded,
      input: JSON.stringify({
        action: 'drain',
        cluster: 'blue',
        reason: 'try',
        requestedBy: 'cli:ana',
        dryRun: true,
      }),
    });

    const data = await collectReport(input({ routes: [ROUTE] }));

    expect(data.execution).toMatchObject({ action: 'drain', cluster: 'blue', requestedBy: 'cli:ana' });
    expect(data.execution.endState).toBe('Dry run: the plan was checked and nothing was written.');
    expect(data.steps).toEqual([]);
    expect(data.notes).toContain(`A dry run: fleet ${config.fleet} keeps no history of it.`);
  });

  it('asks CloudWatch for the given routes over the execution ±5 minutes widened to the period grid', async () => {
    const { store, mocks, input } = setup();
    await recordShift(store);
    mocks.sfn.on(DescribeExecutionCommand).resolves(succeeded);

    const data = await collectReport(input({ routes: [ROUTE], periodSeconds: 120 }));

    const call = mocks.cloudwatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    expect(call?.StartTime).toEqual(at(-6));
    expect(call?.EndTime).toEqual(at(18));
    expect(call?.MetricDataQueries?.map((q) => q.MetricStat?.Period)).toEqual([120, 120]);
    expect(data.window).toEqual({ start: at(-6), end: at(18) });
    expect(data.notes).toContain(
      'CloudWatch returned no RequestCount datapoint for these target groups in this window.',
    );
  });

  it("counts the last step's observed share only until the execution ended, not the traffic after it", async () => {
    const { store, mocks, input } = setup();
    await recordShift(store);
    mocks.sfn.on(DescribeExecutionCommand).resolves(succeeded);
    // Blue has 25 % after step 1, none after step 2, and takes traffic again once the shift is over.
    const minutes = Array.from({ length: 23 }, (_, i) => i - 6);
    const blue = (m: number) => (m < 1 ? 50 : m < 6 ? 25 : m < 12 ? 0 : 50);
    mocks.cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'q0', Timestamps: minutes.map(at), Values: minutes.map(blue) },
        { Id: 'q1', Timestamps: minutes.map(at), Values: minutes.map((m) => 100 - blue(m)) },
      ],
    });

    const data = await collectReport(input({ routes: [ROUTE] }));

    expect(data.steps.map((s) => s.observedShares)).toEqual([
      { blue: 0.25, green: 0.75 },
      { blue: 0, green: 1 },
    ]);
  });

  it('still reports, with a note, when CloudWatch refuses the metrics', async () => {
    const { store, mocks, input } = setup();
    await recordShift(store);
    mocks.sfn.on(DescribeExecutionCommand).resolves(succeeded);
    mocks.cloudwatch.on(GetMetricDataCommand).rejects(awsError('AccessDenied', 'not authorized'));

    const data = await collectReport(input({ routes: [ROUTE] }));

    expect(data.series).toEqual([]);
    expect(data.steps).toHaveLength(2);
    expect(
      data.notes?.some((n) => /RequestCount could not be read from CloudWatch.*AccessDenied/.test(n)),
    ).toBe(true);
  });

  it('notes when routes can neither come from a stored plan nor be discovered', async () => {
    const { store, mocks, input } = setup();
    await recordShift(store);
    mocks.sfn.on(DescribeExecutionCommand).resolves(succeeded);
    mocks.elbv2.onAnyCommand().rejects(awsError('AccessDenied', 'no describe'));

    const data = await collectReport(input());

    expect(
      data.notes?.some((n) =>
        /^No stored plan, and the routes could not be discovered .*AccessDenied/.test(n),
      ),
    ).toBe(true);
    expect(mocks.cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(0);
  });

  it('coarsens the period for an execution older than CloudWatch keeps minutes, and says so', async () => {
    const { store, mocks, input } = setup();
    await recordShift(store);
    mocks.sfn.on(DescribeExecutionCommand).resolves(succeeded);

    const data = await collectReport(input({ routes: [ROUTE], now: new Date(T0 + 20 * 86_400_000) }));

    expect(data.periodSeconds).toBe(300);
    expect(data.notes).toContain(
      'Period raised from 60 s to 300 s: CloudWatch keeps finer data only for recent windows (1-minute data for 15 days, 5-minute data for 63 days).',
    );
  });
});

describe('writeReport', () => {
  it('writes the page whole, creating the folder, and leaves no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'report-'));
    try {
      const path = await writeReport(join(dir, 'nested', 'shift.html'), '<!DOCTYPE html><p>ok</p>');

      expect(await readFile(path, 'utf8')).toBe('<!DOCTYPE html><p>ok</p>');
      expect(await readdir(join(dir, 'nested'))).toEqual(['shift.html']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
