import { ALARMS, testConfig, WorkflowHarness } from '../support/workflow';

jest.setTimeout(30_000);

// The metrics module reads this when the harness imports the handlers: these tests need the output.
process.env.POWERTOOLS_METRICS_DISABLED = 'false';

const harness = new WorkflowHarness();
const drain = {
  action: 'drain',
  cluster: 'blue',
  reason: 'upgrade',
  requestedBy: 'cli:alice',
  steps: [0.5, 1],
};

/** One EMF document as Powertools prints it: `_aws` metadata, then dimension and metric values. */
interface EmfDocument {
  readonly _aws: {
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: string; readonly Unit: string }[];
    }[];
  };
  readonly [key: string]: unknown;
}

/** What the handlers print to stdout while the tests run (Powertools writes EMF there). */
const printed: string[] = [];
let stdout: jest.SpiedFunction<typeof process.stdout.write> | undefined;

/** Runs `act` and returns the EMF documents it printed and the error it threw, if any. */
const emfOf = async (act: () => Promise<unknown>): Promise<{ docs: EmfDocument[]; error?: Error }> => {
  printed.length = 0;
  let error: Error | undefined;
  try {
    await act();
  } catch (thrown) {
    error = thrown as Error;
  }
  const docs = printed
    .flatMap((text) => text.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((doc): doc is EmfDocument => '_aws' in doc);
  return { docs, ...(error === undefined ? {} : { error }) };
};

/** Each metric in the documents as name, unit, value and dimensions (name → value). */
const metricsIn = ({ docs }: { docs: readonly EmfDocument[] }) =>
  docs.flatMap((doc) =>
    doc._aws.CloudWatchMetrics.flatMap((directive) =>
      directive.Metrics.map((metric) => ({
        namespace: directive.Namespace,
        name: metric.Name,
        unit: metric.Unit,
        value: doc[metric.Name],
        dimensions: Object.fromEntries(
          (directive.Dimensions[0] ?? []).map((dimension) => [dimension, doc[dimension]]),
        ),
      })),
    ),
  );

beforeAll(async () => {
  stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  });
  await harness.start();
});
afterAll(async () => {
  stdout?.mockRestore();
  await harness.stop();
});
beforeEach(async () => {
  await harness.reset();
  harness.addService('api.example.com', { blue: 50, green: 50 });
});

describe('apply-step metrics', () => {
  it('publishes the step, the routes written and each cluster share in percent', async () => {
    await harness.invoke('Prepare', { executionId: 'm-1', request: drain });
    await harness.invoke('Lock', { executionId: 'm-1' });

    const metrics = metricsIn(
      await emfOf(() => harness.invoke('ApplyStep', { executionId: 'm-1', stepIndex: 0 })),
    );

    const fleet = { service: 'clustershift', fleet: harness.fleet };
    expect(metrics).toEqual(
      expect.arrayContaining([
        { namespace: 'Clustershift', name: 'StepsApplied', unit: 'Count', value: 1, dimensions: fleet },
        { namespace: 'Clustershift', name: 'RoutesWritten', unit: 'Count', value: 1, dimensions: fleet },
        {
          namespace: 'Clustershift',
          name: 'ClusterShare',
          unit: 'Percent',
          value: 25,
          dimensions: { ...fleet, cluster: 'blue' },
        },
        {
          namespace: 'Clustershift',
          name: 'ClusterShare',
          unit: 'Percent',
          value: 75,
          dimensions: { ...fleet, cluster: 'green' },
        },
      ]),
    );
    expect(metrics).toHaveLength(4);
  });

  it('counts a retried step with no route left to write as applied, with zero routes written', async () => {
    await harness.invoke('Prepare', { executionId: 'm-2', request: drain });
    await harness.invoke('Lock', { executionId: 'm-2' });
    await harness.invoke('ApplyStep', { executionId: 'm-2', stepIndex: 0 });

    const metrics = metricsIn(
      await emfOf(() => harness.invoke('ApplyStep', { executionId: 'm-2', stepIndex: 0 })),
    );

    expect(metrics.find((m) => m.name === 'StepsApplied')?.value).toBe(1);
    expect(metrics.find((m) => m.name === 'RoutesWritten')?.value).toBe(0);
  });

  it('publishes a failover latency from the alarm event to the last step written', async () => {
    const alarmedAt = new Date(harness.virtualNow - 42_000).toISOString();
    const failover = {
      action: 'failover',
      cluster: 'green',
      reason: 'green-5xx is ALARM',
      requestedBy: 'alarm:green-5xx',
      trigger: { alarmName: ALARMS.green, time: alarmedAt },
    };
    await harness.invoke('Prepare', { executionId: 'fo-1', request: failover });
    await harness.invoke('Lock', { executionId: 'fo-1' });

    const metrics = metricsIn(
      await emfOf(() => harness.invoke('ApplyStep', { executionId: 'fo-1', stepIndex: 0 })),
    );

    expect(metrics.find((m) => m.name === 'FailoverLatency')).toEqual({
      namespace: 'Clustershift',
      name: 'FailoverLatency',
      unit: 'Milliseconds',
      value: 42_000,
      dimensions: { service: 'clustershift', fleet: harness.fleet },
    });
  });

  it('publishes no failover latency for a drain, nor before its last step', async () => {
    await harness.invoke('Prepare', { executionId: 'm-3', request: drain });
    await harness.invoke('Lock', { executionId: 'm-3' });

    const metrics = metricsIn(
      await emfOf(async () => {
        await harness.invoke('ApplyStep', { executionId: 'm-3', stepIndex: 0 });
        await harness.invoke('ApplyStep', { executionId: 'm-3', stepIndex: 1 });
      }),
    );

    expect(metrics.filter((m) => m.name === 'StepsApplied')).toHaveLength(2);
    expect(metrics.some((m) => m.name === 'FailoverLatency')).toBe(false);
  });
});

describe('rollback metrics', () => {
  it('counts a rollback that wrote the snapshot back, by mode', async () => {
    await harness.invoke('Prepare', { executionId: 'r-1', request: drain });
    await harness.invoke('Lock', { executionId: 'r-1' });
    await harness.invoke('ApplyStep', { executionId: 'r-1', stepIndex: 0 });

    const metrics = metricsIn(
      await emfOf(() =>
        harness.invoke('Rollback', { executionId: 'r-1', error: { Error: 'GateFailed', Cause: 'x' } }),
      ),
    );

    expect(metrics).toEqual([
      {
        namespace: 'Clustershift',
        name: 'Rollbacks',
        unit: 'Count',
        value: 1,
        dimensions: { service: 'clustershift', fleet: harness.fleet, mode: 'rollback' },
      },
    ]);
  });

  it('counts a rollback that held under onFailure: hold as mode hold', async () => {
    await harness.reset(testConfig({ onFailure: 'hold' }));
    harness.addService('api.example.com', { blue: 50, green: 50 });
    await harness.invoke('Prepare', { executionId: 'r-2', request: drain });
    await harness.invoke('Lock', { executionId: 'r-2' });

    const metrics = metricsIn(
      await emfOf(() =>
        harness.invoke('Rollback', { executionId: 'r-2', error: { Error: 'GateFailed', Cause: 'x' } }),
      ),
    );

    expect(metrics.map((m) => [m.name, m.dimensions.mode])).toEqual([['Rollbacks', 'hold']]);
  });

  it('counts a rollback with no stored plan as mode nothing-written', async () => {
    const metrics = metricsIn(
      await emfOf(() =>
        harness.invoke('Rollback', { executionId: 'r-3', error: { Error: 'InvalidRequest', Cause: 'x' } }),
      ),
    );

    expect(metrics.map((m) => [m.name, m.dimensions.mode])).toEqual([['Rollbacks', 'nothing-written']]);
  });
});

describe('prepare metrics', () => {
  it('counts one refusal per refusing guardrail', async () => {
    harness.addService('reports.example.com', { blue: 100 });
    harness.cloudwatch.setAlarm(ALARMS.green, 'ALARM');

    const emitted = await emfOf(() => harness.invoke('Prepare', { executionId: 'p-1', request: drain }));
    const metrics = metricsIn(emitted);

    expect(emitted.error?.name).toBe('GuardrailViolation');
    const fleet = { service: 'clustershift', fleet: harness.fleet };
    expect(metrics).toEqual(
      expect.arrayContaining([
        {
          namespace: 'Clustershift',
          name: 'GuardrailRefusals',
          unit: 'Count',
          value: 1,
          dimensions: { ...fleet, guardrail: 'single-cluster-route' },
        },
        {
          namespace: 'Clustershift',
          name: 'GuardrailRefusals',
          unit: 'Count',
          value: 1,
          dimensions: { ...fleet, guardrail: 'receiver-alarm' },
        },
      ]),
    );
    expect(metrics).toHaveLength(2);
  });

  it('counts nothing for a guardrail the operator forced', async () => {
    harness.addService('reports.example.com', { blue: 100 });

    const emitted = await emfOf(() =>
      harness.invoke('Prepare', {
        executionId: 'p-2',
        request: { ...drain, force: ['single-cluster-route'] },
      }),
    );

    expect(emitted.error).toBeUndefined();
    expect(metricsIn(emitted)).toEqual([]);
  });

  it('counts nothing for a dry run that guardrails refuse', async () => {
    harness.addService('reports.example.com', { blue: 100 });

    const emitted = await emfOf(() =>
      harness.invoke('Prepare', { executionId: 'p-3', request: { ...drain, dryRun: true } }),
    );

    expect(emitted.error?.name).toBe('GuardrailViolation');
    expect(metricsIn(emitted)).toEqual([]);
  });
});
