import { CliHarness, executionArn } from './harness';

const cli = new CliHarness();

beforeAll(() => cli.start());
afterAll(() => cli.stop());
beforeEach(() => cli.reset());

const summary = (steps: number) => ({
  action: 'drain',
  routesChanging: 1,
  routesUnchanged: 0,
  held: [],
  forced: [],
  steps: Array.from({ length: steps }, (_, index) => ({ index, fraction: (index + 1) / steps, shares: {} })),
  routes: [],
  routesOmitted: 0,
});

/** Two past shifts: a drain that succeeded, then a shift that failed and rolled back. */
const seedHistory = async () => {
  const store = cli.store();
  const drain = executionArn('cli-drain-blue');
  await store.startHistory({
    executionId: drain,
    action: 'drain',
    cluster: 'blue',
    requestedBy: 'cli:ana',
    reason: 'EKS upgrade',
    startedAt: new Date('2026-11-20T09:00:00Z'),
    planSummary: summary(2),
    forced: [],
  });
  for (const index of [0, 1])
    await store.appendHistoryStep(drain, { kind: 'step', index, at: '2026-11-20T09:01:00Z' });
  await store.finishHistory(drain, { status: 'SUCCEEDED', finishedAt: new Date('2026-11-20T09:10:00Z') });

  const shift = executionArn('slack-shift');
  await store.startHistory({
    executionId: shift,
    action: 'shift',
    requestedBy: 'slack:U024BE7LH',
    reason: 'canary green',
    startedAt: new Date('2026-11-21T14:30:00Z'),
    planSummary: summary(4),
    forced: ['receiver-unhealthy'],
  });
  await store.appendHistoryStep(shift, { kind: 'step', index: 0, at: '2026-11-21T14:31:00Z' });
  await store.appendHistoryStep(shift, { kind: 'rollback', mode: 'rollback', restored: 1 });
  await store.finishHistory(shift, {
    status: 'FAILED',
    error: 'GateFailed',
    cause:
      'gate alarms in ALARM: fleet-latency — rolled back: 1 routes restored to their snapshot, 0 already there',
    finishedAt: new Date('2026-11-21T14:35:00Z'),
  });
};

describe('clustershift history', () => {
  it('lists past shifts newest first: when, what, who, outcome, steps written, reason, and why one failed', async () => {
    // Prepare
    await seedHistory();

    // Act
    const result = await cli.run(['history']);

    // Assert
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'STARTED (UTC)        ACTION  CLUSTER  BY               OUTCOME                          STEPS  REASON',
        '2026-11-21 14:30:00  shift   -        slack:U024BE7LH  FAILED GateFailed (rolled back)  1/4    canary green',
        '2026-11-20 09:00:00  drain   blue     cli:ana          SUCCEEDED                        2/2    EKS upgrade',
        '',
        'slack-shift: forced receiver-unhealthy',
        'slack-shift: GateFailed: gate alarms in ALARM: fleet-latency — rolled back: 1 routes restored to their snapshot, 0 already there',
        '',
      ].join('\n'),
    );
  });

  it('keeps to --limit', async () => {
    await seedHistory();

    const result = await cli.run(['history', '--limit', '1', '--json']);

    expect(result.code).toBe(0);
    const records = JSON.parse(result.stdout);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      action: 'shift',
      status: 'FAILED',
      error: 'GateFailed',
      forced: ['receiver-unhealthy'],
    });
  });

  it('says so when nothing has been recorded', async () => {
    const result = await cli.run(['history']);

    expect(result.code).toBe(0);
    expect(result.stdout).toBe('no shifts recorded yet\n');
  });

  it('exits 2 on a --limit that is not a positive number', async () => {
    const result = await cli.run(['history', '--limit', 'ten']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--limit: expected a whole number >= 1, got "ten"');
  });
});
