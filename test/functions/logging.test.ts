import { tgArn } from '../support/fake-alb';
import { testConfig, WorkflowHarness } from '../support/workflow';

jest.setTimeout(30_000);

// test/setup-env.ts silences the logger for every other test; the logger reads its level when the
// harness imports the handlers (and goes back to it at every invocation), so set it here.
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';

const harness = new WorkflowHarness();
const drain = { action: 'drain', cluster: 'blue', reason: 'upgrade', requestedBy: 'cli:alice' };

/** What the handlers print while the tests run: Powertools Logger writes JSON lines, WARN and ERROR to stderr. */
const printed: string[] = [];
const capture = (chunk: string | Uint8Array) => {
  printed.push(String(chunk));
  return true;
};
let spies: { mockRestore: () => void }[] = [];

type LogLine = Record<string, unknown> & { message?: string; level?: string };

/** Runs `act` (its error is not this test's concern) and returns the JSON log lines it printed. */
const logsOf = async (act: () => Promise<unknown>): Promise<LogLine[]> => {
  printed.length = 0;
  await act().catch(() => undefined);
  return printed
    .flatMap((text) => text.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine)
    .filter((line) => !('_aws' in line));
};

const lineWith = (lines: readonly LogLine[], message: string) => lines.find((l) => l.message === message);

beforeAll(async () => {
  spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(capture),
    jest.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  await harness.start();
});
afterAll(async () => {
  for (const spy of spies) spy.mockRestore();
  await harness.stop();
});
beforeEach(async () => {
  await harness.reset(testConfig());
  harness.addService('api.example.com', { blue: 50, green: 50 });
});

describe('log lines carry the fleet, the execution and the cluster', () => {
  it('on a handler that learns the cluster from the stored plan (apply-step)', async () => {
    await harness.invoke('Prepare', { executionId: 'l-1', request: drain });
    await harness.invoke('Lock', { executionId: 'l-1' });

    const lines = await logsOf(() => harness.invoke('ApplyStep', { executionId: 'l-1', stepIndex: 0 }));

    expect(lineWith(lines, 'step applied')).toMatchObject({
      level: 'INFO',
      service: 'clustershift',
      fleet: harness.fleet,
      execution: 'l-1',
      cluster: 'blue',
      action: 'drain',
    });
  });

  it('on a request refused before it was validated, when it names a cluster of the fleet', async () => {
    const lines = await logsOf(() =>
      harness.invoke('Prepare', { executionId: 'l-2', request: { ...drain, reason: '' } }),
    );

    expect(lineWith(lines, 'task failed')).toMatchObject({
      level: 'WARN',
      fleet: harness.fleet,
      execution: 'l-2',
      cluster: 'blue',
      errorName: 'InvalidRequest',
    });
  });

  it('but never with a cluster name the fleet does not have', async () => {
    const lines = await logsOf(() =>
      harness.invoke('Prepare', { executionId: 'l-3', request: { ...drain, cluster: 'purple' } }),
    );

    const failed = lineWith(lines, 'task failed');
    expect(failed).toMatchObject({ fleet: harness.fleet, execution: 'l-3', errorName: 'InvalidRequest' });
    expect(failed).not.toHaveProperty('cluster');
  });

  it('and the cluster of one invocation does not leak into the next', async () => {
    await harness.invoke('Prepare', { executionId: 'l-4', request: drain });
    const shift = { ...drain, action: 'shift', cluster: undefined, weights: { blue: 50, green: 40 } };

    const lines = await logsOf(() => harness.invoke('Prepare', { executionId: 'l-5', request: shift }));

    const failed = lineWith(lines, 'task failed');
    expect(failed).toMatchObject({ execution: 'l-5', errorName: 'InvalidRequest' });
    expect(failed).not.toHaveProperty('cluster');
  });
});

describe('target health read live instead of from CloudWatch', () => {
  it('Prepare says how many target groups had no fresh datapoint (no error announces it)', async () => {
    // Prepare
    harness.cloudwatch.silentHealth.add(tgArn('api-blue'));

    // Act
    const lines = await logsOf(() => harness.invoke('Prepare', { executionId: 'l-7', request: drain }));

    // Assert
    expect(
      lineWith(lines, 'no fresh target health datapoint for some target groups: read them live'),
    ).toMatchObject({
      level: 'INFO',
      withoutFreshDatapoint: 1,
      targetGroups: 2,
    });
    expect(lines.filter((l) => l.level === 'WARN')).toEqual([]);
  });

  it('Prepare says nothing of it when CloudWatch had every datapoint', async () => {
    const lines = await logsOf(() => harness.invoke('Prepare', { executionId: 'l-8', request: drain }));

    expect(lines.map((l) => l.message)).toContain('plan ready');
    expect(lines.map((l) => l.message).filter((m) => String(m).includes('read them live'))).toEqual([]);
  });
});

describe('metrics flush', () => {
  it('warns nothing when a task published no metric (the usual case)', async () => {
    await harness.invoke('Prepare', { executionId: 'l-6', request: drain });

    const lines = await logsOf(() => harness.invoke('Lock', { executionId: 'l-6' }));

    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.level === 'WARN')).toEqual([]);
  });
});
