import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { CliHarness } from './harness';

const cli = new CliHarness();

beforeAll(() => cli.start());
afterAll(() => cli.stop());
beforeEach(() => cli.reset());

/** A running drain holding the fleet lock, with its plan stored as Prepare would (step 1 of 3 applied). */
const runningDrain = async (name: string, pauseBeforeSteps: number[] = []) => {
  const arn = cli.addExecution(name, ['RUNNING']);
  const store = cli.store();
  await store.acquireLock(
    { executionId: arn, action: 'drain', cluster: 'blue', requestedBy: 'cli:ana' },
    new Date(),
    900,
  );
  await store.savePlan(
    arn,
    {
      action: 'drain',
      cluster: 'blue',
      steps: [0.25, 0.5, 1],
      bakeSeconds: 60,
      checkIntervalSeconds: 30,
      pauseBeforeSteps,
      unchanged: 0,
      held: [],
      appliedStepIndex: 0,
    },
    [],
    new Date(),
  );
  return arn;
};

describe('clustershift pause, resume, approve and abort', () => {
  it('pause sets the paused flag on the execution holding the lock', async () => {
    // Prepare
    const arn = await runningDrain('drain-1');

    // Act
    const result = await cli.run(['pause']);

    // Assert
    expect(result.code).toBe(0);
    expect(await cli.store().getControl(arn)).toEqual({
      paused: true,
      aborted: false,
      approvedThroughStep: -1,
    });
    expect(result.stdout).toContain(`pause requested for ${arn}`);
    expect(result.stdout).toContain('at its next gate check (every 30 s)');
  });

  it('resume clears the pause and approves the next step', async () => {
    const arn = await runningDrain('drain-2');
    await cli.store().updateControl(arn, { paused: true }, new Date());

    const result = await cli.run(['resume']);

    expect(result.code).toBe(0);
    expect(await cli.store().getControl(arn)).toEqual({
      paused: false,
      aborted: false,
      approvedThroughStep: 1,
    });
    expect(result.stdout).toContain('(step 2 approved)');
  });

  it('approve approves the next step only, and --through up to a later one', async () => {
    const arn = await runningDrain('drain-3', [1, 2]);

    const next = await cli.run(['approve']);
    const afterNext = await cli.store().getControl(arn);
    const through = await cli.run(['approve', '--through', '3']);

    expect(next.code).toBe(0);
    expect(afterNext.approvedThroughStep).toBe(1);
    expect(through.code).toBe(0);
    expect(await cli.store().getControl(arn)).toMatchObject({ approvedThroughStep: 2, paused: false });
    expect(through.stdout).toContain('approved through step 3 of 3');
  });

  it('approve refuses a step the plan does not have', async () => {
    const arn = await runningDrain('drain-4');

    const result = await cli.run(['approve', '--through', '4']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the plan has 3 step(s); there is no step 4 to approve');
    expect(await cli.store().getControl(arn)).toMatchObject({ approvedThroughStep: -1 });
  });

  it('abort sets the abort flag with who and why, and leaves the execution to roll back', async () => {
    // Prepare
    const arn = await runningDrain('drain-5');

    // Act
    const result = await cli.run(['abort', '--reason', 'latency up']);

    // Assert
    expect(result.code).toBe(0);
    expect(await cli.store().getControl(arn)).toMatchObject({ aborted: true });
    expect(await cli.item(`exec#${arn}`, 'control')).toMatchObject({
      updatedBy: expect.stringMatching(/^cli:\S+: latency up$/),
    });
    expect(result.stdout).toContain('rolls back what it wrote');
    expect(cli.sfn.commandCalls(StopExecutionCommand)).toHaveLength(0);
  });

  it('abort --stop also stops the execution, warning that nothing rolls back', async () => {
    const arn = await runningDrain('drain-6');

    const result = await cli.run(['abort', '--stop', '--json']);

    expect(result.code).toBe(0);
    expect(cli.sfn.commandCalls(StopExecutionCommand)[0]?.args[0].input).toMatchObject({
      executionArn: arn,
      error: 'Aborted',
    });
    expect(result.stderr).toContain('no rollback runs');
    expect(JSON.parse(result.stdout)).toMatchObject({ executionArn: arn, aborted: true, stopped: true });
  });

  it('acts on the only running execution when none holds the lock (still preparing)', async () => {
    const arn = cli.addExecution('preparing', ['RUNNING']);

    const result = await cli.run(['pause']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('at its first gate check');
    expect(await cli.store().getControl(arn)).toMatchObject({ paused: true });
  });

  it('acts on an execution named with --execution', async () => {
    await runningDrain('holder');
    const other = cli.addExecution('other', ['RUNNING']);

    const result = await cli.run(['pause', '--execution', 'other']);

    expect(result.code).toBe(0);
    expect(await cli.store().getControl(other)).toMatchObject({ paused: true });
  });

  it('exits 1 when no shift is running', async () => {
    const result = await cli.run(['pause']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no shift is running');
  });

  it('exits 1 without setting anything on an execution that has ended', async () => {
    const ended = cli.addExecution('ended', ['SUCCEEDED']);

    const result = await cli.run(['abort', '--execution', ended]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`execution ${ended} is not running (SUCCEEDED); nothing was changed`);
    expect(await cli.store().getControl(ended)).toMatchObject({ aborted: false });
  });

  it('exits 1 and names them when several executions run and none holds the lock', async () => {
    cli.addExecution('one', ['RUNNING']);
    cli.addExecution('two', ['RUNNING']);

    const result = await cli.run(['abort']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      '2 executions are running and none holds the fleet lock; name the one to act on (CLI --execution <name>, chat: the name after the command)',
    );
    expect(result.stderr).toMatch(/^ {2}one \(since /m);
  });
});

describe('clustershift freeze and unfreeze', () => {
  it('freeze records the reason and who; unfreeze clears it and says what it was', async () => {
    // Act
    const frozen = await cli.run(['freeze', '--reason', 'black friday']);
    const stored = await cli.store().getFreeze();
    const unfrozen = await cli.run(['unfreeze']);

    // Assert
    expect(frozen.code).toBe(0);
    expect(stored).toMatchObject({ reason: 'black friday', by: expect.stringMatching(/^cli:/) });
    expect(frozen.stdout).toContain(`fleet ${cli.fleet} frozen by cli:`);
    expect(unfrozen.code).toBe(0);
    expect(unfrozen.stdout).toContain('unfrozen (was frozen by cli:');
    expect(unfrozen.stdout).toContain(': black friday)');
    expect(await cli.store().getFreeze()).toBeUndefined();
  });

  it('freeze without --reason is a usage error', async () => {
    const result = await cli.run(['freeze']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("required option '--reason <text>' not specified");
    expect(await cli.store().getFreeze()).toBeUndefined();
  });

  it('unfreeze of a fleet that is not frozen says so', async () => {
    const result = await cli.run(['unfreeze', '--json']);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ fleet: cli.fleet, frozen: false, previous: null });
  });
});
