import { BLUE_ONLY_ROUTE, clusterWeight, E2eTwin, outcome, seedWeights } from '../support/e2e';

jest.setTimeout(90_000);

let e2e: E2eTwin;

beforeAll(async () => {
  e2e = await E2eTwin.start();
});
afterAll(async () => {
  await e2e?.close();
});

describe('drain and restore on the twin (demo fleet, real handlers and ASL, no mocks)', () => {
  it('drains blue in 4 steps, holding the blue-only route, verifies it drained, then restores the seed exactly', async () => {
    // Prepare
    const baseline = seedWeights();
    expect(await e2e.routeWeights()).toEqual(baseline);

    // Act: drain, followed live
    const drain = await e2e.cli([
      'drain',
      'blue',
      '--force',
      'single-cluster-route',
      '--reason',
      'e2e drain',
      '--watch',
      '--interval',
      '1',
    ]);

    // Assert: every shared route sends blue nothing; reports stays as it was
    expect(outcome(drain)).toMatchObject({ code: 0 });
    expect(drain.stdout).toMatch(/SUCCEEDED {2}drain blue {2}step 4\/4 \(100%\)/);
    expect(drain.stdout).toContain("verified drained: blue's target groups");
    const drained = await e2e.routeWeights();
    for (const [route, weights] of Object.entries(drained)) {
      if (route === BLUE_ONLY_ROUTE) continue;
      expect({ route, blue: clusterWeight(weights, 'blue') }).toEqual({ route, blue: 0 });
      expect(clusterWeight(weights, 'green')).toBeGreaterThan(0);
    }
    expect(drained[BLUE_ONLY_ROUTE]).toEqual(baseline[BLUE_ONLY_ROUTE]);

    const [record] = await e2e.history();
    expect(record).toMatchObject({
      action: 'drain',
      cluster: 'blue',
      status: 'SUCCEEDED',
      reason: 'e2e drain',
      forced: ['single-cluster-route'],
      requestedBy: expect.stringMatching(/^cli:/),
    });
    const steps = record?.steps ?? [];
    expect(steps.filter((s) => s.kind === 'step').map((s) => s.index)).toEqual([0, 1, 2, 3]);
    expect(steps.filter((s) => s.kind === 'verify').at(-1)).toMatchObject({ drained: true });

    // Act: restore, waiting quietly, machine-readable
    const restore = await e2e.cliJson<Record<string, unknown>>([
      'restore',
      'blue',
      '--reason',
      'e2e restore',
      '--wait',
      '--interval',
      '1',
    ]);

    // Assert: the seed's weights, exactly, and the baseline is gone
    expect(restore.code).toBe(0);
    expect(restore.data).toMatchObject({
      executionArn: expect.stringContaining(':execution:'),
      name: expect.stringMatching(/^cli-restore-blue-/),
      status: 'SUCCEEDED',
      input: { action: 'restore', cluster: 'blue', reason: 'e2e restore' },
    });
    expect(await e2e.routeWeights()).toEqual(baseline);
    const status = await e2e.cliJson<{ clusters: { name: string; baseline: unknown }[]; lock: unknown }>([
      'status',
    ]);
    expect(status.data.lock).toBeNull();
    expect(status.data.clusters.map((c) => [c.name, c.baseline])).toEqual([
      ['blue', null],
      ['green', null],
    ]);
  });
});
