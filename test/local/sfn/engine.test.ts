import { ClusterShiftError } from '../../../core/errors';
import { type ExecutionStatusChange, executionStatusChangeDetail } from '../../../local/sfn';
import { eventually, functionArn, rejection, twinWith, waiting } from './support';

const invoke = (functionName: string, extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: functionArn(functionName), 'Payload.$': '$' },
  ...extra,
});

describe('Step Functions twin: running executions', () => {
  it("compresses Wait states by the clock's time scale, SecondsPath and TimestampPath included", async () => {
    // One twin hour is one real millisecond: if the waits were not compressed, the test would time out.
    const twin = twinWith({}, 3_600_000);
    const machine = await twin.createMachine({
      StartAt: 'ForSeconds',
      States: {
        ForSeconds: { Type: 'Wait', SecondsPath: '$.seconds', Next: 'Until' },
        Until: { Type: 'Wait', TimestampPath: '$.until', Next: 'Fixed' },
        Fixed: { Type: 'Wait', Seconds: 3600, End: true },
      },
    });
    const until = new Date(twin.clock.now() + 7_200_000).toISOString();

    // Act
    const arn = await twin.start(machine, { seconds: 3600, until });
    const done = await twin.sfn.whenDone(arn);

    // Assert
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '')).toEqual({ seconds: 3600, until });
    const twinSeconds = ((done.stopDate?.getTime() ?? 0) - done.startDate.getTime()) / 1000;
    expect(twinSeconds).toBeGreaterThanOrEqual(3 * 3600);
  });

  it('StopExecution wakes a sleeping execution at once: ABORTED, and nothing after the wait runs', async () => {
    const next = jest.fn(async () => 'ran');
    const twin = twinWith({ next });
    const machine = await twin.createMachine({
      StartAt: 'Sleep',
      States: { Sleep: { Type: 'Wait', Seconds: 3600, Next: 'After' }, After: invoke('next', { End: true }) },
    });
    const arn = await twin.start(machine);
    await eventually(async () =>
      (await twin.history(arn)).some((event) => event.type === 'WaitStateEntered'),
    );

    // Act
    await twin.call('StopExecution', { executionArn: arn, error: 'Operator', cause: 'changed my mind' });
    const done = await twin.sfn.whenDone(arn);

    // Assert
    expect(done).toMatchObject({ status: 'ABORTED', error: 'Operator', cause: 'changed my mind' });
    const events = await twin.history(arn);
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'WaitStateEntered',
      'ExecutionAborted',
    ]);
    expect(events.at(-1)).toMatchObject({
      executionAbortedEventDetails: { error: 'Operator', cause: 'changed my mind' },
    });
    expect(next).not.toHaveBeenCalled();
  });

  it("hands a function's error to Retry and Catch by its name, with Lambda's error document as the cause", async () => {
    const check = jest.fn(async () => {
      throw new ClusterShiftError('GateFailed', 'gate alarms in ALARM: fleet-latency');
    });
    // Retry intervals are compressed too: 1000 s and 2000 s of backoff take a few real milliseconds.
    const twin = twinWith({ check }, 1_000_000);
    const machine = await twin.createMachine({
      StartAt: 'Check',
      States: {
        Check: invoke('check', {
          Retry: [{ ErrorEquals: ['GateFailed'], IntervalSeconds: 1000, MaxAttempts: 2, BackoffRate: 2 }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Caught' }],
          End: true,
        }),
        Caught: { Type: 'Pass', End: true },
      },
    });

    // Act
    const done = await twin.sfn.whenDone(await twin.start(machine, { step: 1 }));

    // Assert
    expect(check).toHaveBeenCalledTimes(3);
    expect(done.status).toBe('SUCCEEDED');
    const caught = JSON.parse(done.output ?? '').error as { Error: string; Cause: string };
    expect(caught.Error).toBe('GateFailed');
    expect(JSON.parse(caught.Cause)).toEqual({
      errorType: 'GateFailed',
      errorMessage: 'gate alarms in ALARM: fleet-latency',
      trace: expect.arrayContaining([expect.stringMatching(/^GateFailed: gate alarms/)]),
    });
  });

  it("fails the execution with an uncaught function error's name and cause", async () => {
    const twin = twinWith({
      lock: async () => {
        throw new ClusterShiftError('LockHeld', 'fleet prod is locked by drain-green');
      },
    });
    const machine = await twin.createMachine({
      StartAt: 'Lock',
      States: { Lock: invoke('lock', { End: true }) },
    });

    const arn = await twin.start(machine);
    const done = await twin.sfn.whenDone(arn);

    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('LockHeld');
    expect(JSON.parse(done.cause ?? '')).toMatchObject({
      errorType: 'LockHeld',
      errorMessage: 'fleet prod is locked by drain-green',
    });
    const events = await twin.history(arn);
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'ExecutionFailed',
    ]);
    expect(events[4]).toMatchObject({
      taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: 'LockHeld' },
    });
  });

  it('fails a Task that calls an unknown function with Lambda.ResourceNotFoundException', async () => {
    const twin = twinWith({});
    const machine = await twin.createMachine({
      StartAt: 'Call',
      States: { Call: invoke('missing', { End: true }) },
    });

    const done = await twin.sfn.whenDone(await twin.start(machine));

    expect(done).toMatchObject({
      status: 'FAILED',
      error: 'Lambda.ResourceNotFoundException',
      cause: `Function not found: ${functionArn('missing')}`,
    });
  });

  it("fails with a Fail state's error and cause", async () => {
    const twin = twinWith({});
    const machine = await twin.createMachine({
      StartAt: 'Stop',
      States: { Stop: { Type: 'Fail', ErrorPath: '$.name', CausePath: '$.why' } },
    });

    const done = await twin.sfn.whenDone(
      await twin.start(machine, { name: 'NotDrained', why: 'svc1 still receives' }),
    );

    expect(done).toMatchObject({ status: 'FAILED', error: 'NotDrained', cause: 'svc1 still receives' });
  });

  it("times an execution out after the definition's TimeoutSeconds of twin time", async () => {
    const twin = twinWith({}, 100_000);
    const machine = await twin.createMachine({ ...waiting, TimeoutSeconds: 60 });

    // Act
    const arn = await twin.start(machine, { seconds: 86_400 });
    const done = await twin.sfn.whenDone(arn);

    // Assert
    expect(done).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect((await twin.history(arn)).at(-1)?.type).toBe('ExecutionTimedOut');
  });

  it('gives the workflow the context object: $$.Execution.Id is the execution ARN', async () => {
    const twin = twinWith({});
    const machine = await twin.createMachine({
      StartAt: 'Who',
      States: {
        Who: {
          Type: 'Pass',
          Parameters: { 'id.$': '$$.Execution.Id', 'machine.$': '$$.StateMachine.Id' },
          End: true,
        },
      },
    });

    const arn = await twin.start(machine, {}, 'who');
    const done = await twin.sfn.whenDone(arn);

    expect(JSON.parse(done.output ?? '')).toEqual({ id: arn, machine });
  });

  it('records the history in order: ids, previous ids, twin timestamps, and each state as Step Functions names it', async () => {
    const twin = twinWith(
      { plan: async () => ({ steps: [{ index: 0 }, { index: 1 }] }), apply: async () => ({ ok: true }) },
      1000,
    );
    const machine = await twin.createMachine({
      StartAt: 'Plan',
      States: {
        Plan: invoke('plan', { ResultSelector: { 'steps.$': '$.Payload.steps' }, Next: 'Any?' }),
        'Any?': {
          Type: 'Choice',
          Choices: [{ Variable: '$.steps[0]', IsPresent: true, Next: 'Steps' }],
          Default: 'Done',
        },
        Steps: {
          Type: 'Map',
          ItemsPath: '$.steps',
          MaxConcurrency: 1,
          ItemProcessor: {
            StartAt: 'Apply',
            States: {
              Apply: invoke('apply', { Next: 'Bake' }),
              Bake: { Type: 'Wait', Seconds: 30, End: true },
            },
          },
          ResultPath: null,
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    });

    // Act
    const arn = await twin.start(machine);
    await twin.sfn.whenDone(arn);
    const events = await twin.history(arn);

    // Assert
    const iteration = [
      'MapIterationStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'WaitStateEntered',
      'WaitStateExited',
      'MapIterationSucceeded',
    ];
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'MapStateEntered',
      'MapStateStarted',
      ...iteration,
      ...iteration,
      'MapStateSucceeded',
      'MapStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    const times = events.map((event) => (event.timestamp as Date).getTime());
    expect(events.map((event) => [event.id, event.previousEventId])).toEqual(
      events.map((_, i) => [i + 1, i]),
    );
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(events[2]).toMatchObject({
      taskScheduledEventDetails: {
        resourceType: 'lambda',
        resource: 'invoke',
        parameters: JSON.stringify({ FunctionName: functionArn('plan'), Payload: {} }),
      },
    });
    const succeeded = events[4]?.taskSucceededEventDetails as { output: string };
    expect(JSON.parse(succeeded.output)).toMatchObject({
      StatusCode: 200,
      Payload: { steps: [{ index: 0 }, { index: 1 }] },
    });
    expect(events[9]).toMatchObject({ mapStateStartedEventDetails: { length: 2 } });
    expect(events[10]).toMatchObject({ mapIterationStartedEventDetails: { name: 'Steps', index: 0 } });
    expect(events[16]).toMatchObject({ stateEnteredEventDetails: { name: 'Bake' } });
  });

  it('tells listeners when an execution starts and ends, in the shape of the EventBridge event', async () => {
    const twin = twinWith({});
    const machine = await twin.createMachine(waiting);
    const changes: ExecutionStatusChange[] = [];
    const unsubscribe = twin.sfn.onExecutionStatusChange((change) => changes.push(change));

    // Act
    const arn = await twin.start(machine, { seconds: 0 }, 'watched');
    await twin.sfn.whenDone(arn);
    unsubscribe();
    await twin.sfn.whenDone(await twin.start(machine, { seconds: 0 }));

    // Assert
    expect(changes.map((change) => change.status)).toEqual(['RUNNING', 'SUCCEEDED']);
    const [, ended] = changes as [ExecutionStatusChange, ExecutionStatusChange];
    expect(executionStatusChangeDetail(ended)).toEqual({
      executionArn: arn,
      stateMachineArn: machine,
      name: 'watched',
      status: 'SUCCEEDED',
      startDate: ended.startDate.getTime(),
      stopDate: ended.stopDate?.getTime(),
      input: '{"seconds":0}',
      output: '{"seconds":0}',
      inputDetails: { included: true },
      outputDetails: { included: true },
      error: null,
      cause: null,
    });
  });

  it('keeps running when a listener throws', async () => {
    const twin = twinWith({});
    const machine = await twin.createMachine(waiting);
    twin.sfn.onExecutionStatusChange(() => {
      throw new Error('broken rule target');
    });

    const done = await twin.sfn.whenDone(await twin.start(machine, { seconds: 0 }));

    expect(done.status).toBe('SUCCEEDED');
  });

  it('stops the running executions of a state machine that is deleted', async () => {
    const twin = twinWith({});
    const machine = await twin.createMachine(waiting);
    const arn = await twin.start(machine, { seconds: 3600 });

    await twin.call('DeleteStateMachine', { stateMachineArn: machine });

    expect(await twin.sfn.whenDone(arn)).toMatchObject({ status: 'ABORTED' });
    expect(await rejection(twin.start(machine))).toMatchObject({ code: 'StateMachineDoesNotExist' });
  });

  it('fails a Wait whose SecondsPath is not a number, with States.Runtime that no Catch takes', async () => {
    const twin = twinWith({});
    const machine = await twin.createMachine(waiting);

    const done = await twin.sfn.whenDone(await twin.start(machine, { seconds: 'soon' }));

    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(done.cause).toMatch(/state W: the Wait's seconds must be a non-negative integer, got "soon"/);
  });
});
