/**
 * An execution's event history in GetExecutionHistory's shape: `{ timestamp, type, id,
 * previousEventId, <type>EventDetails }`. Ids count from 1; each event's previousEventId is the event
 * before it (Step Functions links parallel branches more finely; the shift workflow runs one thing at
 * a time). Timestamps are twin time. Nothing is appended after the execution's final event.
 */
export interface HistoryEvent {
  readonly timestamp: Date;
  readonly type: string;
  readonly id: number;
  readonly previousEventId: number;
  readonly [details: string]: unknown;
}

/** `TaskStateEntered` → `stateEnteredEventDetails`, `TaskScheduled` → `taskScheduledEventDetails`. */
const detailsKey = (type: string): string => {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
};

const FINAL = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);

/**
 * Step Functions' hard quota on a Standard execution's history ("Avoid reaching the history quota",
 * Step Functions developer guide, bp-history-limit): at 24,999 events the execution waits for the
 * next one; if event 25,000 is ExecutionSucceeded it succeeds, otherwise ExecutionFailed is logged
 * and the execution fails. The error and cause are what Step Functions reports for it; States.Runtime
 * is never caught by a Catch, and the execution itself fails, so no state's Catch could run anyway.
 */
export const MAX_HISTORY_EVENTS = 25_000;
export const HISTORY_LIMIT_FAILURE = {
  error: 'States.Runtime',
  cause: `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).`,
} as const;

export interface HistoryLimit {
  /** Events an execution may have, its final event included (Step Functions: 25,000). */
  readonly maxEvents?: number;
  /** Called once the history has closed with the limit's ExecutionFailed: the execution must end. */
  readonly reached?: () => void;
}

export class ExecutionHistory {
  private readonly events: HistoryEvent[] = [];
  private readonly maxEvents: number;

  constructor(
    private readonly now: () => Date,
    private readonly limit: HistoryLimit = {},
  ) {
    this.maxEvents = limit.maxEvents ?? MAX_HISTORY_EVENTS;
  }

  get closed(): boolean {
    return FINAL.has(this.events.at(-1)?.type ?? '');
  }

  append(type: string, details?: Record<string, unknown>): void {
    if (this.closed) return;
    if (this.events.length === this.maxEvents - 1 && type !== 'ExecutionSucceeded') {
      // The last event the quota allows: only a success may take it; anything else fails the run.
      this.push('ExecutionFailed', { ...HISTORY_LIMIT_FAILURE });
      this.limit.reached?.();
      return;
    }
    this.push(type, details);
  }

  private push(type: string, details?: Record<string, unknown>): void {
    const id = this.events.length + 1;
    const event: HistoryEvent = {
      timestamp: this.now(),
      type,
      id,
      previousEventId: id - 1,
      ...(details === undefined ? {} : { [detailsKey(type)]: withoutUndefined(details) }),
    };
    this.events.push(event);
  }

  list(): readonly HistoryEvent[] {
    return this.events;
  }
}

const withoutUndefined = (details: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined));

const EXECUTION_DATA = new Set(['input', 'inputDetails', 'output', 'outputDetails', 'parameters']);

/** An event without the execution's data (GetExecutionHistory with includeExecutionData false). */
export const withoutExecutionData = (event: HistoryEvent): HistoryEvent =>
  Object.fromEntries(
    Object.entries(event).map(([key, value]) =>
      key.endsWith('EventDetails') && typeof value === 'object' && value !== null
        ? [key, Object.fromEntries(Object.entries(value).filter(([field]) => !EXECUTION_DATA.has(field)))]
        : [key, value],
    ),
  ) as HistoryEvent;
