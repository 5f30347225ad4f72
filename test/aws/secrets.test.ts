import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { readSecret, SECRET_MAX_AGE_SECONDS, type SecretSource } from '../../aws/secrets';

const SECRET = 'clustershift/slack-webhook';
const VALUE = 'https://hooks.slack.com/services/T000/B000/s3cr3t';

const source = (get: SecretSource['get']): SecretSource => ({ get });

describe('readSecret', () => {
  it('returns the SecretString, trimmed, asking the provider to cache it for five minutes', async () => {
    // Prepare
    const get = jest.fn(async () => `  ${VALUE}\n`);

    // Act
    const value = await readSecret(SECRET, source(get));

    // Assert
    expect(value).toBe(VALUE);
    expect(get).toHaveBeenCalledWith(SECRET, { maxAge: SECRET_MAX_AGE_SECONDS });
    expect(SECRET_MAX_AGE_SECONDS).toBe(300);
  });

  it.each([
    ['no value', undefined, 'the secret has no value'],
    ['binary data', new Uint8Array([1, 2, 3]), 'the secret holds binary data, not a SecretString'],
    ['an empty string', '   ', 'the SecretString is empty'],
  ])('refuses %s with AwsCallFailed naming the secret', async (_what, stored, problem) => {
    await expect(
      readSecret(
        SECRET,
        source(async () => stored),
      ),
    ).rejects.toMatchObject({
      name: 'AwsCallFailed',
      message: `reading secret ${SECRET} failed: ${problem}`,
      details: { operation: 'GetSecretValue', secret: SECRET },
    });
  });

  it('turns a provider failure into AwsCallFailed naming the secret and the AWS error', async () => {
    // Prepare
    const failure = Object.assign(new Error("Secrets Manager can't find the specified secret."), {
      name: 'ResourceNotFoundException',
    });

    // Act
    const read = readSecret(
      SECRET,
      source(async () => {
        throw failure;
      }),
    );

    // Assert
    await expect(read).rejects.toMatchObject({
      name: 'AwsCallFailed',
      message: `reading secret ${SECRET} failed: ResourceNotFoundException: Secrets Manager can't find the specified secret.`,
    });
  });

  describe('through Powertools SecretsProvider', () => {
    const secrets = mockClient(SecretsManagerClient);
    afterEach(() => secrets.reset());
    afterAll(() => secrets.restore());

    it('reads the secret once and serves it from the cache after that', async () => {
      // Prepare
      secrets.on(GetSecretValueCommand, { SecretId: SECRET }).resolves({ SecretString: VALUE });
      const provider = new SecretsProvider({
        awsSdkV3Client: new SecretsManagerClient({ region: 'eu-west-1' }),
      });

      // Act
      const first = await readSecret(SECRET, provider);
      const second = await readSecret(SECRET, provider);

      // Assert
      expect([first, second]).toEqual([VALUE, VALUE]);
      expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    });

    it('names the AWS error behind GetParameterError, never a value', async () => {
      // Prepare
      secrets
        .on(GetSecretValueCommand)
        .rejects(new ResourceNotFoundException({ message: 'Secrets Manager can’t find it.', $metadata: {} }));
      const provider = new SecretsProvider({
        awsSdkV3Client: new SecretsManagerClient({ region: 'eu-west-1' }),
      });

      // Act
      const error = await readSecret('missing', provider).catch((e: unknown) => e as Error);

      // Assert
      expect(error).toMatchObject({
        name: 'AwsCallFailed',
        message: 'reading secret missing failed: ResourceNotFoundException: Secrets Manager can’t find it.',
      });
    });
  });
});
