import type { ExecutionStatus, TwinExecution } from './execution';

/** An execution that started or ended: what EventBridge's "Step Functions Execution Status Change" carries. */
export interface ExecutionStatusChange {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  readonly startDate: Date;
  readonly stopDate?: Date;
  readonly input: string;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

export type ExecutionStatusListener = (change: ExecutionStatusChange) => void;

export const statusChangeOf = (execution: TwinExecution): ExecutionStatusChange => ({
  executionArn: execution.arn,
  stateMachineArn: execution.machine.arn,
  name: execution.name,
  status: execution.status,
  startDate: execution.startDate,
  ...(execution.stopDate === undefined ? {} : { stopDate: execution.stopDate }),
  input: execution.input,
  ...(execution.output === undefined ? {} : { output: execution.output }),
  ...(execution.error === undefined ? {} : { error: execution.error }),
  ...(execution.cause === undefined ? {} : { cause: execution.cause }),
});

/** The event's `detail` as AWS writes it: epoch milliseconds, nulls for what is not there. */
export const executionStatusChangeDetail = (change: ExecutionStatusChange): Record<string, unknown> => ({
  executionArn: change.executionArn,
  stateMachineArn: change.stateMachineArn,
  name: change.name,
  status: change.status,
  startDate: change.startDate.getTime(),
  stopDate: change.stopDate?.getTime() ?? null,
  input: change.input,
  output: change.output ?? null,
  inputDetails: { included: true },
  outputDetails: change.output === undefined ? null : { included: true },
  error: change.error ?? null,
  cause: change.cause ?? null,
});
