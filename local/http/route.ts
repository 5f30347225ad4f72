import type { IncomingHttpHeaders } from 'node:http';
import type { ProtocolMatch, ServiceRegistry } from '../registry';
import type { CborProtocol, JsonProtocol, RestProtocol } from '../services/types';

/**
 * Which protocol and service a request speaks, from its headers and path alone (the body is read
 * after, so DynamoDB requests can be handed to dynalite untouched). The services and their
 * protocols are the registry's (local/registry.ts, local/services/).
 */
export type RequestRoute =
  | { readonly kind: 'admin'; readonly path: string }
  | ({ readonly kind: 'json'; readonly operation: string } & ProtocolMatch<JsonProtocol>)
  | ({ readonly kind: 'rest'; readonly path: string } & ProtocolMatch<RestProtocol>)
  | ({ readonly kind: 'cbor'; readonly operation: string } & ProtocolMatch<CborProtocol>)
  | { readonly kind: 'query'; readonly scope: string | undefined }
  | { readonly kind: 'unknown'; readonly reason: string };

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

export const routeRequest = (
  registry: ServiceRegistry,
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
): RequestRoute => {
  const path = url.split('?')[0] ?? '/';
  if (path.startsWith('/_twin/') || path === '/_twin') return { kind: 'admin', path };
  const target = header(headers, 'x-amz-target');
  if (target !== undefined) {
    const [prefix, operation] = target.split('.', 2);
    // The registry's maps: `toString.X` finds nothing.
    const match = prefix === undefined ? undefined : registry.json(prefix);
    if (match !== undefined && operation) return { kind: 'json', ...match, operation };
    return { kind: 'unknown', reason: `unknown X-Amz-Target ${target.slice(0, 100)}` };
  }
  if (header(headers, 'smithy-protocol') === 'rpc-v2-cbor') {
    const parts = /^\/service\/([^/]+)\/operation\/([^/]+)$/.exec(path);
    const match = parts?.[1] === undefined ? undefined : registry.cbor(parts[1]);
    if (match !== undefined && parts?.[2]) return { kind: 'cbor', ...match, operation: parts[2] };
    return { kind: 'unknown', reason: `unknown RPC v2 CBOR service path ${path.slice(0, 100)}` };
  }
  const scope = credentialScopeService(header(headers, 'authorization'));
  const rest = registry.rest(scope, path);
  if (rest !== undefined) return { kind: 'rest', ...rest, path };
  if (method === 'POST') {
    return { kind: 'query', scope };
  }
  return { kind: 'unknown', reason: `no AWS operation at ${method} ${path.slice(0, 100)}` };
};
