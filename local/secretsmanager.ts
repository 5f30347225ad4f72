import { randomInt, randomUUID } from 'node:crypto';
import type { TwinClock } from './clock';
import { TwinError } from './errors';
import { partitionOf } from './partition';
import type { TwinInput, TwinService } from './service';

/**
 * Secrets Manager (awsJson 1.1, `secretsmanager.<Op>`) as far as clustershift reads it: the Slack
 * signing secret and webhook URL, by name or ARN, through the SDK or Powertools' SecretsProvider.
 * CreateSecret, GetSecretValue, PutSecretValue, DescribeSecret, ListSecrets; versions with the
 * AWSCURRENT / AWSPREVIOUS stages. Values live in memory only and are never logged.
 */
interface SecretVersion {
  readonly versionId: string;
  readonly secretString?: string;
  /** Base64, as awsJson carries blobs. */
  readonly secretBinary?: string;
  readonly createdDate: Date;
  stages: string[];
}

interface Secret {
  readonly arn: string;
  readonly name: string;
  readonly description?: string;
  readonly createdDate: Date;
  lastChangedDate: Date;
  readonly versions: SecretVersion[];
}

const NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
/** Secrets Manager's limit on a secret value (64 KB). */
const MAX_VALUE_BYTES = 65_536;
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const NOT_FOUND = "Secrets Manager can't find the specified secret.";

const invalidParameter = (message: string): TwinError => new TwinError('InvalidParameterException', message);

const text = (input: TwinInput, name: string): string | undefined => {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParameter(`${name} must be a string`);
  return value;
};

const requiredText = (input: TwinInput, name: string): string => {
  const value = text(input, name);
  if (value === undefined || value === '') throw invalidParameter(`${name} is required`);
  return value;
};

/** The secret value of a request: a string or base64 binary, not both, within 64 KB. */
const secretValue = (input: TwinInput): { secretString?: string; secretBinary?: string } | undefined => {
  const secretString = text(input, 'SecretString');
  const secretBinary = text(input, 'SecretBinary');
  if (secretString !== undefined && secretBinary !== undefined) {
    throw invalidParameter(
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
  }
  if (secretBinary !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(secretBinary)) {
    throw invalidParameter('SecretBinary must be base64-encoded');
  }
  const size =
    secretString !== undefined
      ? Buffer.byteLength(secretString)
      : Buffer.from(secretBinary ?? '', 'base64').length;
  if (size > MAX_VALUE_BYTES)
    throw invalidParameter(`the secret value is larger than ${MAX_VALUE_BYTES} bytes`);
  if (secretString !== undefined) return { secretString };
  if (secretBinary !== undefined) return { secretBinary };
  return undefined;
};

const versionIdOf = (input: TwinInput): string => {
  const token = text(input, 'ClientRequestToken');
  if (token === undefined) return randomUUID();
  if (token.length < 32 || token.length > 64) {
    throw invalidParameter('ClientRequestToken must be 32–64 characters');
  }
  return token;
};

export class SecretsManagerTwin implements TwinService {
  private readonly secrets = new Map<string, Secret>();

  constructor(
    private readonly options: {
      readonly clock: TwinClock;
      readonly region: string;
      readonly accountId: string;
    },
  ) {}

  readonly operations = {
    CreateSecret: (input: TwinInput) => {
      const name = requiredText(input, 'Name');
      if (!NAME.test(name)) {
        throw invalidParameter(
          'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
        );
      }
      if (this.secrets.has(name)) {
        throw new TwinError(
          'ResourceExistsException',
          `The operation failed because the secret ${name} already exists.`,
        );
      }
      const value = secretValue(input);
      const versionId = versionIdOf(input);
      const now = this.options.clock.date();
      const description = text(input, 'Description');
      const secret: Secret = {
        arn: `arn:${partitionOf(this.options.region)}:secretsmanager:${this.options.region}:${this.options.accountId}:secret:${name}-${randomSuffix()}`,
        name,
        ...(description === undefined ? {} : { description }),
        createdDate: now,
        lastChangedDate: now,
        versions:
          value === undefined ? [] : [{ versionId, ...value, createdDate: now, stages: ['AWSCURRENT'] }],
      };
      this.secrets.set(name, secret);
      return { ARN: secret.arn, Name: name, ...(value === undefined ? {} : { VersionId: versionId }) };
    },

    GetSecretValue: (input: TwinInput) => {
      const secret = this.find(requiredText(input, 'SecretId'));
      const versionId = text(input, 'VersionId');
      const stage = text(input, 'VersionStage') ?? (versionId === undefined ? 'AWSCURRENT' : undefined);
      const version = secret.versions.find(
        (candidate) =>
          (versionId === undefined || candidate.versionId === versionId) &&
          (stage === undefined || candidate.stages.includes(stage)),
      );
      if (version === undefined) {
        throw new TwinError(
          'ResourceNotFoundException',
          versionId === undefined
            ? `Secrets Manager can't find the specified secret value for staging label: ${stage}`
            : `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`,
        );
      }
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.versionId,
        ...(version.secretString === undefined ? {} : { SecretString: version.secretString }),
        ...(version.secretBinary === undefined ? {} : { SecretBinary: version.secretBinary }),
        VersionStages: [...version.stages],
        CreatedDate: version.createdDate,
      };
    },

    PutSecretValue: (input: TwinInput) => {
      const secret = this.find(requiredText(input, 'SecretId'));
      const value = secretValue(input);
      if (value === undefined)
        throw invalidParameter('You must provide either SecretString or SecretBinary.');
      const versionId = versionIdOf(input);
      const existing = secret.versions.find((version) => version.versionId === versionId);
      if (existing !== undefined) {
        // An idempotent retry of the same request answers the same version; another value is refused.
        if (existing.secretString === value.secretString && existing.secretBinary === value.secretBinary) {
          return {
            ARN: secret.arn,
            Name: secret.name,
            VersionId: versionId,
            VersionStages: [...existing.stages],
          };
        }
        throw new TwinError(
          'ResourceExistsException',
          `A version with VersionId ${versionId} already exists and its value differs.`,
        );
      }
      const stages = input.VersionStages === undefined ? ['AWSCURRENT'] : stageList(input.VersionStages);
      const now = this.options.clock.date();
      for (const version of secret.versions) {
        const moved = version.stages.filter((stage) => stages.includes(stage));
        version.stages = version.stages.filter(
          (stage) => !stages.includes(stage) && !(stages.includes('AWSCURRENT') && stage === 'AWSPREVIOUS'),
        );
        if (moved.includes('AWSCURRENT')) version.stages.push('AWSPREVIOUS');
      }
      secret.versions.push({ versionId, ...value, createdDate: now, stages });
      secret.lastChangedDate = now;
      return { ARN: secret.arn, Name: secret.name, VersionId: versionId, VersionStages: [...stages] };
    },

    DescribeSecret: (input: TwinInput) => {
      const secret = this.find(requiredText(input, 'SecretId'));
      return { ...summary(secret), VersionIdsToStages: versionsToStages(secret) };
    },

    ListSecrets: (input: TwinInput) => {
      if (input.Filters !== undefined) {
        throw invalidParameter("the twin's ListSecrets does not filter; list every secret instead");
      }
      // ListSecrets names the same map SecretVersionsToStages.
      return {
        SecretList: [...this.secrets.values()].map((secret) => ({
          ...summary(secret),
          SecretVersionsToStages: versionsToStages(secret),
        })),
      };
    },
  };

  /** Creates a secret with a string value, or gives an existing one a new current value; its ARN (the demo). */
  putSecret(name: string, secretString: string): string {
    if (!this.secrets.has(name)) {
      return (this.operations.CreateSecret({ Name: name, SecretString: secretString }) as { ARN: string })
        .ARN;
    }
    return this.operations.PutSecretValue({ SecretId: name, SecretString: secretString }).ARN;
  }

  /** A secret by name, full ARN, or ARN without the random suffix, as SecretId is resolved. */
  private find(secretId: string): Secret {
    const byName = this.secrets.get(secretId);
    if (byName !== undefined) return byName;
    for (const secret of this.secrets.values()) {
      if (secret.arn === secretId || secret.arn.slice(0, -7) === secretId) return secret;
    }
    throw new TwinError('ResourceNotFoundException', NOT_FOUND);
  }
}

const stageList = (value: unknown): string[] => {
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((item) => typeof item === 'string' && item !== '')
  ) {
    throw invalidParameter('VersionStages must be a non-empty list of strings');
  }
  return [...new Set(value as string[])];
};

const summary = (secret: Secret) => ({
  ARN: secret.arn,
  Name: secret.name,
  ...(secret.description === undefined ? {} : { Description: secret.description }),
  CreatedDate: secret.createdDate,
  LastChangedDate: secret.lastChangedDate,
});

/** Versions that still carry a stage (unlabelled ones are deprecated and not listed). */
const versionsToStages = (secret: Secret): Record<string, string[]> =>
  Object.fromEntries(
    secret.versions
      .filter((version) => version.stages.length > 0)
      .map((version) => [version.versionId, [...version.stages]]),
  );

/** The six random characters Secrets Manager appends to a secret's ARN. */
const randomSuffix = (): string =>
  Array.from({ length: 6 }, () => SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)]).join('');
