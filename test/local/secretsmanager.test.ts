import { getSecret, SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { clientConfig, raw, startSeededTwin } from './server-fixtures';

/**
 * Secrets Manager on the twin, through the real SDK client and through Powertools' SecretsProvider
 * (what the ChatOps function reads its signing secret and webhook URL with), unchanged.
 */
let twin: Awaited<ReturnType<typeof startSeededTwin>>;
let secrets: SecretsManagerClient;

beforeAll(async () => {
  twin = await startSeededTwin();
  secrets = new SecretsManagerClient(clientConfig(twin.endpoint));
});

afterAll(async () => {
  secrets.destroy();
  await twin.close();
  twin.restoreEnv();
});

describe('Secrets Manager on the twin', () => {
  it('creates a secret with an ARN of AWS’s shape and reads it back by name and by ARN', async () => {
    // Act
    const created = await secrets.send(
      new CreateSecretCommand({
        Name: 'clustershift/slack-signing',
        SecretString: 's3cr3t',
        Description: 'Slack',
      }),
    );
    const byName = await secrets.send(new GetSecretValueCommand({ SecretId: 'clustershift/slack-signing' }));
    const byArn = await secrets.send(new GetSecretValueCommand({ SecretId: created.ARN }));

    // Assert
    expect(created.ARN).toMatch(
      /^arn:aws:secretsmanager:us-east-1:000000000000:secret:clustershift\/slack-signing-[A-Za-z0-9]{6}$/,
    );
    expect(created.VersionId).toMatch(/^[0-9a-f-]{36}$/);
    for (const value of [byName, byArn]) {
      expect(value).toMatchObject({
        ARN: created.ARN,
        Name: 'clustershift/slack-signing',
        VersionId: created.VersionId,
        SecretString: 's3cr3t',
        VersionStages: ['AWSCURRENT'],
      });
      expect(value.CreatedDate).toBeInstanceOf(Date);
    }
  });

  it('makes a new value AWSCURRENT and the old one AWSPREVIOUS', async () => {
    // Prepare
    const created = await secrets.send(new CreateSecretCommand({ Name: 'rotating', SecretString: 'one' }));

    // Act
    const put = await secrets.send(new PutSecretValueCommand({ SecretId: 'rotating', SecretString: 'two' }));
    const current = await secrets.send(new GetSecretValueCommand({ SecretId: 'rotating' }));
    const previous = await secrets.send(
      new GetSecretValueCommand({ SecretId: 'rotating', VersionStage: 'AWSPREVIOUS' }),
    );
    const described = await secrets.send(new DescribeSecretCommand({ SecretId: 'rotating' }));

    // Assert
    expect(current.SecretString).toBe('two');
    expect(previous.SecretString).toBe('one');
    expect(described.VersionIdsToStages).toEqual({
      [created.VersionId ?? '']: ['AWSPREVIOUS'],
      [put.VersionId ?? '']: ['AWSCURRENT'],
    });
  });

  it('keeps a binary secret as bytes', async () => {
    await secrets.send(
      new CreateSecretCommand({ Name: 'binary', SecretBinary: new Uint8Array([1, 2, 255]) }),
    );

    const value = await secrets.send(new GetSecretValueCommand({ SecretId: 'binary' }));

    expect([...(value.SecretBinary ?? [])]).toEqual([1, 2, 255]);
    expect(value.SecretString).toBeUndefined();
  });

  it('lists secrets with their version stages', async () => {
    const listed = await secrets.send(new ListSecretsCommand({}));

    expect(listed.SecretList?.map((secret) => secret.Name)).toEqual(
      expect.arrayContaining(['clustershift/slack-signing', 'rotating']),
    );
    expect(listed.SecretList?.[0]?.SecretVersionsToStages).toBeDefined();
  });

  it.each([
    ['an unknown name', 'nobody-made-this'],
    ['an ARN of an unknown secret', 'arn:aws:secretsmanager:us-east-1:000000000000:secret:nope-AbCdEf'],
  ])('refuses %s with ResourceNotFoundException and AWS’s message', async (_what, secretId) => {
    await expect(secrets.send(new GetSecretValueCommand({ SecretId: secretId }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret.",
    });
  });

  it('refuses a second secret of the same name with ResourceExistsException', async () => {
    await secrets.send(new CreateSecretCommand({ Name: 'once', SecretString: 'a' }));

    await expect(
      secrets.send(new CreateSecretCommand({ Name: 'once', SecretString: 'b' })),
    ).rejects.toMatchObject({
      name: 'ResourceExistsException',
    });
    expect((await secrets.send(new GetSecretValueCommand({ SecretId: 'once' }))).SecretString).toBe('a');
  });

  it.each([
    ['a bad name', { Name: 'has space', SecretString: 'x' }, /Invalid name/],
    [
      'both a string and a binary value',
      { Name: 'both', SecretString: 'x', SecretBinary: new Uint8Array([1]) },
      /both/,
    ],
    ['a value over 64 KB', { Name: 'huge', SecretString: 'x'.repeat(65_537) }, /65536 bytes/],
  ])('refuses %s with InvalidParameterException, creating nothing', async (_what, input, why) => {
    await expect(secrets.send(new CreateSecretCommand(input))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringMatching(why),
    });
    await expect(secrets.send(new GetSecretValueCommand({ SecretId: input.Name }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('says there is no current value for a secret created without one', async () => {
    await secrets.send(new CreateSecretCommand({ Name: 'empty' }));

    await expect(secrets.send(new GetSecretValueCommand({ SecretId: 'empty' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: expect.stringMatching(/staging label: AWSCURRENT/),
    });
  });

  it('answers a request body that is not JSON with an awsJson error, not a 500', async () => {
    const answer = await raw(twin.endpoint, {
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'secretsmanager.GetSecretValue',
      },
      body: '{not json',
    });

    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(JSON.parse(answer.text)).toMatchObject({ __type: 'SerializationException' });
  });

  it('lets the demo set a secret in one call: created the first time, a new current value after', async () => {
    // Act
    const first = twin.secrets.putSecret('demo/slack-webhook', `${twin.endpoint}/_twin/slack/a`);
    const second = twin.secrets.putSecret('demo/slack-webhook', `${twin.endpoint}/_twin/slack/b`);

    // Assert
    expect(second).toBe(first);
    const value = await secrets.send(new GetSecretValueCommand({ SecretId: first }));
    expect(value.SecretString).toBe(`${twin.endpoint}/_twin/slack/b`);
  });

  it('serves Powertools getSecret and SecretsProvider unchanged, by name and by ARN', async () => {
    // Prepare
    const { ARN } = await secrets.send(
      new CreateSecretCommand({
        Name: 'clustershift/slack-webhook',
        SecretString: 'https://hooks.slack.com/x',
      }),
    );
    const provider = new SecretsProvider({ clientConfig: clientConfig(twin.endpoint) });

    // Act
    const viaDefault = await getSecret('clustershift/slack-webhook');
    const viaProvider = await provider.get(ARN ?? '');
    await secrets.send(
      new PutSecretValueCommand({
        SecretId: 'clustershift/slack-webhook',
        SecretString: 'https://hooks.slack.com/y',
      }),
    );
    const refetched = await provider.get('clustershift/slack-webhook', { forceFetch: true });

    // Assert
    expect(viaDefault).toBe('https://hooks.slack.com/x');
    expect(viaProvider).toBe('https://hooks.slack.com/x');
    expect(refetched).toBe('https://hooks.slack.com/y');
  });
});
