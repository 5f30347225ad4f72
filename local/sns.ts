import { randomUUID } from 'node:crypto';
import type { TwinClock } from './clock';
import { TwinError } from './errors';
import { partitionOf } from './partition';
import { optionalString, requiredString } from './protocol/scalars';
import type { TwinService } from './service';

/** One message the twin accepted for a topic: what a subscriber (an on-call pager) would get. */
export interface PublishedMessage {
  readonly messageId: string;
  readonly topicArn: string;
  readonly subject?: string;
  readonly message: string;
  readonly at: Date;
}

const MAX_KEPT = 500;
/** SNS's limit on a message body (256 KB). */
const MAX_MESSAGE_BYTES = 262_144;

/**
 * SNS (awsQuery) as far as clustershift uses it: CreateTopic, ListTopics and Publish. Messages are
 * kept, newest last, for the admin endpoint and the demo, instead of being delivered anywhere.
 */
export class SnsTwin implements TwinService {
  private readonly topics = new Set<string>();
  private readonly published: PublishedMessage[] = [];

  constructor(
    private readonly options: {
      readonly clock: TwinClock;
      readonly region: string;
      readonly accountId: string;
    },
  ) {}

  readonly operations = {
    CreateTopic: (input: Record<string, unknown>) => ({
      TopicArn: this.createTopic(requiredString(input.Name, 'Name')),
    }),
    ListTopics: () => ({ Topics: [...this.topics].map((TopicArn) => ({ TopicArn })) }),
    Publish: (input: Record<string, unknown>) => {
      const topicArn =
        optionalString(input.TopicArn, 'TopicArn') ?? optionalString(input.TargetArn, 'TargetArn');
      if (topicArn === undefined)
        throw new TwinError(
          'InvalidParameter',
          'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter',
        );
      if (!this.topics.has(topicArn)) throw new TwinError('NotFound', 'Topic does not exist', 404);
      const message = requiredString(input.Message, 'Message');
      if (message === '') throw new TwinError('InvalidParameter', 'Invalid parameter: Empty message');
      if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES) {
        throw new TwinError('InvalidParameter', 'Invalid parameter: Message too long');
      }
      const subject = optionalString(input.Subject, 'Subject');
      if (subject !== undefined && (subject.length > 100 || /[\r\n]/.test(subject))) {
        throw new TwinError('InvalidParameter', 'Invalid parameter: Subject');
      }
      const messageId = randomUUID();
      this.published.push({
        messageId,
        topicArn,
        ...(subject === undefined ? {} : { subject }),
        message,
        at: this.options.clock.date(),
      });
      if (this.published.length > MAX_KEPT) this.published.shift();
      return { MessageId: messageId };
    },
  };

  /** Creates (or finds) a topic; idempotent like CreateTopic. */
  createTopic(name: string): string {
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(name)) {
      throw new TwinError('InvalidParameter', 'Invalid parameter: Topic Name');
    }
    const arn = `arn:${partitionOf(this.options.region)}:sns:${this.options.region}:${this.options.accountId}:${name}`;
    this.topics.add(arn);
    return arn;
  }

  /** Adds a topic by ARN (a config names its topic by ARN); it must be in the twin's account and region. */
  ensureTopic(arn: string): void {
    const match = /^arn:aws[a-z-]*:sns:([^:]+):([0-9]{12}):([A-Za-z0-9_-]{1,256})$/.exec(arn);
    if (match === null || match[1] !== this.options.region || match[2] !== this.options.accountId) {
      throw new TwinError('InvalidParameter', `topic ${arn} is not in the twin's region and account`);
    }
    this.topics.add(arn);
  }

  messages(): readonly PublishedMessage[] {
    return this.published;
  }
}
