/**
 * What each Task attempt did, as the local handlers saw it: the parameters it was scheduled with, then
 * its raw result or its error. The history recorder reads attempts in order per state, to report
 * TaskScheduled/Started/Succeeded/Failed with what the engine's own events do not carry.
 *
 * Attempts are matched to states by name, first in first out: exact while a state runs one attempt at
 * a time, as in the shift workflow (its Map has MaxConcurrency 1). Concurrent Map iterations of the
 * same Task could pair an event with another iteration's details.
 */
export interface TaskAttempt {
  readonly resourceType: string;
  readonly resource: string;
  readonly parameters: string;
  output?: string;
  failure?: { readonly error: string; readonly cause: string };
}

export class TaskLedger {
  private readonly queues = new Map<string, TaskAttempt[]>();
  private untaken = 0;
  private waiters: (() => void)[] = [];
  private released = false;

  scheduled(state: string, attempt: TaskAttempt): TaskAttempt {
    const queue = this.queues.get(state) ?? [];
    queue.push(attempt);
    this.queues.set(state, queue);
    this.untaken += 1;
    return attempt;
  }

  /** The oldest attempt of `state` not yet reported, if any. */
  take(state: string): TaskAttempt | undefined {
    const attempt = this.queues.get(state)?.shift();
    if (attempt !== undefined) {
      this.untaken -= 1;
      if (this.untaken === 0) this.wake();
    }
    return attempt;
  }

  /**
   * Settles once the recorder has taken every attempt scheduled so far, i.e. has written their
   * TaskStateEntered/TaskScheduled/TaskStarted. A function runs only after that: the engine reports
   * its events asynchronously, and an event that takes the history to its limit (or a state output
   * over the payload limit just before) must end the execution before the function does any work,
   * as in Step Functions, where nothing is scheduled after the execution failed.
   */
  recorded(): Promise<void> {
    if (this.untaken === 0 || this.released) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The recorder stopped (the execution ended): nobody will take attempts any more. */
  release(): void {
    this.released = true;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
