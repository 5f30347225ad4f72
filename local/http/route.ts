import type { IncomingHttpHeaders } from 'node:http';

/**
 * Which protocol and service a request speaks, from its headers and path alone (the body is read
 * after, so DynamoDB requests can be handed to dynalite untouched).
 */
export type RequestRoute =
  | { readonly kind: 'admin'; readonly path: string }
  | { readonly kind: 'dynamodb'; readonly operation: string }
  | { readonly kind: 'json'; readonly service: JsonService; readonly operation: string }
  | { readonly kind: 'rest'; readonly service: 'lambda'; readonly path: string }
  | { readonly kind: 'cbor'; readonly service: 'cloudwatch'; readonly operation: string }
  | { readonly kind: 'query'; readonly scope: string | undefined }
  | { readonly kind: 'unknown'; readonly reason: string };

export type JsonService = 'cloudwatch' | 'sfn' | 'events' | 'secretsmanager';

const JSON_TARGETS: Record<string, JsonService> = {
  GraniteServiceVersion20100801: 'cloudwatch',
  AWSStepFunctions: 'sfn',
  AWSEvents: 'events',
  secretsmanager: 'secretsmanager',
};

/** Lambda's Invoke path (restJson1); the only Lambda operation the twin serves. */
const LAMBDA_INVOKE_PATH = /^\/2015-03-31\/functions\/[^/]+\/invocations$/;

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The service named in a SigV4 credential scope: `Credential=AKID/date/region/<service>/aws4_request`. */
export const credentialScopeService = (authorization: string | undefined): string | undefined =>
  authorization === undefined
    ? undefined
    : /Credential=[^/,]+\/[^/,]+\/[^/,]+\/([^/,]+)\/aws4_request/.exec(authorization)?.[1];

/**
 * Whether a request is a call to an AWS API (SigV4-signed, or naming an operation in its headers).
 * HTTP API routes never take those: a `$default` or `ANY /{proxy+}` route would otherwise swallow
 * the SDK calls the twin exists to answer.
 */
export const isAwsApiCall = (headers: IncomingHttpHeaders): boolean =>
  (header(headers, 'authorization') ?? '').startsWith('AWS4-') ||
  header(headers, 'x-amz-target') !== undefined ||
  header(headers, 'smithy-protocol') !== undefined;

export const routeRequest = (method: string, url: string, headers: IncomingHttpHeaders): RequestRoute => {
  const path = url.split('?')[0] ?? '/';
  if (path.startsWith('/_twin/') || path === '/_twin') return { kind: 'admin', path };
  const target = header(headers, 'x-amz-target');
  if (target !== undefined) {
    const [prefix, operation] = target.split('.', 2);
    if (prefix === 'DynamoDB_20120810' && operation) return { kind: 'dynamodb', operation };
    // Own keys only: `toString.X` must not find Object.prototype.toString.
    const service =
      prefix !== undefined && Object.hasOwn(JSON_TARGETS, prefix) ? JSON_TARGETS[prefix] : undefined;
    if (service && operation) return { kind: 'json', service, operation };
    return { kind: 'unknown', reason: `unknown X-Amz-Target ${target.slice(0, 100)}` };
  }
  if (header(headers, 'smithy-protocol') === 'rpc-v2-cbor') {
    const match = /^\/service\/([^/]+)\/operation\/([^/]+)$/.exec(path);
    if (match?.[1] === 'GraniteServiceVersion20100801' && match[2]) {
      return { kind: 'cbor', service: 'cloudwatch', operation: match[2] };
    }
    return { kind: 'unknown', reason: `unknown RPC v2 CBOR service path ${path.slice(0, 100)}` };
  }
  const scope = credentialScopeService(header(headers, 'authorization'));
  if (scope === 'lambda' || (scope === undefined && LAMBDA_INVOKE_PATH.test(path))) {
    return { kind: 'rest', service: 'lambda', path };
  }
  if (method === 'POST') {
    return { kind: 'query', scope };
  }
  return { kind: 'unknown', reason: `no AWS operation at ${method} ${path.slice(0, 100)}` };
};
