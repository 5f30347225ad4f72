/**
 * What the bus did lately, for GET /_twin/events: the events it received (and which rules matched
 * them) and every delivery to a target, updated as it retries, lands or is dead-lettered. Bounded:
 * the oldest entries go first.
 */
export interface EventRecord {
  readonly id: string;
  readonly source: string;
  readonly detailType: string;
  readonly time: string;
  readonly resources: readonly string[];
  /** `PutEvents`, or `twin` for events the twin's own services emitted. */
  readonly origin: 'PutEvents' | 'twin';
  readonly matchedRules: readonly string[];
  readonly event: unknown;
}

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'failed' | 'dead-lettered' | 'abandoned';

export interface DeliveryRecord {
  readonly eventId: string;
  readonly rule: string;
  readonly ruleArn: string;
  readonly targetId: string;
  readonly targetArn: string;
  status: DeliveryStatus;
  attempts: number;
  error?: string;
  /** The execution a state machine target started. */
  executionArn?: string;
  deadLetterQueueArn?: string;
  /** Twin time, ISO 8601. */
  readonly startedAt: string;
  updatedAt: string;
}

export const MAX_RECORDS = 500;

export class ActivityLog {
  private readonly eventRecords: EventRecord[] = [];
  private readonly deliveryRecords: DeliveryRecord[] = [];

  addEvent(record: EventRecord): void {
    push(this.eventRecords, record);
  }

  addDelivery(record: DeliveryRecord): DeliveryRecord {
    push(this.deliveryRecords, record);
    return record;
  }

  /** Oldest first. */
  events(): readonly EventRecord[] {
    return this.eventRecords;
  }

  deliveries(): readonly DeliveryRecord[] {
    return this.deliveryRecords;
  }
}

const push = <T>(list: T[], item: T): void => {
  list.push(item);
  if (list.length > MAX_RECORDS) list.splice(0, list.length - MAX_RECORDS);
};
