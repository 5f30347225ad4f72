import { TwinError } from '../errors';
import type { TwinInput } from '../service';

/**
 * The awsQuery protocol (ELBv2, and CloudWatch for older SDKs and the AWS CLI): a form-encoded POST
 * in, XML out. Written by hand: no maintained library speaks the server side of it.
 *
 * Decoding is shape-blind: `X.member.N` becomes an array (ordered by N), `X.entry.N.key/value`
 * a map, anything else nested objects; every scalar stays a string.
 */
export interface QueryRequest {
  readonly action: string;
  readonly version: string;
  readonly input: TwinInput;
}

type Tree = { [key: string]: Tree | string };

const MAX_PARAMS = 10_000;
const MAX_DEPTH = 32;

export const decodeQuery = (body: string): QueryRequest => {
  const params = new URLSearchParams(body);
  const root: Tree = {};
  let count = 0;
  let action: string | undefined;
  let version: string | undefined;
  for (const [key, value] of params) {
    if (++count > MAX_PARAMS)
      throw new TwinError('ValidationError', `too many parameters (over ${MAX_PARAMS})`);
    if (key === 'Action') {
      action = value;
      continue;
    }
    if (key === 'Version') {
      version = value;
      continue;
    }
    const path = key.split('.');
    if (path.length > MAX_DEPTH || path.some((segment) => segment === '')) {
      throw new TwinError('MalformedQueryString', `malformed parameter name: ${key.slice(0, 200)}`, 400);
    }
    let node = root;
    for (const [index, segment] of path.entries()) {
      if (segment === '__proto__' || segment === 'constructor' || segment === 'prototype') {
        throw new TwinError('MalformedQueryString', `malformed parameter name: ${key.slice(0, 200)}`, 400);
      }
      const last = index === path.length - 1;
      const existing = node[segment];
      if (last) {
        if (typeof existing === 'object') {
          throw new TwinError(
            'MalformedQueryString',
            `parameter ${key} is both a value and a structure`,
            400,
          );
        }
        node[segment] = value;
      } else {
        if (typeof existing === 'string') {
          throw new TwinError(
            'MalformedQueryString',
            `parameter ${key} is both a value and a structure`,
            400,
          );
        }
        const child: Tree = existing ?? {};
        node[segment] = child;
        node = child;
      }
    }
  }
  if (action === undefined || action === '') {
    throw new TwinError('MissingAction', 'the request must contain the parameter Action', 400);
  }
  return { action, version: version ?? '', input: normalise(root) as TwinInput };
};

const isIndex = (key: string): boolean => /^[1-9][0-9]{0,5}$/.test(key);

const byIndex = (tree: Tree): Array<Tree | string> =>
  Object.keys(tree)
    .map((key) => {
      if (!isIndex(key))
        throw new TwinError('MalformedQueryString', `list index must be a positive number: ${key}`);
      return Number(key);
    })
    .sort((a, b) => a - b)
    .map((index) => tree[String(index)] as Tree | string);

const normalise = (node: Tree | string): unknown => {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === 'member' && typeof node.member === 'object') {
    return byIndex(node.member).map(normalise);
  }
  if (keys.length === 1 && keys[0] === 'entry' && typeof node.entry === 'object') {
    const map: Record<string, unknown> = {};
    for (const entry of byIndex(node.entry)) {
      if (typeof entry !== 'object' || typeof entry.key !== 'string') {
        throw new TwinError('MalformedQueryString', 'a map entry needs a key');
      }
      map[entry.key] = entry.value === undefined ? '' : normalise(entry.value);
    }
    return map;
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = normalise(node[key] as Tree | string);
  return out;
};

const escapeXml = (text: string): string =>
  text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );

/**
 * Plain value → XML elements: arrays as `<member>` items, a `Map` as `<entry><key/><value/></entry>`
 * items (awsQuery's map shape, e.g. AuthenticationRequestExtraParams), Dates as ISO 8601, undefined
 * omitted.
 */
export const toXml = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map) {
    return [...value.entries()]
      .map(
        ([key, item]) => `<entry><key>${escapeXml(String(key))}</key><value>${toXml(item)}</value></entry>`,
      )
      .join('');
  }
  if (Array.isArray(value)) return value.map((item) => `<member>${toXml(item)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, child]) => child !== undefined && child !== null)
      .map(([key, child]) => `<${key}>${toXml(child)}</${key}>`)
      .join('');
  }
  return escapeXml(String(value));
};

export const encodeQueryResponse = (
  action: string,
  namespace: string,
  result: unknown,
  requestId: string,
): string =>
  `<${action}Response xmlns="${namespace}"><${action}Result>${toXml(result)}</${action}Result>` +
  `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;

export const encodeQueryError = (error: TwinError, namespace: string, requestId: string): string =>
  `<ErrorResponse xmlns="${namespace}"><Error><Type>${error.fault}</Type><Code>${escapeXml(error.code)}</Code>` +
  `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
