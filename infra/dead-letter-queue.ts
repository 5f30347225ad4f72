import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledgeDeadLetterQueueFindings } from './nag';

/**
 * A dead-letter queue for an EventBridge target: events EventBridge could not deliver after its
 * retry policy. SQS-managed encryption (EventBridge cannot write to a queue under the AWS-managed
 * KMS key), TLS only, kept 14 days (SQS's maximum) so an operator has time to look.
 */
export const deadLetterQueue = (
  scope: Construct,
  id: string,
  queueName: string,
  holds: string,
): sqs.Queue => {
  const queue = new sqs.Queue(scope, id, {
    queueName,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  acknowledgeDeadLetterQueueFindings(queue, holds);
  return queue;
};
