import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { publishNotification } from '../../aws/sns';
import type { Twin } from '../../local/server';
import { clientConfig, startSeededTwin } from './server-fixtures';

let twin: Twin & { restoreEnv(): void };
let sns: SNSClient;

beforeAll(async () => {
  twin = await startSeededTwin();
  sns = new SNSClient(clientConfig(twin.endpoint));
});

afterAll(async () => {
  sns.destroy();
  await twin.close();
  twin.restoreEnv();
});

const notifications = async () =>
  (
    (await (await fetch(`${twin.endpoint}/_twin/notifications`)).json()) as {
      messages: { message: string }[];
    }
  ).messages;

describe('SNS on the twin', () => {
  it('refuses to publish to a topic that does not exist, with the SDK error AWS gives', async () => {
    // Act
    const publish = sns.send(
      new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:nowhere', Message: 'hello' }),
    );

    // Assert
    await expect(publish).rejects.toMatchObject({ name: 'NotFoundException' });
  });

  it('keeps what is published to a created topic and shows it on the admin endpoint', async () => {
    // Prepare
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'on-call' }));

    // Act
    const { MessageId } = await sns.send(
      new PublishCommand({ TopicArn, Subject: 'failover', Message: 'green drained' }),
    );

    // Assert
    expect(TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:on-call');
    expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await notifications()).map((m) => m.message)).toContain('green drained');
  });

  it('delivers the project adapter’s notification to a topic named by ARN in the config', async () => {
    // Prepare
    const topicArn = 'arn:aws:sns:us-east-1:000000000000:clustershift-demo';
    twin.sns.ensureTopic(topicArn);

    // Act
    const result = await publishNotification(
      topicArn,
      { subject: 'clustershift demo', text: 'fail static' },
      sns,
    );

    // Assert
    expect(result.delivered).toBe(true);
    expect((await notifications()).map((m) => m.message)).toContain('fail static');
  });

  it('rejects a topic ARN outside the twin’s region and account', () => {
    expect(() => twin.sns.ensureTopic('arn:aws:sns:eu-west-1:123456789012:x')).toThrow(/region and account/);
  });
});
