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

  scheduled(state: string, attempt: TaskAttempt): TaskAttempt {
    const queue = this.queues.get(state) ?? [];
    queue.push(attempt);
    this.queues.set(state, queue);
    return attempt;
  }

  /** The oldest attempt of `state` not yet reported, if any. */
  take(state: string): TaskAttempt | undefined {
    return this.queues.get(state)?.shift();
  }
}
