import { tgArn } from '../support/fake-alb';
import { ALARMS, CliHarness } from './harness';

const cli = new CliHarness();

beforeAll(() => cli.start());
afterAll(() => cli.stop());
beforeEach(() => cli.reset());

describe('clustershift plan', () => {
  it('prints every route’s weights per cluster, now and after each step, and writes nothing', async () => {
    // Prepare
    cli.addService('api.example.com', { blue: 50, green: 50 });
    cli.addService('web.example.com', { blue: 100, green: 0 });

    // Act
    const result = await cli.run(['plan', 'drain', 'blue']);

    // Assert
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(
      'plan: drain blue: 2 step(s) (50%, 100%), bake 60 s each, gates checked every 30 s',
    );
    expect(result.stdout).toContain('2 route(s) change, 0 already there, 0 held');
    expect(result.stdout).toContain(
      [
        'ROUTE            CLUSTER  NOW  50%  100%',
        'api.example.com  blue      50   25     0',
        '                 green     50   75   100',
        'web.example.com  blue     100   50     0',
        '                 green      0   50   100',
      ].join('\n'),
    );
    expect(result.stdout).toContain(
      [
        'FLEET SHARE  NOW   50%   100%',
        'blue         75 %  38 %    0 %',
        'green        25 %  63 %  100 %',
      ].join('\n'),
    );
    expect(result.stdout).toContain('dry run: nothing was written');
    expect(cli.writes()).toEqual([]);
  });

  it('exits 1 when a guardrail refuses, naming it, its routes and how to force it', async () => {
    // Prepare
    cli.addService('api.example.com', { blue: 50, green: 50 });
    cli.addService('reports.example.com', { blue: 100 });

    // Act
    const result = await cli.run(['plan', 'drain', 'blue']);

    // Assert
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('1 route(s) change, 0 already there, 1 held');
    expect(result.stdout).toContain(
      '  reports.example.com: blue is the only cluster this route forwards to [single-cluster-route]',
    );
    expect(result.stdout).toContain(
      '  REFUSED single-cluster-route: these services would be left with no cluster (they would go dark) (override: --force single-cluster-route)',
    );
    expect(result.stdout).toMatch(/^ +reports\.example\.com$/m);
    expect(result.stdout).toContain(
      'the workflow would refuse this plan (GuardrailViolation); nothing was written',
    );
    expect(cli.writes()).toEqual([]);
  });

  it('exits 0 when the refusing guardrail is forced, marking it forced', async () => {
    cli.addService('api.example.com', { blue: 50, green: 50 });
    cli.addService('reports.example.com', { blue: 100 });

    const result = await cli.run(['plan', 'drain', 'blue', '--force', 'single-cluster-route']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('  forced  single-cluster-route:');
  });

  it('refuses to give weight to a cluster whose health alarm fires', async () => {
    cli.addService('api.example.com', { blue: 50, green: 50 });
    cli.cloudwatch.setAlarm(ALARMS.green, 'ALARM');

    const result = await cli.run(['plan', 'drain', 'blue']);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'REFUSED receiver-alarm: would give weight to clusters in alarm: green (green-5xx)',
    );
  });

  it('plans a shift to explicit weights with the given steps', async () => {
    cli.addService('api.example.com', { blue: 50, green: 50 });

    const result = await cli.run(['plan', 'shift', '--weights', 'blue=90,green=10', '--steps', '1']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('plan: shift to blue=90,green=10: 1 step(s) (100%)');
    expect(result.stdout).toContain('api.example.com  blue      50    90');
  });

  it('says a restore needs a baseline when the cluster was never drained', async () => {
    cli.addService('api.example.com', { blue: 0, green: 100 });

    const result = await cli.run(['plan', 'restore', 'blue']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('<cluster>: no baseline recorded for blue');
  });

  it('plans a restore back to the recorded baseline', async () => {
    // Prepare
    const rule = cli.addService('api.example.com', { blue: 0, green: 100 });
    await cli
      .store()
      .saveBaselineIfAbsent(
        'blue',
        'exec-drain',
        { [rule]: { [tgArn('api-blue')]: 30, [tgArn('api-green')]: 70 } },
        new Date(),
      );

    // Act
    const result = await cli.run(['plan', 'restore', 'blue']);

    // Assert
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      [
        'ROUTE            CLUSTER  NOW  25%  50%  75%  100%',
        'api.example.com  blue       0    8   15   23    30',
        '                 green    100   92   85   77    70',
      ].join('\n'),
    );
  });

  it('with --json prints one document with routes, per-step weights, shares and violations', async () => {
    // Prepare
    cli.addService('api.example.com', { blue: 50, green: 50 });

    // Act
    const result = await cli.run(['plan', 'drain', 'blue', '--json']);

    // Assert
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({
      request: { action: 'drain', cluster: 'blue', dryRun: true },
      steps: [0.5, 1],
      routes: [
        { name: 'api.example.com', kind: 'rule', weights: { blue: [50, 25, 0], green: [50, 75, 100] } },
      ],
      fleetShares: { blue: [0.5, 0.25, 0], green: [0.5, 0.75, 1] },
      violations: [],
      refused: false,
    });
  });
});
