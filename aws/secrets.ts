import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { ClusterShiftError } from '../core/errors';
import { awsErrorMessage, awsErrorName } from './aws-errors';

/** What readSecret needs of a provider: Powertools' SecretsProvider, or a stand-in in tests. */
export interface SecretSource {
  get(name: string, options?: { maxAge?: number }): Promise<unknown>;
}

/**
 * How long a secret is reused before it is read again. A warm Lambda keeps the provider (and its
 * cache) between invocations, so a rotated webhook URL or signing secret is picked up within this.
 */
export const SECRET_MAX_AGE_SECONDS = 300;

let shared: SecretsProvider | undefined;
const defaultSecretSource = (): SecretSource => (shared ??= new SecretsProvider());

/** Forgets cached secret values, so the next read asks Secrets Manager (tests; a rotation drill). */
export const clearSecretCache = (): void => {
  shared?.clearCache();
};

/** The AWS error behind Powertools' GetParameterError (it wraps the SDK's as its cause). */
const underlying = (error: unknown): unknown => {
  const { name, cause } = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    cause?: unknown;
  };
  return name === 'GetParameterError' && cause !== undefined ? cause : error;
};

const refused = (ref: string, problem: string, cause?: unknown): ClusterShiftError =>
  new ClusterShiftError('AwsCallFailed', `reading secret ${ref} failed: ${problem}`, {
    ...(cause === undefined ? {} : { cause }),
    details: { operation: 'GetSecretValue', secret: ref },
  });

/**
 * The SecretString of a Secrets Manager secret (name or ARN), trimmed, cached for
 * {@link SECRET_MAX_AGE_SECONDS}. Errors name the secret, never its value.
 */
export const readSecret = async (
  ref: string,
  source: SecretSource = defaultSecretSource(),
  options: { maxAge?: number } = {},
): Promise<string> => {
  let value: unknown;
  try {
    value = await source.get(ref, { maxAge: options.maxAge ?? SECRET_MAX_AGE_SECONDS });
  } catch (error) {
    const aws = underlying(error);
    throw refused(ref, `${awsErrorName(aws)}: ${awsErrorMessage(aws)}`, error);
  }
  if (value === undefined || value === null) throw refused(ref, 'the secret has no value');
  if (typeof value !== 'string') throw refused(ref, 'the secret holds binary data, not a SecretString');
  const trimmed = value.trim();
  if (trimmed === '') throw refused(ref, 'the SecretString is empty');
  return trimmed;
};
