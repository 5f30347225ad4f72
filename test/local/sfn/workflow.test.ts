import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setClockSource } from '../../../functions/shared/clock';
import { HANDLER_NAMES, type HandlerName, pascalCase } from '../../../infra/handlers';
import { TwinClock } from '../../../local/clock';
import type { LambdaHandler } from '../../../local/lambda/function';
import { LambdaRuntime } from '../../../local/lambda/runtime';
import { StepFunctionsTwin } from '../../../local/sfn';
import { ALARMS, substitutedDefinition, WorkflowHarness } from '../../support/workflow';
import { ACCOUNT, deployedFunction, REGION } from './support';

jest.setTimeout(60_000);

/**
 * statemachines/shift.asl.json on the Step Functions twin, with the real handlers from functions/ in
 * the Lambda runtime. The world (fake ALB and CloudWatch behind SDK mocks, DynamoDB in dynalite) is
 * the workflow harness's; the twin clock runs 1000× real time, for the handlers and the ALB alike.
 */
const harness = new WorkflowHarness();
const clock = new TwinClock(1000);
const FILE_OF = new Map<string, HandlerName>(
  HANDLER_NAMES.map((name) => [`clustershift-${pascalCase(name)}`, name]),
);
const event = (file: string) =>
  JSON.parse(readFileSync(join(__dirname, '../../../events', file), 'utf8')) as Record<string, unknown>;

interface Invocation {
  readonly handler: HandlerName;
  readonly event: Record<string, unknown>;
}
const invocations: Invocation[] = [];
/** Runs after a handler returns: tests change the world mid-shift here. */
let afterHandler: ((call: Invocation) => void | Promise<void>) | undefined;

const lambda = new LambdaRuntime({
  clock,
  loadHandler: async (fn) => {
    const name = FILE_OF.get(fn.name);
    if (name === undefined) throw new Error(`no handler file for ${fn.name}`);
    const { handler } = (await import(`../../../functions/${name}`)) as { handler: LambdaHandler };
    return async (payload, context, callback) => {
      const call = { handler: name, event: payload as Record<string, unknown> };
      invocations.push(call);
      const result = await handler(payload, context, callback);
      await afterHandler?.(call);
      return result;
    };
  },
});
const sfn = new StepFunctionsTwin({ clock, region: REGION, accountId: ACCOUNT, lambda });
let machineArn = '';

const run = async (input: Record<string, unknown>) => {
  const started = (await sfn.operations.StartExecution?.({
    stateMachineArn: machineArn,
    input: JSON.stringify(input),
  })) as {
    executionArn: string;
  };
  const done = await sfn.whenDone(started.executionArn);
  const history = (await sfn.operations.GetExecutionHistory?.({
    executionArn: started.executionArn,
    maxResults: 1000,
  })) as {
    events: Array<Record<string, unknown> & { type: string }>;
  };
  return { ...done, events: history.events };
};

const addServices = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    harness.addService(`svc${i}.example.com`, { blue: 50 + i, green: 50 - i }),
  );

beforeAll(async () => {
  await harness.start();
  setClockSource(() => clock.now());
  machineArn = sfn.createFromPlan({
    name: 'clustershift',
    definition: JSON.stringify(substitutedDefinition()),
  }).stateMachineArn;
});
afterAll(async () => {
  sfn.stopAll();
  await harness.stop();
});
beforeEach(async () => {
  await harness.reset();
  harness.alb.clock = () => clock.now();
  invocations.length = 0;
  afterHandler = undefined;
  // The functions' environment, as the template gives it: the fleet config and the table.
  const environment = {
    FLEET_CONFIG: process.env.FLEET_CONFIG ?? '',
    TABLE_NAME: process.env.TABLE_NAME ?? '',
  };
  for (const name of FILE_OF.keys()) lambda.register(deployedFunction(name, environment));
});

describe('the shift workflow on the Step Functions twin', () => {
  it('answers a dry run with the plan, writing nothing', async () => {
    addServices(3);

    const result = await run(event('drain-blue-dry-run.json'));

    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output ?? '')).toMatchObject({
      dryRun: true,
      summary: {
        routesChanging: 3,
        steps: [{ fraction: 0.25 }, { fraction: 0.5 }, { fraction: 0.75 }, { fraction: 1 }],
      },
    });
    expect(harness.alb.writes).toHaveLength(0);
    expect(result.events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('drains blue step by step, bakes and verifies on the twin clock, and releases the lock', async () => {
    const rules = addServices(3);

    const result = await run(event('drain-blue.json'));

    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output ?? '')).toMatchObject({ status: 'SUCCEEDED' });
    for (const rule of rules) expect(harness.clusterWeights(rule)).toEqual({ blue: 0, green: 100 });
    expect(await (await harness.store()).getLock()).toBeUndefined();
    const types = result.events.map((e) => e.type);
    expect(types.filter((type) => type === 'MapIterationStarted')).toHaveLength(4);
    const waits = result.events
      .filter((e) => e.type === 'WaitStateEntered')
      .map((e) => (e.stateEnteredEventDetails as { name: string }).name);
    expect(new Set(waits)).toEqual(new Set(['BakeWait', 'VerifyWait']));
    expect(invocations.filter((call) => call.handler === 'apply-step')).toHaveLength(4);
    // Twin time covered the bakes (4 steps × 2 checks × 30 s) and at least one verify interval (60 s).
    expect((result.stopDate?.getTime() ?? 0) - result.startDate.getTime()).toBeGreaterThanOrEqual(300_000);
  });

  it('rolls back and fails with GateFailed when a gate alarm fires mid-drain, the cause saying where routes were left', async () => {
    const rules = addServices(3);
    const before = rules.map((rule) => harness.alb.weightsOf(rule));
    afterHandler = (call) => {
      if (call.handler === 'apply-step' && call.event.stepIndex === 1)
        harness.cloudwatch.setAlarm(ALARMS.gate, 'ALARM');
    };

    const result = await run(event('drain-blue.json'));

    expect(result).toMatchObject({ status: 'FAILED', error: 'GateFailed' });
    expect(result.cause).toMatch(/fleet-latency — rolled back: 3 routes restored to their snapshot/);
    expect(rules.map((rule) => harness.alb.weightsOf(rule))).toEqual(before);
    const failed = result.events.find((e) => e.type === 'TaskFailed')?.taskFailedEventDetails as {
      error: string;
      cause: string;
    };
    expect(failed.error).toBe('GateFailed');
    expect(JSON.parse(failed.cause)).toMatchObject({ errorType: 'GateFailed', trace: expect.any(Array) });
    expect(result.events.at(-1)).toMatchObject({
      type: 'ExecutionFailed',
      executionFailedEventDetails: { error: 'GateFailed' },
    });
  });

  it('stops an execution mid-drain: ABORTED at once, no further function runs, its own Catch does not roll back', async () => {
    const [rule] = addServices(1);
    afterHandler = async (call) => {
      if (call.handler === 'apply-step' && call.event.stepIndex === 0) {
        await sfn.operations.StopExecution?.({
          executionArn: call.event.executionId,
          error: 'Operator',
          cause: 'stop now',
        });
      }
    };

    const result = await run(event('drain-blue.json'));

    expect(result).toMatchObject({ status: 'ABORTED', error: 'Operator', cause: 'stop now' });
    expect(invocations.at(-1)?.handler).toBe('apply-step');
    expect(harness.clusterWeights(rule as string).blue).toBeGreaterThan(0);
    expect(harness.clusterWeights(rule as string).blue).toBeLessThan(50);
    expect(result.events.at(-1)?.type).toBe('ExecutionAborted');
  });
});
