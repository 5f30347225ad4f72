import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { CliHarness, STATE_MACHINE } from './harness';

const cli = new CliHarness();

beforeAll(() => cli.start());
afterAll(() => cli.stop());
beforeEach(() => {
  cli.reset();
  cli.addService('api.example.com', { blue: 50, green: 50 });
});

describe('clustershift drain, restore and shift', () => {
  it('starts a drain on the stack’s state machine with the request and who asked, and prints its ARN', async () => {
    // Act
    const result = await cli.run(['drain', 'blue', '--reason', 'EKS 1.31 upgrade']);

    // Assert
    expect(result.code).toBe(0);
    const call = cli.sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(call?.stateMachineArn).toBe(STATE_MACHINE);
    expect(call?.name).toMatch(/^cli-drain-blue-\d{8}T\d{6}-[0-9a-f]{4}$/);
    expect(cli.startedInputs()).toEqual([
      {
        action: 'drain',
        cluster: 'blue',
        reason: 'EKS 1.31 upgrade',
        requestedBy: expect.stringMatching(/^cli:\S+/),
        dryRun: false,
        force: [],
      },
    ]);
    expect(result.stdout).toContain(
      `started arn:aws:states:eu-west-1:123456789012:execution:clustershift-test:${call?.name}`,
    );
    expect(result.stdout).toContain(`clustershift watch ${call?.name}`);
  });

  it('passes force, steps, bake and pause-before (1-based on the command line) into the input', async () => {
    const result = await cli.run([
      'restore',
      'blue',
      '--reason',
      'upgraded',
      '--force',
      'receiver-unhealthy,frozen',
      '--steps',
      '0.5,1',
      '--bake',
      '120',
      '--pause-before',
      '2',
    ]);

    expect(result.code).toBe(0);
    expect(cli.startedInputs()[0]).toMatchObject({
      action: 'restore',
      cluster: 'blue',
      force: ['receiver-unhealthy', 'frozen'],
      steps: [0.5, 1],
      bakeSeconds: 120,
      pauseBeforeSteps: [1],
    });
  });

  it('starts a shift with the weights as percent per cluster', async () => {
    const result = await cli.run(['shift', '--weights', 'blue=20,green=80', '--reason', 'canary']);

    expect(result.code).toBe(0);
    expect(cli.startedInputs()[0]).toMatchObject({ action: 'shift', weights: { blue: 20, green: 80 } });
    expect(cli.startedInputs()[0]).not.toHaveProperty('cluster');
  });

  it('exits 2 on shift without --weights', async () => {
    const result = await cli.run(['shift', '--reason', 'canary']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("required option '--weights <split>' not specified");
    expect(cli.writes()).toEqual([]);
  });

  it('refuses with exit 1 and starts nothing while another shift holds the lock', async () => {
    // Prepare
    const holder = 'arn:aws:states:eu-west-1:123456789012:execution:clustershift-test:other';
    await cli
      .store()
      .acquireLock(
        { executionId: holder, action: 'drain', cluster: 'green', requestedBy: 'cli:bob' },
        new Date(),
        900,
      );

    // Act
    const result = await cli.run(['drain', 'blue', '--reason', 'upgrade']);

    // Assert
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`LockHeld: fleet ${cli.fleet} is locked by ${holder}`);
    expect(result.stderr).toContain('drain green by cli:bob');
    expect(result.stderr).toContain('nothing was started');
    expect(cli.writes()).toEqual([]);
  });

  it('refuses with exit 1 while the fleet is frozen, unless frozen is forced', async () => {
    // Prepare
    await cli
      .store()
      .setFreeze({ reason: 'black friday', by: 'cli:bob', at: new Date('2026-11-27T08:00:00Z') });

    // Act
    const refused = await cli.run(['drain', 'blue', '--reason', 'upgrade']);
    const writesAfterRefusal = cli.writes();
    const forced = await cli.run(['drain', 'blue', '--reason', 'upgrade', '--force', 'frozen']);

    // Assert
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `frozen: fleet ${cli.fleet} is frozen by cli:bob since 2026-11-27 08:00:00 UTC`,
    );
    expect(refused.stderr).toContain('  reason: black friday');
    expect(writesAfterRefusal).toEqual([]);
    expect(forced.code).toBe(0);
    expect(cli.startedInputs()[0]).toMatchObject({ force: ['frozen'] });
  });

  it('starts anyway when the lock’s lease has run out', async () => {
    await cli
      .store()
      .acquireLock(
        { executionId: 'old', action: 'drain', requestedBy: 'cli:bob' },
        new Date(Date.now() - 3_600_000),
        60,
      );

    const result = await cli.run(['drain', 'blue', '--reason', 'upgrade']);

    expect(result.code).toBe(0);
    expect(cli.writes()).toEqual(['StartExecution']);
  });

  it('with --wait exits 1 and prints the error and cause when the execution fails', async () => {
    // Prepare
    cli.sfn.on(StartExecutionCommand).callsFake((input: { name?: string }) => {
      const arn = cli.addExecution(input.name ?? 'x', ['RUNNING', 'RUNNING', 'FAILED'], {
        error: 'GateFailed',
        cause:
          'gate alarms in ALARM: fleet-latency — rolled back: 1 routes restored to their snapshot, 0 already there',
      });
      return { executionArn: arn, startDate: new Date() };
    });

    // Act
    const result = await cli.run(['drain', 'blue', '--reason', 'upgrade', '--wait']);

    // Assert
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^FAILED: arn:aws:states:.*:cli-drain-blue-/m);
    expect(result.stderr).toContain(
      '  GateFailed: gate alarms in ALARM: fleet-latency — rolled back: 1 routes restored',
    );
  });

  it('with --wait exits 0 when the execution succeeds', async () => {
    cli.sfn.on(StartExecutionCommand).callsFake((input: { name?: string }) => {
      const arn = cli.addExecution(input.name ?? 'x', ['RUNNING', 'SUCCEEDED'], {
        output: { status: 'SUCCEEDED', message: 'clustershift: drain blue succeeded' },
      });
      return { executionArn: arn, startDate: new Date() };
    });

    const result = await cli.run(['drain', 'blue', '--reason', 'upgrade', '--wait']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('clustershift: drain blue succeeded');
    expect(result.stdout).toMatch(/^SUCCEEDED: arn:/m);
  });

  it('with --dry-run waits for the workflow’s plan and prints it, without taking the lock first', async () => {
    // Prepare
    await cli
      .store()
      .acquireLock({ executionId: 'busy', action: 'drain', requestedBy: 'cli:bob' }, new Date(), 900);
    cli.sfn.on(StartExecutionCommand).callsFake((input: { name?: string }) => {
      const arn = cli.addExecution(input.name ?? 'x', ['SUCCEEDED'], {
        output: {
          dryRun: true,
          summary: {
            action: 'drain',
            cluster: 'blue',
            routesChanging: 1,
            routesUnchanged: 0,
            held: [],
            forced: [],
            steps: [
              { index: 0, fraction: 0.5, shares: { blue: 0.25, green: 0.75 } },
              { index: 1, fraction: 1, shares: { blue: 0, green: 1 } },
            ],
            routes: [
              {
                name: 'api.example.com',
                before: 'blue=50 green=50',
                steps: ['blue=25 green=75', 'blue=0 green=100'],
              },
            ],
            routesOmitted: 0,
          },
        },
      });
      return { executionArn: arn, startDate: new Date() };
    });

    // Act
    const result = await cli.run(['drain', 'blue', '--reason', 'what if', '--dry-run']);

    // Assert
    expect(result.code).toBe(0);
    expect(cli.startedInputs()[0]).toMatchObject({ dryRun: true });
    expect(result.stdout).toContain('drain blue: 1 route(s) change, 0 already there, 0 held');
    expect(result.stdout).toContain('api.example.com  blue=50 green=50  blue=25 green=75  blue=0 green=100');
  });

  it('with --json prints the execution ARN, its name and the input', async () => {
    const result = await cli.run(['drain', 'blue', '--reason', 'upgrade', '--json']);

    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({
      executionArn: expect.stringContaining(':execution:clustershift-test:cli-drain-blue-'),
      name: expect.stringMatching(/^cli-drain-blue-/),
      input: { action: 'drain', cluster: 'blue', reason: 'upgrade' },
    });
  });
});
