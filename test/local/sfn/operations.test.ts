import { TwinError } from '../../../local/errors';
import { ACCOUNT, pass, REGION, ROLE, rejection, twinWith, waiting } from './support';

type Twin = ReturnType<typeof twinWith>;

describe('Step Functions twin: state machines', () => {
  let twin: Twin;
  beforeEach(() => {
    twin = twinWith({});
  });

  it('creates a state machine and describes it back', async () => {
    // Act
    const created = await twin.call<{ stateMachineArn: string; creationDate: Date }>('CreateStateMachine', {
      name: 'shift',
      definition: JSON.stringify(pass),
      roleArn: ROLE,
    });
    const described = await twin.call('DescribeStateMachine', { stateMachineArn: created.stateMachineArn });

    // Assert
    expect(created.stateMachineArn).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:shift`);
    expect(created.creationDate).toBeInstanceOf(Date);
    expect(described).toMatchObject({
      stateMachineArn: created.stateMachineArn,
      name: 'shift',
      status: 'ACTIVE',
      definition: JSON.stringify(pass),
      roleArn: ROLE,
      type: 'STANDARD',
      creationDate: created.creationDate,
    });
  });

  it('answers the same CreateStateMachine twice alike, and refuses another definition under the same name', async () => {
    const request = { name: 'shift', definition: JSON.stringify(pass), roleArn: ROLE };
    const first = await twin.call('CreateStateMachine', request);

    // Act
    const again = await twin.call('CreateStateMachine', request);
    const other = await rejection(
      twin.call('CreateStateMachine', { ...request, definition: JSON.stringify(waiting) }),
    );

    // Assert
    expect(again).toEqual(first);
    expect(other).toMatchObject({ code: 'StateMachineAlreadyExists' });
  });

  it.each([
    ['not JSON', '{"StartAt":', /^Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION/],
    ['not an object', '[]', /must be a JSON object/],
    [
      'without StartAt',
      JSON.stringify({ States: { P: { Type: 'Pass', End: true } } }),
      /SCHEMA_VALIDATION_FAILED/,
    ],
    [
      'with a transition to nowhere',
      JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Next: 'Nowhere' } } }),
      /SCHEMA_VALIDATION_FAILED/,
    ],
    [
      'in JSONata',
      JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
      /not supported by the local twin: QueryLanguage JSONata/,
    ],
    [
      'calling a service the twin does not run',
      JSON.stringify({
        StartAt: 'T',
        States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: {}, End: true } },
      }),
      /not supported by the local twin: state T: Task Resource arn:aws:states:::sns:publish/,
    ],
  ])('refuses a definition %s with InvalidDefinition', async (_case, definition, message) => {
    const error = await rejection(
      twin.call('CreateStateMachine', { name: 'shift', definition, roleArn: ROLE }),
    );

    expect(error).toBeInstanceOf(TwinError);
    expect(error.code).toBe('InvalidDefinition');
    expect(error.message).toMatch(message);
  });

  it.each([['with space'], ['a:b'], ['a/b'], ['x'.repeat(81)], ['']])(
    'refuses the name %j with InvalidName',
    async (name) => {
      const error = await rejection(
        twin.call('CreateStateMachine', { name, definition: JSON.stringify(pass), roleArn: ROLE }),
      );

      expect(error).toMatchObject({ code: 'InvalidName' });
    },
  );

  it('refuses a missing definition, a role that is no role ARN and an unknown type', async () => {
    const base = { name: 'shift', definition: JSON.stringify(pass), roleArn: ROLE };

    const missing = await rejection(twin.call('CreateStateMachine', { name: 'shift', roleArn: ROLE }));
    const role = await rejection(
      twin.call('CreateStateMachine', { ...base, roleArn: 'arn:aws:iam::123:user/bob' }),
    );
    const type = await rejection(twin.call('CreateStateMachine', { ...base, type: 'FAST' }));

    expect(missing).toMatchObject({
      code: 'ValidationException',
      message: expect.stringMatching(/'definition'/),
    });
    expect(role).toMatchObject({ code: 'InvalidArn' });
    expect(type).toMatchObject({
      code: 'ValidationException',
      message: expect.stringMatching(/\[STANDARD, EXPRESS\]/),
    });
  });

  it('answers an unknown state machine with StateMachineDoesNotExist and a malformed ARN with InvalidArn', async () => {
    const unknown = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:nope`;

    const missing = await rejection(twin.call('DescribeStateMachine', { stateMachineArn: unknown }));
    const malformed = await rejection(
      twin.call('DescribeStateMachine', {
        stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:a:b`,
      }),
    );

    expect(missing).toMatchObject({
      code: 'StateMachineDoesNotExist',
      message: `State Machine Does Not Exist: '${unknown}'`,
    });
    expect(malformed).toMatchObject({ code: 'InvalidArn' });
  });

  it('lists state machines by name, a page at a time', async () => {
    for (const name of ['c', 'a', 'b']) await twin.createMachine(pass, name);

    // Act
    const first = await twin.call<{ stateMachines: { name: string }[]; nextToken?: string }>(
      'ListStateMachines',
      {
        maxResults: 2,
      },
    );
    const second = await twin.call<{ stateMachines: { name: string }[]; nextToken?: string }>(
      'ListStateMachines',
      {
        maxResults: 2,
        nextToken: first.nextToken,
      },
    );

    // Assert
    expect(first.stateMachines.map((machine) => machine.name)).toEqual(['a', 'b']);
    expect(second.stateMachines.map((machine) => machine.name)).toEqual(['c']);
    expect(second.nextToken).toBeUndefined();
  });

  it('refuses a token it did not issue and a page size over 1000', async () => {
    const token = await rejection(twin.call('ListStateMachines', { nextToken: 'bm9wZQ' }));
    const size = await rejection(twin.call('ListStateMachines', { maxResults: 1001 }));

    expect(token).toMatchObject({ code: 'InvalidToken' });
    expect(size).toMatchObject({ code: 'ValidationException' });
  });

  it('deletes a state machine, and deleting it again is no error', async () => {
    const arn = await twin.createMachine(pass);

    await twin.call('DeleteStateMachine', { stateMachineArn: arn });
    await twin.call('DeleteStateMachine', { stateMachineArn: arn });

    await expect(twin.call('DescribeStateMachine', { stateMachineArn: arn })).rejects.toMatchObject({
      code: 'StateMachineDoesNotExist',
    });
  });
});

describe('Step Functions twin: executions', () => {
  let twin: Twin;
  let machine: string;
  beforeEach(async () => {
    // Time runs at its real pace: a 1-hour wait keeps an execution RUNNING for the whole test.
    twin = twinWith({});
    machine = await twin.createMachine(waiting);
  });
  afterEach(() => twin.sfn.stopAll());

  it('starts an execution under the given name, or a generated one, and describes it', async () => {
    // Act
    const named = await twin.start(machine, { seconds: 3600 }, 'drain-blue');
    const generated = await twin.start(machine, { seconds: 3600 });
    const described = await twin.call('DescribeExecution', { executionArn: named });

    // Assert
    expect(named).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:execution:flow:drain-blue`);
    expect(generated).toMatch(/:execution:flow:[0-9a-f-]{36}$/);
    expect(described).toMatchObject({
      executionArn: named,
      stateMachineArn: machine,
      name: 'drain-blue',
      status: 'RUNNING',
      input: '{"seconds":3600}',
      startDate: expect.any(Date),
    });
    expect(described.stopDate).toBeUndefined();
  });

  it('answers a repeated start of a running execution alike, and refuses the name with another input', async () => {
    const first = await twin.call('StartExecution', {
      stateMachineArn: machine,
      name: 'x',
      input: '{"seconds":3600}',
    });

    // Act
    const again = await twin.call('StartExecution', {
      stateMachineArn: machine,
      name: 'x',
      input: '{"seconds":3600}',
    });
    const other = await rejection(
      twin.call('StartExecution', { stateMachineArn: machine, name: 'x', input: '{"seconds":60}' }),
    );

    // Assert
    expect(again).toEqual(first);
    expect(other).toMatchObject({ code: 'ExecutionAlreadyExists' });
  });

  it('refuses to reuse the name of an execution that has ended', async () => {
    const arn = await twin.start(machine, { seconds: 0 }, 'once');
    await twin.sfn.whenDone(arn);

    const error = await rejection(twin.start(machine, { seconds: 0 }, 'once'));

    expect(error).toMatchObject({
      code: 'ExecutionAlreadyExists',
      message: `Execution Already Exists: '${arn}'`,
    });
  });

  it('refuses input that is not a JSON object, or over 256 KB, and a bad execution name', async () => {
    const start = (input: Record<string, unknown>) =>
      rejection(twin.call('StartExecution', { stateMachineArn: machine, ...input }));

    expect(await start({ input: '{"seconds":' })).toMatchObject({ code: 'InvalidExecutionInput' });
    expect(await start({ input: '[1, 2]' })).toMatchObject({ code: 'InvalidExecutionInput' });
    expect(await start({ input: JSON.stringify({ pad: 'x'.repeat(262_144) }) })).toMatchObject({
      code: 'ValidationException',
    });
    expect(await start({ name: 'two words' })).toMatchObject({ code: 'InvalidName' });
    expect(await start({ input: 7 })).toMatchObject({ code: 'ValidationException' });
  });

  it('refuses to start an execution of a state machine that does not exist', async () => {
    const error = await rejection(twin.start(`arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:nope`));

    expect(error).toMatchObject({ code: 'StateMachineDoesNotExist' });
  });

  it('answers an unknown execution with ExecutionDoesNotExist and a malformed ARN with InvalidArn', async () => {
    const unknown = `arn:aws:states:${REGION}:${ACCOUNT}:execution:flow:nope`;

    for (const operation of ['DescribeExecution', 'StopExecution', 'GetExecutionHistory']) {
      expect(await rejection(twin.call(operation, { executionArn: unknown }))).toMatchObject({
        code: 'ExecutionDoesNotExist',
        message: `Execution Does Not Exist: '${unknown}'`,
      });
      expect(await rejection(twin.call(operation, { executionArn: machine }))).toMatchObject({
        code: 'InvalidArn',
      });
      expect(await rejection(twin.call(operation, {}))).toMatchObject({ code: 'ValidationException' });
    }
  });

  it('lists executions newest first, by status, a page at a time', async () => {
    const done = await twin.start(machine, { seconds: 0 }, 'first');
    await twin.sfn.whenDone(done);
    await twin.start(machine, { seconds: 3600 }, 'second');
    await twin.start(machine, { seconds: 3600 }, 'third');
    type Listing = { executions: { name: string; status: string }[]; nextToken?: string };

    // Act
    const page1 = await twin.call<Listing>('ListExecutions', { stateMachineArn: machine, maxResults: 2 });
    const page2 = await twin.call<Listing>('ListExecutions', {
      stateMachineArn: machine,
      maxResults: 2,
      nextToken: page1.nextToken,
    });
    const running = await twin.call<Listing>('ListExecutions', {
      stateMachineArn: machine,
      statusFilter: 'RUNNING',
    });

    // Assert
    expect(page1.executions.map((run) => run.name)).toEqual(['third', 'second']);
    expect(page2.executions).toEqual([
      expect.objectContaining({ name: 'first', status: 'SUCCEEDED', stopDate: expect.any(Date) }),
    ]);
    expect(running.executions.map((run) => run.name)).toEqual(['third', 'second']);
  });

  it('refuses an unknown status filter, a token of another listing and an unknown state machine', async () => {
    await twin.start(machine, { seconds: 3600 });
    await twin.start(machine, { seconds: 3600 });
    const page = await twin.call<{ nextToken?: string }>('ListExecutions', {
      stateMachineArn: machine,
      maxResults: 1,
    });

    const status = await rejection(
      twin.call('ListExecutions', { stateMachineArn: machine, statusFilter: 'DONE' }),
    );
    const token = await rejection(
      twin.call('ListExecutions', {
        stateMachineArn: machine,
        statusFilter: 'RUNNING',
        nextToken: page.nextToken,
      }),
    );
    const unknown = await rejection(
      twin.call('ListExecutions', {
        stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:nope`,
      }),
    );

    expect(status).toMatchObject({ code: 'ValidationException' });
    expect(token).toMatchObject({ code: 'InvalidToken' });
    expect(unknown).toMatchObject({ code: 'StateMachineDoesNotExist' });
  });

  it('stops an execution with an error and a cause, and a second stop changes nothing', async () => {
    const arn = await twin.start(machine, { seconds: 3600 });

    // Act
    const stopped = await twin.call<{ stopDate: Date }>('StopExecution', {
      executionArn: arn,
      error: 'Operator',
      cause: 'by hand',
    });
    const again = await twin.call<{ stopDate: Date }>('StopExecution', { executionArn: arn, error: 'Other' });

    // Assert
    expect(await twin.call('DescribeExecution', { executionArn: arn })).toMatchObject({
      status: 'ABORTED',
      stopDate: stopped.stopDate,
      error: 'Operator',
      cause: 'by hand',
    });
    expect(again.stopDate).toEqual(stopped.stopDate);
  });

  it('refuses a stop error over 256 characters and a cause over 32768', async () => {
    const arn = await twin.start(machine, { seconds: 3600 });

    const error = await rejection(twin.call('StopExecution', { executionArn: arn, error: 'e'.repeat(257) }));
    const cause = await rejection(
      twin.call('StopExecution', { executionArn: arn, cause: 'c'.repeat(32_769) }),
    );

    expect(error).toMatchObject({ code: 'ValidationException' });
    expect(cause).toMatchObject({ code: 'ValidationException' });
  });

  it('pages history in either order, with or without the execution data', async () => {
    const arn = await twin.start(machine, { seconds: 0 });
    await twin.sfn.whenDone(arn);
    type Page = { events: Array<Record<string, unknown> & { id: number; type: string }>; nextToken?: string };

    // Act
    const newest = await twin.call<Page>('GetExecutionHistory', {
      executionArn: arn,
      reverseOrder: true,
      maxResults: 2,
    });
    const older = await twin.call<Page>('GetExecutionHistory', {
      executionArn: arn,
      reverseOrder: true,
      maxResults: 2,
      nextToken: newest.nextToken,
    });
    const bare = await twin.call<Page>('GetExecutionHistory', {
      executionArn: arn,
      includeExecutionData: false,
    });

    // Assert
    expect(newest.events.map((event) => event.type)).toEqual(['ExecutionSucceeded', 'SucceedStateExited']);
    const oldestShown = newest.events[1]?.id ?? 0;
    expect(older.events.map((event) => event.id)).toEqual([oldestShown - 1, oldestShown - 2]);
    expect(bare.events[0]).toMatchObject({
      type: 'ExecutionStarted',
      executionStartedEventDetails: { roleArn: ROLE },
    });
    expect(bare.events[0]?.executionStartedEventDetails).not.toHaveProperty('input');
  });

  it('refuses a history token issued for another execution', async () => {
    const one = await twin.start(machine, { seconds: 0 });
    const other = await twin.start(machine, { seconds: 0 });
    await Promise.all([twin.sfn.whenDone(one), twin.sfn.whenDone(other)]);
    const page = await twin.call<{ nextToken?: string }>('GetExecutionHistory', {
      executionArn: one,
      maxResults: 1,
    });

    const error = await rejection(
      twin.call('GetExecutionHistory', { executionArn: other, maxResults: 1, nextToken: page.nextToken }),
    );

    expect(error).toMatchObject({ code: 'InvalidToken' });
  });
});
