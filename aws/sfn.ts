import {
  DescribeExecutionCommand,
  type ExecutionStatus,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { ClusterShiftError } from '../core/errors';
import { failedAwsError } from './aws-errors';
import { type RetryOptions, withRetry } from './retry';

let shared: SFNClient | undefined;
export const defaultSfnClient = (): SFNClient => (shared ??= new SFNClient({}));

export interface SfnOptions {
  retry?: RetryOptions;
}

export interface ShiftExecution {
  readonly executionArn: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  readonly startDate: Date;
  readonly stopDate?: Date;
}

export interface ShiftDescription {
  readonly status: ExecutionStatus;
  readonly input: unknown;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  readonly startDate: Date;
  readonly stopDate?: Date;
}

/** Step Functions errors an operator can act on get their own names; the rest stay AwsCallFailed. */
const call = async <T>(
  operation: string,
  subject: string,
  send: () => Promise<T>,
  options: SfnOptions,
): Promise<T> => {
  try {
    return await withRetry(operation, send, options.retry);
  } catch (error) {
    const awsError = failedAwsError(error);
    if (awsError === 'ExecutionAlreadyExists' && error instanceof ClusterShiftError) {
      throw new ClusterShiftError('InvalidRequest', `an execution named ${subject} already exists`, {
        cause: error.cause,
        details: { ...error.details, name: subject },
      });
    }
    if (awsError === 'ExecutionDoesNotExist' && error instanceof ClusterShiftError) {
      throw new ClusterShiftError(
        'AwsCallFailed',
        `${operation} failed: execution ${subject} does not exist`,
        {
          cause: error.cause,
          details: { ...error.details, executionArn: subject },
        },
      );
    }
    throw error;
  }
};

const parseJson = (text: string | undefined): unknown => (text === undefined ? undefined : JSON.parse(text));

/** Starts the shift workflow; `name` (unique per state machine for 90 days) makes a start idempotent. */
export const startShift = async (
  stateMachineArn: string,
  input: unknown,
  name?: string,
  client: SFNClient = defaultSfnClient(),
  options: SfnOptions = {},
): Promise<{ executionArn: string; startDate: Date }> => {
  const command = new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input), name });
  const started = await call('StartExecution', name ?? '(unnamed)', () => client.send(command), options);
  return { executionArn: started.executionArn ?? '', startDate: started.startDate ?? new Date(0) };
};

export const describeShift = async (
  executionArn: string,
  client: SFNClient = defaultSfnClient(),
  options: SfnOptions = {},
): Promise<ShiftDescription> => {
  const command = new DescribeExecutionCommand({ executionArn });
  const described = await call('DescribeExecution', executionArn, () => client.send(command), options);
  return {
    status: described.status ?? 'RUNNING',
    input: parseJson(described.input),
    output: parseJson(described.output),
    ...(described.error === undefined ? {} : { error: described.error }),
    ...(described.cause === undefined ? {} : { cause: described.cause }),
    startDate: described.startDate ?? new Date(0),
    ...(described.stopDate === undefined ? {} : { stopDate: described.stopDate }),
  };
};

/** Executions of the state machine, newest first as Step Functions lists them, up to `maxResults` (100). */
export const listShifts = async (
  stateMachineArn: string,
  filter: { status?: ExecutionStatus; maxResults?: number } = {},
  client: SFNClient = defaultSfnClient(),
  options: SfnOptions = {},
): Promise<ShiftExecution[]> => {
  const limit = filter.maxResults ?? 100;
  const executions: ShiftExecution[] = [];
  let token: string | undefined;
  do {
    const command = new ListExecutionsCommand({
      stateMachineArn,
      statusFilter: filter.status,
      maxResults: Math.min(1_000, limit - executions.length),
      nextToken: token,
    });
    const page = await call('ListExecutions', stateMachineArn, () => client.send(command), options);
    for (const item of page.executions ?? []) {
      if (executions.length >= limit) break;
      executions.push({
        executionArn: item.executionArn ?? '',
        name: item.name ?? '',
        status: item.status ?? 'RUNNING',
        startDate: item.startDate ?? new Date(0),
        ...(item.stopDate === undefined ? {} : { stopDate: item.stopDate }),
      });
    }
    token = page.nextToken;
  } while (token && executions.length < limit);
  return executions;
};

/** Stops an execution. Its own Catch does not run: the execution-status rule cleans up the lock. */
export const stopShift = async (
  executionArn: string,
  reason: { error: string; cause: string },
  client: SFNClient = defaultSfnClient(),
  options: SfnOptions = {},
): Promise<{ stopDate: Date }> => {
  const command = new StopExecutionCommand({ executionArn, error: reason.error, cause: reason.cause });
  const stopped = await call('StopExecution', executionArn, () => client.send(command), options);
  return { stopDate: stopped.stopDate ?? new Date() };
};

/** Still going: a running execution, or one waiting to be redriven. */
export const isRunning = (status: string): boolean => status === 'RUNNING' || status === 'PENDING_REDRIVE';
