import './polyfill';
import { randomUUID } from 'node:crypto';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { TwinClock } from '../clock';
import { TwinError } from '../errors';
import { runAs } from '../iam/identity';
import type { LambdaRuntime } from '../lambda/runtime';
import { partitionOf } from '../partition';
import { optionalBoolean, optionalString, requiredString } from '../protocol/scalars';
import type { Operation, TwinInput, TwinService } from '../service';
import { checkDefinition } from './definition';
import { type ExecutionStatus, type MachineRef, TwinExecution } from './execution';
import { withoutExecutionData } from './history';
import {
  checkExecutionArn,
  checkName,
  checkRoleArn,
  checkStateMachineArn,
  executionArnOf,
  stateMachineArnOf,
} from './names';
import { page } from './paging';
import { toRunnable } from './runnable';
import { type ExecutionStatusChange, type ExecutionStatusListener, statusChangeOf } from './status-change';

export type { ExecutionStatus } from './execution';
export type { HistoryEvent } from './history';
export {
  type ExecutionStatusChange,
  type ExecutionStatusListener,
  executionStatusChangeDetail,
} from './status-change';

export interface StepFunctionsTwinOptions {
  readonly clock: TwinClock;
  readonly region: string;
  readonly accountId: string;
  readonly lambda: LambdaRuntime;
}

type MachineType = 'STANDARD' | 'EXPRESS';

interface StoredMachine extends MachineRef {
  readonly definition: string;
  readonly type: MachineType;
  readonly creationDate: Date;
}

/** What the deployer hands over: a state machine of the template (see local/template/plan.ts). */
export interface StateMachineSpec {
  readonly name: string;
  readonly definition: string;
  readonly roleArn?: string;
  readonly type?: MachineType;
}

export interface ExecutionSummary {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  readonly startDate: Date;
  readonly stopDate?: Date;
  readonly error?: string;
  readonly cause?: string;
}

const MAX_INPUT_BYTES = 262_144;
const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];

const validation = (message: string): TwinError => new TwinError('ValidationException', message);

const tooLong = (name: string, max: number): TwinError =>
  validation(
    `1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
  );

/** The shared scalar helpers speak awsQuery (ValidationError); Step Functions says ValidationException. */
const asStepFunctionsErrors =
  (operation: Operation): Operation =>
  async (input) => {
    try {
      return await operation(input);
    } catch (error) {
      if (error instanceof TwinError && error.code === 'ValidationError') throw validation(error.message);
      throw error;
    }
  };

/**
 * Step Functions on the twin (awsJson 1.0): state machines, executions and their history. Executions
 * run in-process on aws-local-stepfunctions with Wait states and retry intervals on the twin clock;
 * Task states call the Lambda runtime in-process.
 */
export class StepFunctionsTwin implements TwinService {
  readonly operations: Readonly<Record<string, Operation>>;
  private readonly machines = new Map<string, StoredMachine>();
  private readonly runs = new Map<string, TwinExecution>();
  private readonly listeners = new Set<ExecutionStatusListener>();

  constructor(private readonly options: StepFunctionsTwinOptions) {
    const operations: Record<string, Operation> = {
      CreateStateMachine: (input) => this.createStateMachine(input),
      DescribeStateMachine: (input) => this.describeStateMachine(input),
      ListStateMachines: (input) => this.listStateMachines(input),
      DeleteStateMachine: (input) => this.deleteStateMachine(input),
      StartExecution: (input) => this.startExecution(input),
      DescribeExecution: (input) => this.describeExecution(input),
      ListExecutions: (input) => this.listExecutions(input),
      StopExecution: (input) => this.stopExecution(input),
      GetExecutionHistory: (input) => this.getExecutionHistory(input),
    };
    this.operations = Object.fromEntries(
      Object.entries(operations).map(([name, operation]) => [name, asStepFunctionsErrors(operation)]),
    );
  }

  /** Creates (or, deployed again, replaces) a state machine of a template. */
  createFromPlan(machine: StateMachineSpec): { stateMachineArn: string; creationDate: Date } {
    checkName(machine.name);
    return this.define(
      {
        name: machine.name,
        definition: machine.definition,
        roleArn:
          machine.roleArn ??
          `arn:${partitionOf(this.options.region)}:iam::${this.options.accountId}:role/${machine.name}-role`,
        type: machine.type ?? 'STANDARD',
      },
      'replace',
    );
  }

  /** Every execution, newest first. */
  executions(): ExecutionSummary[] {
    return [...this.runs.values()].reverse().map((run) => ({
      executionArn: run.arn,
      stateMachineArn: run.machine.arn,
      name: run.name,
      status: run.status,
      startDate: run.startDate,
      ...(run.stopDate === undefined ? {} : { stopDate: run.stopDate }),
      ...(run.error === undefined ? {} : { error: run.error }),
      ...(run.cause === undefined ? {} : { cause: run.cause }),
    }));
  }

  /** Calls `listener` when an execution starts and when it ends; returns a function that unsubscribes. */
  onExecutionStatusChange(listener: ExecutionStatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when the execution has ended and its history is complete (tests, the demo). */
  async whenDone(executionArn: string): Promise<ExecutionStatusChange> {
    const run = this.execution(executionArn);
    await run.done;
    return statusChangeOf(run);
  }

  /** Stops every running execution (the twin is shutting down). */
  stopAll(cause = 'the twin is shutting down'): void {
    for (const run of this.runs.values()) run.stop(undefined, cause);
  }

  private define(
    spec: { name: string; definition: string; roleArn: string; type: MachineType },
    existing: 'refuse' | 'replace',
  ): { stateMachineArn: string; creationDate: Date } {
    const parsed = checkDefinition(spec.definition);
    const arn = stateMachineArnOf(this.options.region, this.options.accountId, spec.name);
    const known = this.machines.get(arn);
    if (known !== undefined) {
      const same =
        known.definition === spec.definition && known.roleArn === spec.roleArn && known.type === spec.type;
      // CreateStateMachine is idempotent for an identical request, and refuses a different one.
      if (same) return { stateMachineArn: arn, creationDate: known.creationDate };
      if (existing === 'refuse')
        throw new TwinError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    const runnable = toRunnable(parsed, this.options.clock.timeScale);
    // Checked above against the original; the rewritten copy holds what the engine's validator would refuse
    // (fractional retry intervals, the twin's wait resource).
    const engine = new StateMachine(runnable.definition as unknown as StateMachineDefinition, {
      validationOptions: { noValidate: true },
    });
    const creationDate = known?.creationDate ?? this.options.clock.date();
    this.machines.set(arn, {
      arn,
      name: spec.name,
      roleArn: spec.roleArn,
      runnable,
      engine,
      definition: spec.definition,
      type: spec.type,
      creationDate,
    });
    return { stateMachineArn: arn, creationDate };
  }

  private machine(input: TwinInput): StoredMachine {
    const arn = requiredString(input.stateMachineArn, 'stateMachineArn');
    checkStateMachineArn(arn);
    const machine = this.machines.get(arn);
    if (machine === undefined)
      throw new TwinError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  private execution(arn: string): TwinExecution {
    checkExecutionArn(arn);
    const run = this.runs.get(arn);
    if (run === undefined) throw new TwinError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return run;
  }

  private createStateMachine(input: TwinInput) {
    const name = requiredString(input.name, 'name');
    checkName(name);
    const definition = requiredString(input.definition, 'definition');
    const roleArn = requiredString(input.roleArn, 'roleArn');
    checkRoleArn(roleArn);
    const type = optionalString(input.type, 'type') ?? 'STANDARD';
    if (type !== 'STANDARD' && type !== 'EXPRESS') {
      throw validation(
        `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`,
      );
    }
    return this.define({ name, definition, roleArn, type }, 'refuse');
  }

  private describeStateMachine(input: TwinInput) {
    const machine = this.machine(input);
    return {
      stateMachineArn: machine.arn,
      name: machine.name,
      status: 'ACTIVE',
      definition: machine.definition,
      roleArn: machine.roleArn,
      type: machine.type,
      creationDate: machine.creationDate,
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    };
  }

  private listStateMachines(input: TwinInput) {
    const all = [...this.machines.values()].sort((a, b) => a.name.localeCompare(b.name));
    const { items, nextToken } = page(all, input, 'ListStateMachines');
    return {
      stateMachines: items.map((machine) => ({
        stateMachineArn: machine.arn,
        name: machine.name,
        type: machine.type,
        creationDate: machine.creationDate,
      })),
      ...(nextToken === undefined ? {} : { nextToken }),
    };
  }

  /** Deleting stops the machine's running executions, as Step Functions does at their next transition. */
  private deleteStateMachine(input: TwinInput) {
    const arn = requiredString(input.stateMachineArn, 'stateMachineArn');
    checkStateMachineArn(arn);
    if (this.machines.delete(arn)) {
      for (const run of this.runs.values()) {
        if (run.machine.arn === arn) run.stop('States.Runtime', 'the state machine was deleted');
      }
    }
    return {};
  }

  private startExecution(input: TwinInput) {
    const machine = this.machine(input);
    const name = optionalString(input.name, 'name') ?? randomUUID();
    checkName(name);
    const text = optionalString(input.input, 'input') ?? '{}';
    if (Buffer.byteLength(text, 'utf8') > MAX_INPUT_BYTES) throw tooLong('input', MAX_INPUT_BYTES);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new TwinError(
        'InvalidExecutionInput',
        `Invalid State Machine Execution Input: '${(error as Error).message}'`,
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new TwinError(
        'InvalidExecutionInput',
        'Invalid State Machine Execution Input: the input must be a JSON object',
      );
    }
    const arn = executionArnOf(machine.arn, name);
    const existing = this.runs.get(arn);
    if (existing !== undefined) {
      // Idempotent while the same request is running; otherwise the name is taken.
      if (existing.status === 'RUNNING' && existing.input === text) {
        return { executionArn: arn, startDate: existing.startDate };
      }
      throw new TwinError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    // The execution acts as the state machine's role (its Task states invoke functions with it), in a
    // session named after the state machine, whoever started it.
    const run = runAs(
      { roleArn: machine.roleArn, sessionName: machine.name },
      () =>
        new TwinExecution(arn, name, machine, text, this.options.clock.date(), {
          clock: this.options.clock,
          lambda: this.options.lambda,
          statusChanged: (changed) => this.notify(changed),
        }),
    );
    this.runs.set(arn, run);
    return { executionArn: arn, startDate: run.startDate };
  }

  private describeExecution(input: TwinInput) {
    const run = this.execution(requiredString(input.executionArn, 'executionArn'));
    return {
      executionArn: run.arn,
      stateMachineArn: run.machine.arn,
      name: run.name,
      status: run.status,
      startDate: run.startDate,
      ...(run.stopDate === undefined ? {} : { stopDate: run.stopDate }),
      input: run.input,
      inputDetails: { included: true },
      ...(run.output === undefined ? {} : { output: run.output, outputDetails: { included: true } }),
      ...(run.error === undefined ? {} : { error: run.error }),
      ...(run.cause === undefined ? {} : { cause: run.cause }),
    };
  }

  private listExecutions(input: TwinInput) {
    if (input.mapRunArn !== undefined)
      throw validation('the twin has no Map Runs (distributed Map): pass stateMachineArn');
    const machine = this.machine(input);
    if (machine.type === 'EXPRESS') {
      throw new TwinError(
        'StateMachineTypeNotSupported',
        'This operation is not supported by this type of state machine',
      );
    }
    const statusFilter = optionalString(input.statusFilter, 'statusFilter');
    if (statusFilter !== undefined && !STATUSES.includes(statusFilter)) {
      throw validation(
        `1 validation error detected: Value '${statusFilter}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${STATUSES.join(', ')}]`,
      );
    }
    const matching = this.executions().filter(
      (run) =>
        run.stateMachineArn === machine.arn && (statusFilter === undefined || run.status === statusFilter),
    );
    const { items, nextToken } = page(matching, input, `ListExecutions ${machine.arn} ${statusFilter ?? ''}`);
    return {
      executions: items.map(({ error: _error, cause: _cause, ...summary }) => summary),
      ...(nextToken === undefined ? {} : { nextToken }),
    };
  }

  private stopExecution(input: TwinInput) {
    const run = this.execution(requiredString(input.executionArn, 'executionArn'));
    const error = optionalString(input.error, 'error');
    const cause = optionalString(input.cause, 'cause');
    if (error !== undefined && error.length > 256) throw tooLong('error', 256);
    if (cause !== undefined && cause.length > 32_768) throw tooLong('cause', 32_768);
    return { stopDate: run.stop(error, cause) };
  }

  private getExecutionHistory(input: TwinInput) {
    const arn = requiredString(input.executionArn, 'executionArn');
    const run = this.execution(arn);
    const reverse = optionalBoolean(input.reverseOrder, 'reverseOrder') ?? false;
    const includeData = optionalBoolean(input.includeExecutionData, 'includeExecutionData') ?? true;
    const events = reverse ? [...run.history.list()].reverse() : [...run.history.list()];
    const { items, nextToken } = page(events, input, `GetExecutionHistory ${arn} ${reverse}`);
    return {
      events: includeData ? items : items.map(withoutExecutionData),
      ...(nextToken === undefined ? {} : { nextToken }),
    };
  }

  private notify(run: TwinExecution): void {
    const change = statusChangeOf(run);
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A listener's failure (an EventBridge rule target) must not stop the execution.
      }
    }
  }
}
