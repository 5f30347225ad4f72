import type { IncomingHttpHeaders } from 'node:http';

/**
 * Which protocol and service a request speaks, from its headers and path alone (the body is read
 * after, so DynamoDB requests can be handed to dynalite untouched).
 */
export type RequestRoute =
  | { readonly kind: 'admin'; readonly path: string }
  | { readonly kind: 'dynamodb'; readonly operation: string }
  | { readonly kind: 'json'; readonly service: 'cloudwatch' | 'sfn' | 'events'; readonly operation: string }
  | { readonly kind: 'cbor'; readonly service: 'cloudwatch'; readonly operation: string }
  | { readonly kind: 'query'; readonly scope: string | undefined }
  | { readonly kind: 'unknown'; readonly reason: string };

const JSON_TARGETS: Record<string, 'cloudwatch' | 'sfn' | 'events'> = {
  GraniteServiceVersion20100801: 'cloudwatch',
  AWSStepFunctions: 'sfn',
  AWSEvents: 'events',
};

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The service named in a SigV4 credential scope: `Credential=AKID/date/region/<service>/aws4_request`. */
export const credentialScopeService = (authorization: string | undefined): string | undefined =>
  authorization === undefined
    ? undefined
    : /Credential=[^/,]+\/[^/,]+\/[^/,]+\/([^/,]+)\/aws4_request/.exec(authorization)?.[1];

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
  if (method === 'POST') {
    return { kind: 'query', scope: credentialScopeService(header(headers, 'authorization')) };
  }
  return { kind: 'unknown', reason: `no AWS operation at ${method} ${path.slice(0, 100)}` };
};
