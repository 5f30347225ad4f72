import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { collectReport } from '../../../cli/report/collect';
import { renderReport } from '../../../cli/report/render';
import type { ReportData } from '../../../cli/report/types';
import { getRuntime } from '../../../functions/shared/runtime';
import { ALARMS, WorkflowHarness } from '../../support/workflow';

jest.setTimeout(60_000);

/**
 * The report of real executions: the workflow runs in-process with the real handlers (fake ALB and
 * CloudWatch, dynalite), leaving a real history and plan; Step Functions' DescribeExecution is
 * mocked with the run's own dates.
 */
const harness = new WorkflowHarness();
const sfn = mockClient(SFNClient);
const drainBlue = { action: 'drain', cluster: 'blue', reason: 'EKS 1.31 upgrade', requestedBy: 'cli:alice' };

beforeAll(async () => {
  await harness.start();
});
afterAll(async () => {
  sfn.restore();
  await harness.stop();
});
beforeEach(async () => {
  await harness.reset();
  sfn.reset();
});

/** Runs one execution, lets a few virtual minutes pass, and collects its report. */
const runAndCollect = async (input: Record<string, unknown>): Promise<ReportData> => {
  const startDate = new Date(harness.virtualNow);
  const result = await harness.run(input);
  const stopDate = new Date(harness.virtualNow);
  harness.virtualNow += 10 * 60_000;
  sfn.on(DescribeExecutionCommand).resolves({
    executionArn: result.executionId,
    status: result.status,
    startDate,
    stopDate,
    input: JSON.stringify(input),
    ...(result.status === 'FAILED' ? { error: result.error, cause: result.cause } : {}),
  });
  const { config, store } = getRuntime();
  return collectReport({
    executionArn: result.executionId,
    store,
    sfn: new SFNClient({}),
    cloudwatch: new CloudWatchClient({}),
    config,
    now: new Date(harness.virtualNow),
  });
};

const addServices = (count: number) =>
  Array.from({ length: count }, (_, i) => harness.addService(`svc${i}.example.com`, { blue: 50, green: 50 }));

describe('collectReport on a real drain', () => {
  it('reports who, why, every step written with its planned share, and the verified drain', async () => {
    addServices(3);

    const data = await runAndCollect(drainBlue);

    expect(data.fleet).toBe(harness.fleet);
    expect(data.execution).toMatchObject({
      action: 'drain',
      cluster: 'blue',
      requestedBy: 'cli:alice',
      reason: 'EKS 1.31 upgrade',
      status: 'SUCCEEDED',
      outcome: 'SUCCEEDED',
    });
    expect(data.execution.endState).toMatch(
      /^Succeeded: every changed route is at the plan target.*Verified drained/,
    );
    expect(data.steps.map((s) => `${s.index + 1}/${s.total}`)).toEqual(['1/4', '2/4', '3/4', '4/4']);
    expect(data.steps.map((s) => s.shares.blue)).toEqual([0.37, 0.25, 0.12, 0]);
    expect(data.steps[3]?.weightsSummary).toBe('3 routes written; blue=0 green=100 on 3 routes');
    expect(data.steps.every((s) => s.gates === 'before write: passed · bake: passed')).toBe(true);
    expect(data.markers.map((m) => m.kind)).toEqual(['note', 'verify', 'note']);
  });

  it('charts requests per cluster from the moved target groups, blue falling to zero once drained', async () => {
    addServices(2);

    const data = await runAndCollect(drainBlue);

    expect(data.series.map((s) => s.cluster).sort()).toEqual(['blue', 'green']);
    const blue = data.series.find((s) => s.cluster === 'blue')?.points ?? [];
    const green = data.series.find((s) => s.cluster === 'green')?.points ?? [];
    // Two routes at 600 requests a minute each, 50/50 before the drain, all on green after it.
    expect(blue[0]?.requests).toBe(600);
    expect(blue[blue.length - 1]?.requests).toBe(0);
    expect(green[green.length - 1]?.requests).toBe(1200);
    expect(data.notes?.[0]).toMatch(/2 route\(s\) this execution changed/);
    const window = data.window as { start: Date; end: Date };
    expect(window.start.getTime()).toBeLessThanOrEqual(data.execution.startedAt.getTime() - 5 * 60_000);
  });

  it('reports the observed share of each step from the metrics, close to the planned one', async () => {
    addServices(2);

    const data = await runAndCollect(drainBlue);

    const observedBlue = data.steps.map((s) => s.observedShares?.blue);
    expect(observedBlue[3]).toBe(0);
    for (const step of data.steps) {
      expect(step.observedShares?.blue).toBeCloseTo(step.shares.blue ?? Number.NaN, 1);
    }
  });

  it('marks the rollback and shows the cause finish wrote when an alarm fires mid-drain', async () => {
    addServices(2);
    harness.afterTask = (call) => {
      if (call.fn === 'ApplyStep' && call.payload.stepIndex === 1)
        harness.cloudwatch.setAlarm(ALARMS.gate, 'ALARM');
    };

    const data = await runAndCollect(drainBlue);

    expect(data.execution).toMatchObject({ status: 'FAILED', outcome: 'FAILED', error: 'GateFailed' });
    expect(data.execution.endState).toMatch(/rolled back: 2 routes restored to their snapshot/);
    expect(data.steps.map((s) => s.index)).toEqual([0, 1]);
    expect(data.steps[1]?.gates).toBe('before write: passed · then GateFailed');
    expect(data.markers.filter((m) => m.kind !== 'note').map((m) => m.label)).toEqual([
      'rolled back after GateFailed: 2 routes restored',
      'failed: GateFailed',
    ]);
  });

  it('renders the collected data into a page with one step marker per step written', async () => {
    addServices(2);

    const html = renderReport(await runAndCollect(drainBlue));

    expect(html.match(/class="step-marker"/g)).toHaveLength(4);
    expect(html.match(/<path class="series"/g)).toHaveLength(2);
    expect(html).toContain('cli:alice');
  });
});
