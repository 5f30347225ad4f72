/**
 * What an HTTP API answers the client, from its Lambda integration's result (payload format 2.0):
 * an object with a `statusCode` is a response (headers, body, isBase64Encoded, cookies as Set-Cookie
 * headers); any other JSON value is the body of a 200 with content-type application/json. A result
 * that claims to be a response but is malformed, a failed invocation, a missing route: the fixed
 * answers API Gateway gives, `{"message": …}`.
 */
export interface ApiAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body: Buffer;
}

export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponseError';
}

const messageAnswer = (status: number, message: string): ApiAnswer => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify({ message })),
});

export const NOT_FOUND = messageAnswer(404, 'Not Found');
export const INTERNAL_SERVER_ERROR = messageAnswer(500, 'Internal Server Error');
/** The integration did not answer within its timeout. */
export const SERVICE_UNAVAILABLE = messageAnswer(503, 'Service Unavailable');
export const REQUEST_TOO_LARGE = messageAnswer(413, 'Request Entity Too Large');

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const headerValue = (name: string, value: unknown): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new MalformedResponseError(`header ${name} must be a string, number or boolean`);
};

/** Maps a function's result to the HTTP answer; throws MalformedResponseError saying what is wrong. */
export const mapResult = (result: unknown): ApiAnswer => {
  if (!isRecord(result) || !Object.hasOwn(result, 'statusCode')) {
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify(result ?? null)),
    };
  }
  const { statusCode, headers, body, isBase64Encoded, cookies } = result;
  if (
    typeof statusCode !== 'number' ||
    !Number.isInteger(statusCode) ||
    statusCode < 100 ||
    statusCode > 599
  ) {
    throw new MalformedResponseError(
      `statusCode must be an integer 100–599, got ${JSON.stringify(statusCode)}`,
    );
  }
  if (headers !== undefined && headers !== null && !isRecord(headers)) {
    throw new MalformedResponseError('headers must be an object');
  }
  if (body !== undefined && body !== null && typeof body !== 'string') {
    throw new MalformedResponseError(
      `body must be a string, got ${Array.isArray(body) ? 'array' : typeof body}`,
    );
  }
  if (isBase64Encoded !== undefined && typeof isBase64Encoded !== 'boolean') {
    throw new MalformedResponseError('isBase64Encoded must be a boolean');
  }
  if (
    cookies !== undefined &&
    !(Array.isArray(cookies) && cookies.every((item) => typeof item === 'string'))
  ) {
    throw new MalformedResponseError('cookies must be a list of strings');
  }
  const out: Record<string, string | readonly string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    // Header names are case-insensitive; lower-cased so a second spelling cannot duplicate one.
    out[name.toLowerCase()] = headerValue(name, value);
  }
  if (Array.isArray(cookies) && cookies.length > 0) out['set-cookie'] = cookies as string[];
  const text = typeof body === 'string' ? body : '';
  return {
    status: statusCode,
    headers: out,
    body: isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text),
  };
};
