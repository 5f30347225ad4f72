import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';

let shared: SNSClient | undefined;
const defaultSnsClient = (): SNSClient => (shared ??= new SNSClient({}));

/** Publishes a notification. Never throws: a failed notification must not fail the shift. */
export const publishNotification = async (
  topicArn: string,
  message: { subject: string; text: string },
  client: SNSClient = defaultSnsClient(),
): Promise<{ delivered: boolean; error?: string }> => {
  try {
    await client.send(
      new PublishCommand({ TopicArn: topicArn, Subject: message.subject, Message: message.text }),
    );
    return { delivered: true };
  } catch (error) {
    return {
      delivered: false,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
};
