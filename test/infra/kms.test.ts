import type { App, CfnElement } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { InvalidConfigError } from '../../core/errors';
import { buildApp } from '../../infra/build-app';
import type { ClusterShiftStack } from '../../infra/stack';
import { asArray, fixtureProps, fleet, type Synthesized, synthFleet, TOPIC_ARN, testApp } from './helpers';

const KEY = (id: string) => `arn:aws:kms:eu-west-1:123456789012:key/${id}`;
const TOPIC_KEY = KEY('1234abcd-12ab-34cd-56ef-1234567890ab');
const SLACK_KEY = KEY('2234abcd-12ab-34cd-56ef-1234567890ab');
const CHAT_KEY = KEY('mrk-3234abcd12ab34cd56ef1234567890ab');
const SECRET_PREFIX = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:';

const CHATOPS = {
  enabled: true,
  signingSecret: 'clustershift/slack-signing',
  webhookSecret: `${SECRET_PREFIX}clustershift/webhook`,
  secretsKmsKeyArn: CHAT_KEY,
  channels: ['C0ONCALL'],
  users: [{ id: 'U0ALICE', commands: ['all'] }],
};

interface Statement {
  readonly Sid?: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** Every statement that names a kms: action, by the function holding it. */
const kmsGrants = ({ stack, template }: Synthesized): { holder: string; statement: Statement }[] => {
  const shift = stack.clusterShift;
  const functions: Record<string, lambda.Function> = {
    ...shift.functions,
    ...shift.eventFunctions,
    ...(shift.chatOps === undefined ? {} : { chatops: shift.chatOps.handler, ...shift.chatOps.workers }),
  };
  const holderByRole = new Map(
    Object.entries(functions).map(([name, fn]) => [
      stack.getLogicalId(fn.role?.node.defaultChild as CfnElement),
      name,
    ]),
  );
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) => {
    const holder =
      holderByRole.get(asArray(policy.Properties.Roles as { Ref: string }[])[0]?.Ref ?? '') ?? '?';
    return (policy.Properties.PolicyDocument.Statement as Statement[])
      .filter((statement) => asArray(statement.Action).some((action) => action.startsWith('kms:')))
      .map((statement) => ({ holder, statement }));
  });
};

const NOTIFIERS = ['execution-ended', 'finish', 'notify'];

describe('KMS keys of encrypted resources', () => {
  it('grants nothing of KMS when no key is configured', () => {
    expect(kmsGrants(synthFleet())).toEqual([]);
  });

  it('lets exactly the notifying functions publish to an SSE-KMS topic: GenerateDataKey* and Decrypt on its key, for that topic only', () => {
    // Act
    const grants = kmsGrants(
      synthFleet(fleet({ notifications: { snsTopicArn: TOPIC_ARN, snsTopicKmsKeyArn: TOPIC_KEY } })),
    );

    // Assert
    expect(grants.map((grant) => grant.holder).sort()).toEqual(NOTIFIERS);
    for (const { statement } of grants) {
      expect(statement).toEqual({
        Sid: 'PublishToEncryptedTopic',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: TOPIC_KEY,
        Condition: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': TOPIC_ARN } },
      });
    }
  });

  it('lets exactly the notifying functions decrypt the Slack webhook secret with its key, for that secret only', () => {
    // Act
    const grants = kmsGrants(
      synthFleet(
        fleet({
          notifications: { slack: { webhookUrlSecret: 'clustershift/slack-webhook', kmsKeyArn: SLACK_KEY } },
        }),
      ),
    );

    // Assert
    expect(grants.map((grant) => grant.holder).sort()).toEqual(NOTIFIERS);
    for (const { statement } of grants) {
      expect(statement).toMatchObject({
        Sid: 'DecryptSlackWebhookSecret',
        Action: 'kms:Decrypt',
        Resource: SLACK_KEY,
      });
      expect(JSON.stringify(statement.Condition)).toContain('kms:EncryptionContext:SecretARN');
      expect(JSON.stringify(statement.Condition)).toContain(':secret:clustershift/slack-webhook-??????');
    }
  });

  it('lets only the chat endpoint decrypt the chat secrets with their key, and none of its workers', () => {
    // Act
    const grants = kmsGrants(synthFleet(fleet({ chatops: CHATOPS })));

    // Assert: the webhook secret was given as a partial ARN: widened by the random suffix
    expect(grants).toEqual([
      {
        holder: 'chatops',
        statement: expect.objectContaining({
          Sid: 'DecryptChatSecrets',
          Action: 'kms:Decrypt',
          Resource: CHAT_KEY,
          Condition: {
            StringLike: {
              'kms:EncryptionContext:SecretARN': [
                expect.stringMatching(/:secret:clustershift\/slack-signing-\?{6}$/),
                `${SECRET_PREFIX}clustershift/webhook-??????`,
              ],
            },
          },
        }),
      },
    ]);
  });

  it('passes cdk-nag with every key configured, the GenerateDataKey* wildcard acknowledged with its reason', () => {
    // Prepare
    const app: App = testApp();
    const stack: ClusterShiftStack = buildApp(
      app,
      fleet({
        chatops: CHATOPS,
        notifications: {
          snsTopicArn: TOPIC_ARN,
          snsTopicKmsKeyArn: TOPIC_KEY,
          slack: { webhookUrlSecret: 'clustershift/slack-webhook', kmsKeyArn: SLACK_KEY },
        },
      }),
      { clusterShift: fixtureProps() },
    );

    // Act
    const violations = new AwsSolutionsChecks().validateScope(app).violations;

    // Assert
    expect(violations.map((violation) => violation.ruleName)).toEqual([]);
    expect(JSON.stringify(stack.clusterShift.functions.notify.role?.node.metadata)).toContain(
      'AWS documents kms:GenerateDataKey* and kms:Decrypt for publishers to an SSE-KMS topic',
    );
  });
});

describe('secrets named by ARN', () => {
  it('keeps a full ARN (with its random suffix) as the IAM resource', () => {
    // Act
    const { template } = synthFleet(
      fleet({ notifications: { slack: { webhookUrlSecret: `${SECRET_PREFIX}clustershift/slack-AbC123` } } }),
    );

    // Assert
    expect(JSON.stringify(template.toJSON())).toContain(`"${SECRET_PREFIX}clustershift/slack-AbC123"`);
    expect(JSON.stringify(template.toJSON())).not.toContain('clustershift/slack-AbC123-??????');
  });

  it('widens an ARN without the random suffix by -?????? so that IAM matches the real ARN', () => {
    // Act
    const { template } = synthFleet(
      fleet({
        notifications: { slack: { webhookUrlSecret: `${SECRET_PREFIX}clustershift/slack-webhook-url` } },
      }),
    );

    // Assert
    expect(JSON.stringify(template.toJSON())).toContain(
      `"${SECRET_PREFIX}clustershift/slack-webhook-url-??????"`,
    );
  });
});

describe('KMS key ARNs in the config', () => {
  it('refuses an alias, naming the field', () => {
    expect(() =>
      fleet({
        notifications: {
          snsTopicArn: TOPIC_ARN,
          snsTopicKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:alias/clustershift',
        },
      }),
    ).toThrow(/notifications\.snsTopicKmsKeyArn: must be a KMS key ARN .*not an alias/);
  });

  it('refuses a topic key without a topic, and a chat secrets key without chat secrets', () => {
    // Act
    const attempt = () =>
      fleet({
        notifications: { snsTopicKmsKeyArn: TOPIC_KEY },
        chatops: { secretsKmsKeyArn: CHAT_KEY },
      });

    // Assert
    expect(attempt).toThrow(InvalidConfigError);
    expect(attempt).toThrow(
      /notifications\.snsTopicKmsKeyArn: names the key of a topic, but notifications\.snsTopicArn is not set/,
    );
    expect(attempt).toThrow(/chatops\.secretsKmsKeyArn: names the key of the chat secrets/);
  });
});
