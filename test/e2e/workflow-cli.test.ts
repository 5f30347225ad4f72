import { type CliResult, E2eTwin, outcome, seedWeights } from '../support/e2e';

jest.setTimeout(60_000);

const DRAIN = ['drain', 'blue', '--force', 'single-cluster-route', '--reason', 'e2e cli'];

let e2e: E2eTwin;

beforeAll(async () => {
  e2e = await E2eTwin.start();
});
afterAll(async () => {
  await e2e?.close();
});

/** Each line of an NDJSON stdout (watch --json prints one document per update), parsed. */
const jsonLines = <T>(result: CliResult): T[] =>
  result.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);

interface ProgressJson {
  executionArn: string;
  status: string;
  action?: string;
  step?: { applied: number; total: number };
  weights?: Record<string, number>;
  error?: string;
  cause?: string;
}

describe('the CLI against the twin: read-only commands', () => {
  it('status shows the demo fleet as a table, and as one JSON document with --json', async () => {
    // Act
    const text = await e2e.cli(['status']);
    const json = await e2e.cliJson<Record<string, unknown>>(['status']);

    // Assert
    expect(outcome(text)).toMatchObject({ code: 0 });
    expect(text.stdout).toContain('fleet demo (us-east-1), stack ClusterShift-demo: 10 managed routes');
    expect(text.stdout).toMatch(/blue +55 %/);
    expect(text.stdout).toContain('reports.demo.example.com → blue only');
    expect(text.stdout).toContain('lock: free');
    expect(json.code).toBe(0);
    expect(json.data).toMatchObject({
      fleet: 'demo',
      region: 'us-east-1',
      stack: 'ClusterShift-demo',
      routes: 10,
      clusters: [
        {
          name: 'blue',
          weightShare: expect.closeTo(0.55, 5),
          routes: 10,
          targets: { healthy: 30, total: 30 },
          alarms: [{ name: 'demo-blue-5xx', state: 'OK' }],
          baseline: null,
        },
        {
          name: 'green',
          weightShare: expect.closeTo(0.45, 5),
          routes: 9,
          targets: { healthy: 27, total: 27 },
          alarms: [{ name: 'demo-green-5xx', state: 'OK' }],
          baseline: null,
        },
      ],
      gateAlarms: [{ name: 'demo-alb-5xx', state: 'OK' }],
      partialRoutes: [{ route: 'reports.demo.example.com', clusters: ['blue'] }],
      lock: null,
      running: [],
      freeze: null,
      unavailable: [],
    });
  });

  it('plan drain blue is refused by single-cluster-route (exit 1) and accepted when forced (exit 0)', async () => {
    // Act
    const refusedText = await e2e.cli(['plan', 'drain', 'blue']);
    const refused = await e2e.cliJson<Record<string, unknown>>(['plan', 'drain', 'blue']);
    const forced = await e2e.cliJson<{ routes: { name: string; weights: Record<string, number[]> }[] }>([
      'plan',
      'drain',
      'blue',
      '--force',
      'single-cluster-route',
    ]);

    // Assert
    expect(outcome(refusedText)).toMatchObject({ code: 1 });
    expect(refusedText.stdout).toContain('REFUSED single-cluster-route');
    expect(refusedText.stdout).toContain('reports.demo.example.com');
    expect(refusedText.stdout).toContain('the workflow would refuse this plan');
    expect(refused).toMatchObject({
      code: 1,
      data: {
        request: { action: 'drain', cluster: 'blue', dryRun: true },
        steps: [0.25, 0.5, 0.75, 1],
        bakeSeconds: 120,
        refused: true,
        violations: [{ guardrail: 'single-cluster-route', forced: false }],
      },
    });
    expect(forced).toMatchObject({ code: 0, data: { refused: false } });
    expect(forced.data.routes).toHaveLength(9);
    for (const route of forced.data.routes) {
      expect({ route: route.name, blue: route.weights.blue?.[0], last: route.weights.blue?.at(-1) }).toEqual({
        route: route.name,
        blue: 50,
        last: 0,
      });
    }
    expect(await e2e.routeWeights()).toEqual(seedWeights());
  });

  it.each([
    ['an unknown command', ['sideways']],
    ['an unknown plan action', ['plan', 'sideways', 'blue']],
    ['a drain without a reason', ['drain', 'blue']],
    ['an out-of-range option', ['status', '--minutes', '0']],
    ['a missing config file', ['status', '--config', 'no-such-fleet.yaml']],
  ])('exits 2 on %s, starting nothing', async (_what, argv) => {
    // Act
    const result = await e2e.cli(argv);

    // Assert
    expect(outcome(result)).toMatchObject({ code: 2 });
    expect(result.stderr).not.toBe('');
    expect((await e2e.cliJson<{ running: unknown[] }>(['status'])).data.running).toEqual([]);
  });

  it('watch and abort exit 1 when no shift is running', async () => {
    // Act
    const watch = await e2e.cli(['watch']);
    const abort = await e2e.cli(['abort', '--reason', 'test']);

    // Assert
    expect(outcome(watch)).toMatchObject({ code: 1 });
    expect(watch.stderr).toContain('no shift is running');
    expect(outcome(abort)).toMatchObject({ code: 1 });
    expect(abort.stderr).toContain('no shift is running');
  });
});

describe('the CLI against the twin: abort mid-bake', () => {
  afterEach(async () => {
    // Aborted drains roll back; anything else would leave the next scenario a different fleet.
    expect(await e2e.routeWeights()).toEqual(seedWeights());
  });

  it('drain --watch --json streams progress; abort --json mid-bake fails it Aborted and rolls it back', async () => {
    // Prepare: the drain and a second watcher follow it from the start
    const drain = e2e.cli([...DRAIN, '--watch', '--interval', '1', '--json']);
    await e2e.firstStepWritten();
    const watch = e2e.cli(['watch', '--interval', '1', '--json']);

    // Act
    const abort = await e2e.cliJson<Record<string, unknown>>(['abort', '--reason', 'test']);
    const [drained, watched] = await Promise.all([drain, watch]);

    // Assert: the abort flag is set on the running execution, not a StopExecution
    expect(abort).toMatchObject({
      code: 0,
      data: { executionArn: expect.stringContaining(':execution:'), aborted: true, stopped: false },
    });
    const executionArn = String(abort.data.executionArn);
    expect(outcome(drained)).toMatchObject({ code: 1 });
    expect(outcome(watched)).toMatchObject({ code: 1 });
    for (const updates of [jsonLines<ProgressJson>(drained), jsonLines<ProgressJson>(watched)]) {
      expect(updates.length).toBeGreaterThan(0);
      for (const update of updates)
        expect(update).toMatchObject({ executionArn, status: expect.any(String) });
      // How many updates show it running depends on when the abort lands; the first one does.
      expect(updates[0]?.status).toBe('RUNNING');
      expect(updates.at(-1)).toMatchObject({
        status: 'FAILED',
        action: 'drain',
        step: { total: 4 },
        error: 'Aborted',
      });
    }
    const end = await e2e.execution(executionArn);
    expect({ status: end.status, error: end.error }).toEqual({ status: 'FAILED', error: 'Aborted' });
    expect(end.cause).toContain('rolled back: 9 routes restored to their snapshot');
  });

  it('drain --watch prints progress lines; abort mid-bake ends it FAILED (exit 1); history shows both aborts', async () => {
    // Prepare
    const drain = e2e.cli([...DRAIN, '--watch', '--interval', '1']);
    await e2e.firstStepWritten();
    const watch = e2e.cli(['watch', '--interval', '1']);

    // Act
    const abort = await e2e.cli(['abort', '--reason', 'test']);
    const [drained, watched] = await Promise.all([drain, watch]);

    // Assert
    expect(outcome(abort)).toMatchObject({ code: 0 });
    expect(abort.stdout).toMatch(/^abort requested for arn:aws:states:.*:execution:.*cli-drain-blue-/m);
    expect(outcome(drained)).toMatchObject({ code: 1 });
    expect(drained.stdout).toMatch(/^\S+ {2}RUNNING {2}(preparing|drain blue {2}step)/m);
    expect(drained.stdout).toMatch(/^\S+ {2}FAILED {2}drain blue {2}step [1-4]\/4/m);
    expect(drained.stderr).toMatch(/^FAILED: arn:aws:states:/m);
    expect(drained.stderr).toMatch(/Aborted: .*rolled back/);
    expect(outcome(watched)).toMatchObject({ code: 1 });
    expect(watched.stdout).toMatch(/^watching arn:aws:states:/);
    expect(watched.stderr).toMatch(/Aborted: /);

    // Act: the record of it all
    const history = await e2e.cli(['history']);
    const records = await e2e.history();
    const again = await e2e.cli(['abort']);

    // Assert
    expect(outcome(history)).toMatchObject({ code: 0 });
    expect(history.stdout.match(/drain +blue +cli:\S+ +FAILED Aborted \(rolled back\)/g)).toHaveLength(2);
    expect(records).toHaveLength(2);
    for (const record of records) {
      expect(record).toMatchObject({
        action: 'drain',
        cluster: 'blue',
        reason: 'e2e cli',
        status: 'FAILED',
        error: 'Aborted',
        forced: ['single-cluster-route'],
      });
      expect(record.steps.some((s) => s.kind === 'rollback' && s.mode === 'rollback')).toBe(true);
    }
    expect(outcome(again)).toMatchObject({ code: 1 });
    expect(again.stderr).toContain('no shift is running');
  });

  it('watch of an ended execution prints its end and exits 1 when it failed', async () => {
    // Prepare
    const [latest] = await e2e.history();
    const name = String(latest?.executionId.split(':').pop());

    // Act
    const text = await e2e.cli(['watch', name]);
    const json = await e2e.cli(['watch', name, '--json']);

    // Assert
    expect(outcome(text)).toMatchObject({ code: 1 });
    expect(text.stdout).toContain('FAILED  drain blue');
    expect(outcome(json)).toMatchObject({ code: 1 });
    expect(jsonLines<ProgressJson>(json)).toEqual([
      expect.objectContaining({ executionArn: latest?.executionId, status: 'FAILED', error: 'Aborted' }),
    ]);
  });
});
