import { ClusterShiftError } from '../core/errors';

/** Error names AWS services use for request-rate throttling (ELBv2, CloudWatch, Step Functions, DynamoDB). */
const THROTTLING_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
]);

interface AwsLikeError {
  name?: unknown;
  Code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

const asAwsLike = (error: unknown): AwsLikeError =>
  typeof error === 'object' && error !== null ? (error as AwsLikeError) : {};

/**
 * The AWS error code (`RuleNotFound`, `Throttling` …). For awsQuery services SDK v3 names modelled
 * errors after their shape (`ListenerNotFoundException`) and keeps the wire code in `Code`, so
 * `Code` wins; JSON services put the code in `name`.
 */
export const awsErrorName = (error: unknown): string => {
  const { name, Code } = asAwsLike(error);
  if (typeof Code === 'string' && Code !== '') return Code;
  if (typeof name === 'string' && name !== '') return name === 'Error' ? 'UnknownError' : name;
  return 'UnknownError';
};

export const awsErrorMessage = (error: unknown): string => {
  const { message } = asAwsLike(error);
  return typeof message === 'string' && message !== '' ? message : String(error);
};

export const isThrottlingError = (error: unknown): boolean =>
  THROTTLING_NAMES.has(awsErrorName(error)) || asAwsLike(error).$metadata?.httpStatusCode === 429;

/** Names of dropped or timed-out connections, which say nothing about the request itself. */
const NETWORK_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

/** A 5xx answer or a dropped connection: worth another try for a read. */
export const isServerError = (error: unknown): boolean => {
  const { $metadata } = asAwsLike(error);
  const status = $metadata?.httpStatusCode;
  const code = (error as { code?: unknown } | null)?.code;
  return (
    (typeof status === 'number' && status >= 500) ||
    NETWORK_NAMES.has(awsErrorName(error)) ||
    (typeof code === 'string' && NETWORK_NAMES.has(code))
  );
};

/** `<operation> failed: <AWS error name>: <message>`, keeping the AWS error as the cause. */
export const toAwsCallFailed = (operation: string, error: unknown): ClusterShiftError => {
  const awsError = awsErrorName(error);
  return new ClusterShiftError(
    'AwsCallFailed',
    `${operation} failed: ${awsError}: ${awsErrorMessage(error)}`,
    {
      cause: error,
      details: { operation, awsError },
    },
  );
};

/** The AWS error name behind a translated AwsCallFailed, if that is what `error` is. */
export const failedAwsError = (error: unknown): string | undefined =>
  error instanceof ClusterShiftError &&
  error.name === 'AwsCallFailed' &&
  typeof error.details.awsError === 'string'
    ? error.details.awsError
    : undefined;

/** The same error with more structured facts (errors are immutable once thrown). */
export const withDetails = (error: ClusterShiftError, extra: Record<string, unknown>): ClusterShiftError =>
  new ClusterShiftError(error.name, error.message, {
    cause: error.cause,
    details: { ...error.details, ...extra },
  });
