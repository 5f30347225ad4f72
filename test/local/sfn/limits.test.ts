import { MAX_HISTORY_EVENTS } from '../../../local/sfn/history';
import { functionArn, twinWith } from './support';

const invoke = (functionName: string, extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: functionArn(functionName), 'Payload.$': '$' },
  ...extra,
});

/** Every event of an execution, page by page, as GetExecutionHistory serves them. */
const allEvents = async (twin: ReturnType<typeof twinWith>, executionArn: string) => {
  const events: Array<Record<string, unknown> & { type: string; id: number }> = [];
  let nextToken: string | undefined;
  do {
    const page = await twin.call<{ events: typeof events; nextToken?: string }>('GetExecutionHistory', {
      executionArn,
      maxResults: 1000,
      ...(nextToken === undefined ? {} : { nextToken }),
    });
    events.push(...page.events);
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return events;
};

/** A string of `bytes` ASCII characters. */
const text = (bytes: number) => 'x'.repeat(bytes);

describe('Step Functions twin: the 25,000-event history quota', () => {
  it('fails an execution whose history reaches 25,000 events with States.Runtime, no Catch running and no function started after it', async () => {
    // Prepare: a loop that never ends by itself; a catch-all that would call another function
    let ticks = 0;
    const caught = jest.fn(async () => ({}));
    const twin = twinWith({ tick: async () => ({ tick: ++ticks }), caught });
    const machine = await twin.createMachine({
      StartAt: 'Tick',
      States: {
        Tick: invoke('tick', {
          ResultPath: null,
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          Next: 'Again',
        }),
        Again: {
          Type: 'Choice',
          Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }],
          Default: 'Tick',
        },
        Caught: invoke('caught', { End: true }),
        Done: { Type: 'Succeed' },
      },
    });

    // Act
    const arn = await twin.start(machine, {});
    const done = await twin.sfn.whenDone(arn);
    const events = await allEvents(twin, arn);

    // Assert
    expect(done).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: 'The execution reached the maximum number of history events (25000).',
    });
    expect(events).toHaveLength(MAX_HISTORY_EVENTS);
    expect(events.at(-1)).toMatchObject({
      id: 25_000,
      type: 'ExecutionFailed',
      executionFailedEventDetails: { error: 'States.Runtime' },
    });
    expect(caught).not.toHaveBeenCalled();
    // Every function that ran has its TaskStarted in the history: none ran past the limit.
    expect(events.filter((event) => event.type === 'TaskStarted')).toHaveLength(ticks);
  }, 60_000);
});

describe('Step Functions twin: 256 KB state payloads (States.DataLimitExceeded)', () => {
  const bigResult = async () => ({ blob: text(270_000) });

  it('fails a Task whose result is over 262,144 bytes, which a States.ALL catcher does not take', async () => {
    // Prepare
    const after = jest.fn(async () => ({}));
    const twin = twinWith({ big: bigResult, after });
    const machine = await twin.createMachine({
      StartAt: 'Big',
      States: {
        Big: invoke('big', { Catch: [{ ErrorEquals: ['States.ALL'], Next: 'After' }], End: true }),
        After: invoke('after', { End: true }),
      },
    });

    // Act
    const arn = await twin.start(machine);
    const done = await twin.sfn.whenDone(arn);

    // Assert
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('States.DataLimitExceeded');
    expect(done.cause).toMatch(/'Big' returned a result .* \(2\d{5} bytes; the limit is 262144\)/);
    expect(after).not.toHaveBeenCalled();
    expect((await twin.history(arn)).map((event) => event.type)).toContain('TaskFailed');
  });

  it('lets a catcher that names States.DataLimitExceeded take it', async () => {
    // Prepare
    const twin = twinWith({ big: bigResult, after: async () => ({ handled: true }) });
    const machine = await twin.createMachine({
      StartAt: 'Big',
      States: {
        Big: invoke('big', {
          Catch: [
            { ErrorEquals: ['States.DataLimitExceeded'], ResultPath: '$.error', Next: 'After' },
            { ErrorEquals: ['States.ALL'], Next: 'Failed' },
          ],
          End: true,
        }),
        After: invoke('after', { ResultSelector: { 'handled.$': '$.Payload.handled' }, End: true }),
        Failed: { Type: 'Fail', Error: 'Wrong' },
      },
    });

    // Act
    const done = await twin.sfn.whenDone(await twin.start(machine));

    // Assert
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '')).toEqual({ handled: true });
  });

  it('fails a Task whose input after Parameters is over the limit before its function runs', async () => {
    // Prepare: 150 KB of input, twice in the Parameters
    const doubled = jest.fn(async () => ({}));
    const twin = twinWith({ doubled });
    const machine = await twin.createMachine({
      StartAt: 'Doubled',
      States: {
        Doubled: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: functionArn('doubled'), Payload: { 'a.$': '$.blob', 'b.$': '$.blob' } },
          End: true,
        },
      },
    });

    // Act
    const done = await twin.sfn.whenDone(await twin.start(machine, { blob: text(150_000) }));

    // Assert
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(done.cause).toMatch(/'Doubled' has an input .* after Parameters/);
    expect(doubled).not.toHaveBeenCalled();
  });

  it("fails the execution when a state's output is over the limit, and the next Task never runs", async () => {
    // Prepare: a Pass state that doubles 150 KB of input
    const next = jest.fn(async () => ({}));
    const twin = twinWith({ next });
    const machine = await twin.createMachine({
      StartAt: 'Double',
      States: {
        Double: { Type: 'Pass', Parameters: { 'a.$': '$.blob', 'b.$': '$.blob' }, Next: 'Then' },
        Then: invoke('next', { Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], End: true }),
        Caught: { Type: 'Pass', End: true },
      },
    });

    // Act
    const arn = await twin.start(machine, { blob: text(150_000) });
    const done = await twin.sfn.whenDone(arn);

    // Assert
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(done.cause).toMatch(/'Double' has an output .*\(300\d{3} bytes/);
    expect(next).not.toHaveBeenCalled();
    expect((await twin.history(arn)).map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'ExecutionFailed',
    ]);
  });
});
