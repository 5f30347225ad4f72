import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { describeShift, listShifts, startShift, stopShift } from '../../aws/sfn';
import { awsError, recordingSleep } from './elbv2-fixtures';

const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:clustershift-prod';
const execution = (name: string) =>
  `arn:aws:states:eu-west-1:123456789012:execution:clustershift-prod:${name}`;
const started = new Date('2026-01-01T10:00:00Z');

const sfn = () => {
  const client = new SFNClient({ region: 'eu-west-1' });
  return { client, mock: mockClient(client) };
};

describe('startShift', () => {
  it('starts an execution with the input as JSON and the given name', async () => {
    // Prepare
    const { client, mock } = sfn();
    mock.on(StartExecutionCommand).resolves({ executionArn: execution('drain-blue'), startDate: started });
    const input = { action: 'drain', cluster: 'blue', reason: 'upgrade', requestedBy: 'cli:ana' };

    // Act
    const result = await startShift(STATE_MACHINE, input, 'drain-blue', client);

    // Assert
    expect(result).toEqual({ executionArn: execution('drain-blue'), startDate: started });
    expect(mock.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: STATE_MACHINE,
      input: JSON.stringify(input),
      name: 'drain-blue',
    });
  });

  it('turns ExecutionAlreadyExists into InvalidRequest naming the execution', async () => {
    const { client, mock } = sfn();
    mock.on(StartExecutionCommand).rejects(awsError('ExecutionAlreadyExists', 'Execution Already Exists'));

    const error = await startShift(STATE_MACHINE, {}, 'drain-blue', client).catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: 'InvalidRequest',
      message: 'an execution named drain-blue already exists',
    });
  });

  it('retries a throttled start', async () => {
    const { client, mock } = sfn();
    mock
      .on(StartExecutionCommand)
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .resolves({ executionArn: execution('x'), startDate: started });

    await startShift(STATE_MACHINE, {}, undefined, client, { retry: { sleep: recordingSleep().sleep } });

    expect(mock.commandCalls(StartExecutionCommand)).toHaveLength(2);
  });
});

describe('describeShift', () => {
  it('parses input and output and passes error and cause through', async () => {
    const { client, mock } = sfn();
    const stopped = new Date('2026-01-01T10:05:00Z');
    mock.on(DescribeExecutionCommand, { executionArn: execution('a') }).resolves({
      executionArn: execution('a'),
      stateMachineArn: STATE_MACHINE,
      status: 'FAILED',
      input: '{"action":"drain"}',
      output: '{"rolledBack":true}',
      error: 'GateFailed',
      cause: 'alarm blue-5xx in ALARM',
      startDate: started,
      stopDate: stopped,
    });

    const described = await describeShift(execution('a'), client);

    expect(described).toEqual({
      status: 'FAILED',
      input: { action: 'drain' },
      output: { rolledBack: true },
      error: 'GateFailed',
      cause: 'alarm blue-5xx in ALARM',
      startDate: started,
      stopDate: stopped,
    });
  });

  it('leaves output undefined while running', async () => {
    const { client, mock } = sfn();
    mock.on(DescribeExecutionCommand).resolves({ status: 'RUNNING', input: '{}', startDate: started });

    const described = await describeShift(execution('a'), client);

    expect(described.output).toBeUndefined();
    expect(described.stopDate).toBeUndefined();
  });

  it('names the execution when it does not exist (AwsCallFailed)', async () => {
    const { client, mock } = sfn();
    mock.on(DescribeExecutionCommand).rejects(awsError('ExecutionDoesNotExist', 'Execution Does Not Exist'));

    const error = await describeShift(execution('nope'), client).catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: 'AwsCallFailed',
      message: `DescribeExecution failed: execution ${execution('nope')} does not exist`,
      details: { awsError: 'ExecutionDoesNotExist', executionArn: execution('nope') },
    });
  });
});

describe('listShifts', () => {
  it('follows pages up to maxResults, with the status filter', async () => {
    const { client, mock } = sfn();
    const item = (n: number) => ({
      executionArn: execution(`e${n}`),
      stateMachineArn: STATE_MACHINE,
      name: `e${n}`,
      status: 'RUNNING' as const,
      startDate: started,
    });
    mock
      .on(ListExecutionsCommand)
      .resolvesOnce({ executions: [item(1), item(2)], nextToken: 't1' })
      .resolvesOnce({ executions: [item(3), item(4)], nextToken: 't2' })
      .resolves({ executions: [item(5)] });

    const listed = await listShifts(STATE_MACHINE, { status: 'RUNNING', maxResults: 3 }, client);

    expect(listed.map((e) => e.name)).toEqual(['e1', 'e2', 'e3']);
    const inputs = mock.commandCalls(ListExecutionsCommand).map((c) => c.args[0].input);
    expect(inputs).toEqual([
      { stateMachineArn: STATE_MACHINE, statusFilter: 'RUNNING', maxResults: 3, nextToken: undefined },
      { stateMachineArn: STATE_MACHINE, statusFilter: 'RUNNING', maxResults: 1, nextToken: 't1' },
    ]);
  });
});

describe('stopShift', () => {
  it('stops with error and cause', async () => {
    const { client, mock } = sfn();
    const stopped = new Date('2026-01-01T10:01:00Z');
    mock.on(StopExecutionCommand).resolves({ stopDate: stopped });

    const result = await stopShift(execution('a'), { error: 'Aborted', cause: 'operator ana' }, client);

    expect(result).toEqual({ stopDate: stopped });
    expect(mock.commandCalls(StopExecutionCommand)[0]?.args[0].input).toEqual({
      executionArn: execution('a'),
      error: 'Aborted',
      cause: 'operator ana',
    });
  });
});
