import { type AslMachine, type AslState, forEachState } from './definition';

/**
 * The copy of a definition the engine (aws-local-stepfunctions) runs, rewritten for the twin's clock:
 *
 * - Wait states become Tasks whose local handler sleeps on the twin clock. The library can shorten a
 *   Wait only by a fixed number of milliseconds per state (`waitTimeOverrides`), whatever its
 *   Seconds/SecondsPath says, so it cannot scale a wait whose length comes from the input. The Task
 *   reads the same field (`Parameters: { "seconds.$": <SecondsPath> }`, or the fixed Seconds/Timestamp)
 *   and passes its input through, so the output is what the Wait's would be; history still reports
 *   WaitStateEntered/Exited, and StopExecution wakes it at once.
 * - Retry intervals (IntervalSeconds, MaxDelaySeconds) are divided by the clock's time scale. The
 *   library's `retryIntervalOverrides` would replace them with a fixed delay and lose BackoffRate and
 *   jitter; scaling the fields keeps both.
 * - The top-level TimeoutSeconds goes: the twin enforces it in twin time (the library would count real
 *   time). Task TimeoutSeconds stays in real time, like Lambda timeouts (work does not compress); a
 *   Task without one gets the longest delay a Node timer takes instead of the library's 60 s default
 *   (Step Functions has none).
 */
export const TWIN_WAIT_RESOURCE = 'arn:aws:states:::twin:wait';
/** setTimeout holds at most 2^31-1 ms (~24.8 days); longer delays would fire at once. */
export const MAX_TASK_TIMEOUT_SECONDS = 2_000_000;

export interface Runnable {
  readonly definition: AslMachine;
  /** Every state of the original definition by name (ASL names are unique across nesting). */
  readonly states: ReadonlyMap<string, AslState>;
  /** The execution timeout in twin seconds, if the definition has one. */
  readonly timeoutSeconds?: number;
}

const waitAsTask = (state: AslState): AslState => {
  const duration =
    state.SecondsPath !== undefined
      ? { 'seconds.$': state.SecondsPath }
      : state.TimestampPath !== undefined
        ? { 'timestamp.$': state.TimestampPath }
        : state.Timestamp !== undefined
          ? { timestamp: state.Timestamp }
          : { seconds: state.Seconds ?? 0 };
  const task: AslState = {
    Type: 'Task',
    Resource: TWIN_WAIT_RESOURCE,
    Parameters: { ...duration, 'input.$': '$' },
    TimeoutSeconds: MAX_TASK_TIMEOUT_SECONDS,
  };
  for (const key of ['Comment', 'InputPath', 'OutputPath', 'Next', 'End']) {
    if (state[key] !== undefined) task[key] = state[key];
  }
  return task;
};

const scaled = (state: AslState, timeScale: number): AslState => {
  const copy: AslState = { ...state };
  if (copy.Retry !== undefined) {
    copy.Retry = copy.Retry.map((retrier) => ({
      ...retrier,
      IntervalSeconds: (retrier.IntervalSeconds ?? 1) / timeScale,
      ...(retrier.MaxDelaySeconds === undefined
        ? {}
        : { MaxDelaySeconds: retrier.MaxDelaySeconds / timeScale }),
    }));
  }
  if (copy.Type === 'Task' && copy.TimeoutSecondsPath === undefined) {
    copy.TimeoutSeconds = Math.min(copy.TimeoutSeconds ?? MAX_TASK_TIMEOUT_SECONDS, MAX_TASK_TIMEOUT_SECONDS);
  }
  return copy;
};

const rewrite = (machine: AslMachine, timeScale: number): AslMachine => {
  const states: Record<string, AslState> = {};
  for (const [name, state] of Object.entries(machine.States)) {
    let next = state.Type === 'Wait' ? waitAsTask(state) : scaled(state, timeScale);
    if (next.ItemProcessor !== undefined)
      next = { ...next, ItemProcessor: { ...next.ItemProcessor, ...rewrite(next.ItemProcessor, timeScale) } };
    if (next.Iterator !== undefined) next = { ...next, Iterator: rewrite(next.Iterator, timeScale) };
    if (next.Branches !== undefined)
      next = { ...next, Branches: next.Branches.map((branch) => rewrite(branch, timeScale)) };
    states[name] = next;
  }
  const { TimeoutSeconds: _timeout, ...rest } = machine;
  return { ...rest, States: states };
};

export const toRunnable = (definition: AslMachine, timeScale: number): Runnable => {
  const states = new Map<string, AslState>();
  forEachState(definition, (name, state) => states.set(name, state));
  return {
    // A JSON copy, not structuredClone: the engine treats only objects of its own realm as plain (its
    // isPlainObj checks the prototype), and under jest structuredClone builds them in another realm.
    definition: rewrite(JSON.parse(JSON.stringify(definition)) as AslMachine, timeScale),
    states,
    ...(definition.TimeoutSeconds === undefined ? {} : { timeoutSeconds: definition.TimeoutSeconds }),
  };
};
