import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * The Lambda event of an HTTP API (payload format 2.0), built from a request as API Gateway builds
 * it (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html):
 * header names lower-cased and repeated headers joined with commas; the Cookie header moved to
 * `cookies`; repeated query parameters joined with commas; `cookies`, `queryStringParameters`,
 * `pathParameters` and `body` left out when there are none; a body passed as text only for textual
 * content types, otherwise base64-encoded.
 */
export interface ApiRequest {
  readonly method: string;
  /** Path and query as received (`/slack/commands?x=1`). */
  readonly url: string;
  /** Node's rawHeaders: name, value, name, value … in the order received. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  /** `1.1` → protocol `HTTP/1.1`. */
  readonly httpVersion: string;
  /** The port the twin listens on (x-forwarded-port). */
  readonly localPort: number;
}

export interface ApiEventContext {
  readonly accountId: string;
  readonly apiId: string;
  readonly routeKey: string;
  readonly requestId: string;
  /** Twin epoch ms. */
  readonly now: number;
  readonly pathParameters: Readonly<Record<string, string>>;
}

/**
 * The content types HTTP APIs pass as text. AWS does not document the list; this is what HTTP APIs
 * were observed to do: text/*, application/json, application/xml and application/javascript as text,
 * everything else (application/x-www-form-urlencoded included, which is what Slack posts, and a
 * request without Content-Type) base64-encoded with isBase64Encoded true.
 */
const TEXT_TYPES = new Set(['application/json', 'application/xml', 'application/javascript']);

export const isTextContentType = (contentType: string | undefined): boolean => {
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return media.startsWith('text/') || TEXT_TYPES.has(media);
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (value: number): string => String(value).padStart(2, '0');

/** `12/Mar/2020:19:03:58 +0000`, the time format of requestContext.time. */
export const requestTime = (epochMs: number): string => {
  const date = new Date(epochMs);
  return (
    `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
};

const decodeQueryPart = (text: string): string => {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
};

/** Query parameters, decoded, repeated names joined with commas; undefined when there are none. */
export const queryParameters = (rawQuery: string): Record<string, string> | undefined => {
  const parameters: Record<string, string> = {};
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decodeQueryPart(equals < 0 ? pair : pair.slice(0, equals));
    const value = equals < 0 ? '' : decodeQueryPart(pair.slice(equals + 1));
    parameters[name] = Object.hasOwn(parameters, name) ? `${parameters[name]},${value}` : value;
  }
  return Object.keys(parameters).length === 0 ? undefined : parameters;
};

/** Headers lower-cased with repeats joined by commas, and the cookies the Cookie headers carry. */
export const splitHeaders = (
  rawHeaders: readonly string[],
): { headers: Record<string, string>; cookies: string[] } => {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = (rawHeaders[index] ?? '').toLowerCase();
    const value = rawHeaders[index + 1] ?? '';
    if (name === 'cookie') {
      cookies.push(
        ...value
          .split(';')
          .map((cookie) => cookie.trim())
          .filter((cookie) => cookie !== ''),
      );
      continue;
    }
    headers[name] = Object.hasOwn(headers, name) ? `${headers[name]},${value}` : value;
  }
  return { headers, cookies };
};

/** `Root=1-<8 hex seconds>-<24 hex>`, the X-Ray trace header API Gateway adds. */
const traceId = (now: number, requestId: string): string => {
  const seconds = Math.floor(now / 1000).toString(16);
  const hex = Buffer.from(requestId).toString('hex').padEnd(24, '0').slice(0, 24);
  return `Root=1-${seconds}-${hex}`;
};

export const buildApiEvent = (request: ApiRequest, context: ApiEventContext): APIGatewayProxyEventV2 => {
  const question = request.url.indexOf('?');
  const rawPath = question < 0 ? request.url : request.url.slice(0, question);
  const rawQueryString = question < 0 ? '' : (request.url.slice(question + 1).split('#')[0] ?? '');
  const { headers, cookies } = splitHeaders(request.rawHeaders);
  // What API Gateway adds in front of the integration.
  headers['x-forwarded-for'] =
    headers['x-forwarded-for'] === undefined
      ? request.sourceIp
      : `${headers['x-forwarded-for']}, ${request.sourceIp}`;
  headers['x-forwarded-port'] = String(request.localPort);
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] ??= traceId(context.now, context.requestId);
  const domainName = headers.host ?? `127.0.0.1:${request.localPort}`;
  const query = queryParameters(rawQueryString);
  const hasBody = request.body.length > 0;
  const asText = isTextContentType(headers['content-type']);
  return {
    version: '2.0',
    routeKey: context.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length === 0 ? {} : { cookies }),
    headers,
    ...(query === undefined ? {} : { queryStringParameters: query }),
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: request.method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: context.requestId,
      routeKey: context.routeKey,
      stage: '$default',
      time: requestTime(context.now),
      timeEpoch: context.now,
    },
    ...(hasBody ? { body: asText ? request.body.toString('utf8') : request.body.toString('base64') } : {}),
    ...(Object.keys(context.pathParameters).length === 0
      ? {}
      : { pathParameters: { ...context.pathParameters } }),
    isBase64Encoded: hasBody && !asText,
  };
};
