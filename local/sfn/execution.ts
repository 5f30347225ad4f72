import './polyfill';
import type { StateMachine } from 'aws-local-stepfunctions';
import type { TwinClock } from '../clock';
import type { LambdaRuntime } from '../lambda/runtime';
import { ExecutionHistory, HISTORY_LIMIT_FAILURE } from './history';
import { type EngineEvent, recordEngineEvents } from './history-recorder';
import { DATA_LIMIT_EXCEEDED, MAX_PAYLOAD_BYTES, oversizedState, withPayloadLimits } from './payload-limits';
import type { Runnable } from './runnable';
import { sleepUntil } from './sleep';
import { StatesError } from './states-error';
import { TaskLedger } from './task-ledger';
import { localHandlers } from './tasks';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** A state machine as executions need it. */
export interface MachineRef {
  readonly arn: string;
  readonly name: string;
  readonly roleArn: string;
  readonly runnable: Runnable;
  readonly engine: StateMachine;
}

export interface ExecutionDependencies {
  readonly clock: TwinClock;
  readonly lambda: LambdaRuntime;
  /** Called at start and at every status change after it. */
  readonly statusChanged: (execution: TwinExecution) => void;
}

// The engine's Fail state error when the state names no Error/Cause: Step Functions reports none.
const ENGINE_FAIL_DEFAULTS = { name: 'FailStateError', message: 'Execution failed because of a Fail state' };

/** The ASL error name and cause of a failed run, from the engine's ExecutionError. */
const failureOf = (thrown: unknown): { error?: string; cause?: string } => {
  const inner = (thrown as { cause?: unknown } | null)?.cause ?? thrown;
  if (!(inner instanceof Error)) return { error: 'States.Runtime', cause: String(inner) };
  return {
    ...(inner.name === ENGINE_FAIL_DEFAULTS.name ? {} : { error: inner.name }),
    ...(inner.message === ENGINE_FAIL_DEFAULTS.message ? {} : { cause: inner.message }),
  };
};

/**
 * One execution: runs the machine's rewritten definition in aws-local-stepfunctions with a local
 * handler per Task, keeps its status and history, and ends it on success, failure, StopExecution or
 * its TimeoutSeconds (twin time).
 */
export class TwinExecution {
  status: ExecutionStatus = 'RUNNING';
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  readonly history: ExecutionHistory;
  /** Settles once the execution has ended and its history is complete. */
  readonly done: Promise<void>;
  private readonly stopping = new AbortController();
  private readonly abortEngine: () => void;

  constructor(
    readonly arn: string,
    readonly name: string,
    readonly machine: MachineRef,
    readonly input: string,
    readonly startDate: Date,
    private readonly deps: ExecutionDependencies,
  ) {
    // At 25,000 events the history closes with ExecutionFailed and the run ends there: no Catch runs.
    this.history = new ExecutionHistory(() => deps.clock.date(), {
      reached: () => this.end('FAILED', HISTORY_LIMIT_FAILURE),
    });
    this.history.append('ExecutionStarted', {
      input,
      inputDetails: { truncated: false },
      roleArn: machine.roleArn,
    });
    const ledger = new TaskLedger();
    const run = machine.engine.run(JSON.parse(input), {
      overrides: {
        taskResourceLocalHandlers: withPayloadLimits(
          localHandlers(machine.runnable, {
            lambda: afterRecorded(deps.lambda, ledger, this.stopping.signal),
            clock: deps.clock,
            signal: this.stopping.signal,
            ledger,
          }),
          machine.runnable.states,
        ) as Record<string, (input: unknown) => Promise<never>>,
      },
      noThrowOnAbort: true,
      // The engine sets Execution.StartTime to the real time it starts; the rest is ours.
      context: {
        Execution: { Id: arn, Name: name, RoleArn: machine.roleArn, StartTime: startDate.toISOString() },
        StateMachine: { Id: machine.arn, Name: machine.name },
      },
    });
    this.abortEngine = run.abort;
    const recording = recordEngineEvents(
      this.checkingPayloads(run.eventLogs),
      this.history,
      machine.runnable.states,
      ledger,
    )
      .catch(() => undefined)
      .finally(() => ledger.release());
    const timeout = machine.runnable.timeoutSeconds;
    if (timeout !== undefined) {
      void sleepUntil(deps.clock, startDate.getTime() + timeout * 1000, this.stopping.signal).then(() => {
        if (!this.stopping.signal.aborted) {
          this.end('TIMED_OUT', {
            error: 'States.Timeout',
            cause: `the execution ran longer than ${timeout} s`,
          });
        }
      });
    }
    this.done = run.result.then(
      async (output) => {
        await recording;
        const text = JSON.stringify(output ?? null);
        if (Buffer.byteLength(text, 'utf8') > MAX_PAYLOAD_BYTES) {
          this.finish('FAILED', {
            error: DATA_LIMIT_EXCEEDED,
            cause: `The state/task returned a result with a size exceeding the maximum number of bytes service limit.`,
          });
        } else this.finish('SUCCEEDED', { output: text });
      },
      async (thrown: unknown) => {
        await recording;
        this.finish('FAILED', failureOf(thrown));
      },
    );
    deps.statusChanged(this);
  }

  /**
   * The engine's events on their way to the recorder: a state input or output over the payload limit
   * ends the run before the recorder writes that event (the engine computes outputs where no handler
   * sees them; the next function waits for the recorder, so it never runs).
   */
  private async *checkingPayloads(events: AsyncIterable<EngineEvent>): AsyncIterable<EngineEvent> {
    for await (const event of events) {
      const oversized = this.status === 'RUNNING' ? oversizedState(event) : undefined;
      if (oversized !== undefined) this.end('FAILED', oversized);
      yield event;
    }
  }

  /** StopExecution: ABORTED at once; a sleeping Wait wakes, no further function runs. Idempotent. */
  stop(error?: string, cause?: string): Date {
    this.end('ABORTED', { error, cause });
    return this.stopDate ?? this.deps.clock.date();
  }

  /** Ends a run the engine finished by itself, unless StopExecution or the timeout ended it first. */
  private finish(
    status: 'SUCCEEDED' | 'FAILED',
    fields: { output?: string; error?: string; cause?: string },
  ): void {
    if (this.status !== 'RUNNING') return;
    this.stopping.abort();
    this.settle(status, fields);
  }

  /** Ends a run from outside the engine (stop, timeout, a Step Functions limit), then aborts it. */
  private end(status: 'ABORTED' | 'TIMED_OUT' | 'FAILED', fields: { error?: string; cause?: string }): void {
    if (this.status !== 'RUNNING') return;
    this.settle(status, fields);
    this.stopping.abort();
    this.abortEngine();
  }

  private settle(
    status: Exclude<ExecutionStatus, 'RUNNING'>,
    fields: { output?: string; error?: string; cause?: string },
  ): void {
    this.status = status;
    this.stopDate = this.deps.clock.date();
    if (fields.output !== undefined) this.output = fields.output;
    if (fields.error !== undefined) this.error = fields.error;
    if (fields.cause !== undefined) this.cause = fields.cause;
    const type = {
      SUCCEEDED: 'ExecutionSucceeded',
      FAILED: 'ExecutionFailed',
      ABORTED: 'ExecutionAborted',
      TIMED_OUT: 'ExecutionTimedOut',
    }[status];
    this.history.append(
      type,
      status === 'SUCCEEDED'
        ? { output: this.output, outputDetails: { truncated: false } }
        : { error: this.error, cause: this.cause },
    );
    this.deps.statusChanged(this);
  }
}

/**
 * The Lambda runtime as a Task sees it: a function runs only once the recorder has written the
 * events before it (see TaskLedger.recorded), and not at all if that ended the execution.
 */
const afterRecorded = (lambda: LambdaRuntime, ledger: TaskLedger, signal: AbortSignal): LambdaRuntime => {
  const gated: Pick<LambdaRuntime, 'invoke'> = {
    invoke: async (...args: Parameters<LambdaRuntime['invoke']>) => {
      await ledger.recorded();
      if (signal.aborted)
        throw new StatesError('States.Runtime', 'the execution has ended', { terminal: true });
      return lambda.invoke(...args);
    },
  };
  // Everything else (find, list …) is the runtime's own.
  return Object.assign(Object.create(lambda) as LambdaRuntime, gated);
};
