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

export class ExecutionHistory {
  private readonly events: HistoryEvent[] = [];

  constructor(private readonly now: () => Date) {}

  get closed(): boolean {
    return FINAL.has(this.events.at(-1)?.type ?? '');
  }

  append(type: string, details?: Record<string, unknown>): void {
    if (this.closed) return;
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
