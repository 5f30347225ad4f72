import type { Route } from '../../core/routes';
import { LB_ARN, LISTENER_ARN, tgArn } from '../support/fake-alb';
import { ALARMS, CliHarness } from './harness';

const cli = new CliHarness();

beforeAll(() => cli.start());
afterAll(() => cli.stop());
beforeEach(() => cli.reset());

const BLUE = tgArn('api-blue');
const GREEN = tgArn('api-green');

/** A drain of api.example.com in two steps (50/50 → 25/75 → 0/100), stored as Prepare would. */
const storedDrain = async (name: string, statuses: ('RUNNING' | 'SUCCEEDED' | 'FAILED')[], extra = {}) => {
  const rule = cli.addService('api.example.com', { blue: 50, green: 50 });
  const arn = cli.addExecution(name, statuses, extra);
  const route: Route = {
    id: rule,
    kind: 'rule',
    listenerArn: LISTENER_ARN,
    loadBalancerArn: LB_ARN,
    name: 'api.example.com',
    targets: [
      { targetGroupArn: BLUE, cluster: 'blue' },
      { targetGroupArn: GREEN, cluster: 'green' },
    ],
    controllerOwned: false,
  };
  const meta = {
    action: 'drain',
    cluster: 'blue',
    steps: [0.5, 1],
    bakeSeconds: 60,
    checkIntervalSeconds: 30,
    pauseBeforeSteps: [1],
    unchanged: 0,
    held: [],
    appliedStepIndex: -1,
  };
  await cli
    .store()
    .savePlan(
      arn,
      meta,
      [{ route, from: { [BLUE]: 50, [GREEN]: 50 }, to: { [BLUE]: 0, [GREEN]: 100 } }],
      new Date(),
    );
  /** What apply-step does: write the weights, record the step. */
  const applyStep = async (index: number, weights: Record<string, number>) => {
    cli.alb.setWeights(rule, weights);
    await cli.store().updatePlanMeta(arn, { appliedStepIndex: index });
  };
  return { arn, applyStep };
};

describe('clustershift watch', () => {
  it('prints a line per change (step, weights, observed share, gates) until the execution succeeds', async () => {
    // Prepare
    const { applyStep } = await storedDrain('drain-w1', ['RUNNING', 'RUNNING', 'SUCCEEDED']);
    const steps = [
      () => applyStep(0, { [BLUE]: 25, [GREEN]: 75 }),
      () => applyStep(1, { [BLUE]: 0, [GREEN]: 100 }),
    ];
    cli.onSleep = async () => {
      await steps.shift()?.();
    };

    // Act
    const result = await cli.run(['watch', 'drain-w1']);

    // Assert
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^watching arn:aws:states:.*:execution:clustershift-test:drain-w1$/);
    expect(lines[1]).toMatch(
      /^\d\d:\d\d:\d\d {2}RUNNING {2}drain blue {2}step 0\/2 {2}weights blue 50 %, green 50 % {2}observed blue 50 %, green 50 % {2}gates OK$/,
    );
    expect(lines[2]).toContain('RUNNING  drain blue  step 1/2 (50%)  weights blue 25 %, green 75 %');
    expect(lines[2]).toContain('HOLDING: approval needed before step 2 (clustershift approve)');
    expect(lines[3]).toContain('SUCCEEDED  drain blue  step 2/2 (100%)  weights blue 0 %, green 100 %');
    expect(lines[4]).toMatch(/^SUCCEEDED: arn:/);
  });

  it('shows a firing gate alarm and an abort request', async () => {
    const { arn } = await storedDrain('drain-w2', ['RUNNING', 'SUCCEEDED']);
    cli.cloudwatch.setAlarm(ALARMS.gate, 'ALARM');
    await cli.store().updateControl(arn, { aborted: true }, new Date());

    const result = await cli.run(['watch', arn]);

    expect(result.stdout).toContain('gates: fleet-latency ALARM  ABORT REQUESTED');
  });

  it('exits 1 with the error and its cause when the execution fails', async () => {
    await storedDrain('drain-w3', ['RUNNING', 'FAILED'], {
      error: 'Aborted',
      cause:
        'an operator aborted the shift — rolled back: 1 routes restored to their snapshot, 0 already there',
    });

    const result = await cli.run(['watch', 'drain-w3']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      '  Aborted: an operator aborted the shift — rolled back: 1 routes restored',
    );
  });

  it('follows the shift holding the lock when none is named', async () => {
    const { arn } = await storedDrain('drain-w4', ['RUNNING', 'SUCCEEDED']);
    await cli
      .store()
      .acquireLock({ executionId: arn, action: 'drain', requestedBy: 'cli:ana' }, new Date(), 900);

    const result = await cli.run(['watch']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`watching ${arn}`);
  });

  it('says "preparing" until the workflow has stored its plan', async () => {
    cli.addExecution('fresh', ['RUNNING', 'SUCCEEDED']);

    const result = await cli.run(['watch', 'fresh']);

    expect(result.stdout).toMatch(/RUNNING {2}preparing/);
  });

  it('with --json prints one JSON line per update', async () => {
    // Prepare
    const { applyStep } = await storedDrain('drain-w5', ['RUNNING', 'RUNNING', 'SUCCEEDED']);
    const steps = [() => applyStep(0, { [BLUE]: 25, [GREEN]: 75 })];
    cli.onSleep = async () => {
      await steps.shift()?.();
    };

    // Act
    const result = await cli.run(['watch', 'drain-w5', '--json']);

    // Assert
    const updates = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(updates.map((u) => [u.status, u.step.applied])).toEqual([
      ['RUNNING', 0],
      ['RUNNING', 1],
      ['SUCCEEDED', 1],
    ]);
    expect(updates[1]).toMatchObject({
      action: 'drain',
      cluster: 'blue',
      step: { applied: 1, total: 2, fraction: 0.5 },
      weights: { blue: 0.25, green: 0.75 },
      gates: { ok: true, alarms: { 'fleet-latency': 'OK', 'green-5xx': 'OK' } },
      paused: false,
      abortRequested: false,
    });
  });

  it('exits 1 at once on an execution that does not exist', async () => {
    const result = await cli.run(['watch', 'no-such-run']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'execution arn:aws:states:eu-west-1:123456789012:execution:clustershift-test:no-such-run does not exist',
    );
  });

  it('keeps following through a failed update', async () => {
    // Prepare
    const { arn } = await storedDrain('drain-w7', ['RUNNING', 'RUNNING', 'SUCCEEDED']);
    const execution = cli.executions.get(arn);
    let sleeps = 0;
    cli.onSleep = () => {
      sleeps += 1;
      // The second update fails (Step Functions does not answer as expected), the third works.
      if (sleeps === 1) cli.executions.delete(arn);
      if (sleeps === 2 && execution !== undefined) cli.executions.set(arn, execution);
    };

    // Act
    const result = await cli.run(['watch', 'drain-w7']);

    // Assert
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('update failed (AwsCallFailed: DescribeExecution failed');
    expect(result.stdout).toMatch(/^SUCCEEDED: arn:/m);
  });

  it('stops following when interrupted, saying the shift goes on', async () => {
    // Prepare
    await storedDrain('drain-w6', ['RUNNING']);
    const controller = new AbortController();
    cli.onSleep = () => controller.abort();

    // Act
    const result = await cli.run(['watch', 'drain-w6'], { signal: controller.signal });

    // Assert
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('the shift goes on');
  });
});
