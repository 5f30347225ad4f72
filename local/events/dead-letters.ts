/**
 * The SQS dead-letter queues of rule targets, kept in memory: the twin has no SQS API, so what
 * would land in a queue is recorded here and shown by GET /_twin/events.
 */
export interface QueueSpec {
  readonly name: string;
  readonly arn: string;
  readonly url: string;
}

export interface DeadLetterMessage {
  readonly messageId: string;
  /** The event as EventBridge would have delivered it, JSON text (the SQS message body). */
  readonly body: string;
  /** The message attributes EventBridge adds to a dead-lettered event. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Twin time, ISO 8601. */
  readonly sentAt: string;
}

export interface DeadLetterQueue extends QueueSpec {
  /** False for an ARN no deployed queue has (EventBridge could not send there; the twin keeps it anyway). */
  readonly known: boolean;
  readonly messages: readonly DeadLetterMessage[];
}

const MAX_MESSAGES_PER_QUEUE = 1_000;

export class DeadLetters {
  private readonly queues = new Map<
    string,
    { spec: QueueSpec; known: boolean; messages: DeadLetterMessage[] }
  >();

  addQueue(spec: QueueSpec): void {
    const existing = this.queues.get(spec.arn);
    this.queues.set(spec.arn, { spec, known: true, messages: existing?.messages ?? [] });
  }

  send(queueArn: string, message: DeadLetterMessage): void {
    let queue = this.queues.get(queueArn);
    if (queue === undefined) {
      const name = queueArn.split(':').at(-1) ?? queueArn;
      queue = { spec: { name, arn: queueArn, url: '' }, known: false, messages: [] };
      this.queues.set(queueArn, queue);
    }
    queue.messages.push(message);
    if (queue.messages.length > MAX_MESSAGES_PER_QUEUE) queue.messages.shift();
  }

  list(): DeadLetterQueue[] {
    return [...this.queues.values()].map(({ spec, known, messages }) => ({
      ...spec,
      known,
      messages: [...messages],
    }));
  }

  messages(queueArn: string): readonly DeadLetterMessage[] {
    return this.queues.get(queueArn)?.messages ?? [];
  }
}
