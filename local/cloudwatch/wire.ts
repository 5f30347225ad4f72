import { randomUUID } from 'node:crypto';
import { TwinError } from '../errors';
import { decodeCbor, encodeCbor, encodeCborError } from '../protocol/cbor';
import { encodeQueryError, encodeQueryResponse, type QueryRequest } from '../protocol/query';
import type { TwinInput, TwinService } from '../service';
import { toJsonOutput } from './json';

/**
 * CloudWatch's three wire protocols around one TwinService, for the router:
 * - awsJson1_0, query-compatible (current JS SDK): body JSON, errors `{__type, message}` plus
 *   `x-amzn-query-error: Code;Sender|Receiver`, from which the SDK takes the error's name;
 * - Smithy RPC v2 CBOR (newest SDKs): the same with CBOR bodies and the `smithy-protocol` header;
 * - awsQuery (older SDKs, AWS CLI v2): form in, XML out.
 * Each returns status, headers and body; the router only writes them out.
 */
export interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array;
}

export const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801';
export const CLOUDWATCH_QUERY_VERSION = '2010-08-01';
export const CLOUDWATCH_XML_NAMESPACE = 'http://monitoring.amazonaws.com/doc/2010-08-01/';

/** Query error code → the error shape's name in CloudWatch's model, as AWS puts it in `__type`. */
const SHAPE_BY_CODE: Readonly<Record<string, string>> = {
  ValidationError: 'ValidationException',
  InvalidParameterValue: 'InvalidParameterValueException',
  InvalidParameterCombination: 'InvalidParameterCombinationException',
  MissingParameter: 'MissingRequiredParameterException',
  InvalidFormat: 'InvalidFormatFault',
  LimitExceeded: 'LimitExceededFault',
  InternalServiceError: 'InternalServiceFault',
  ResourceNotFound: 'ResourceNotFound',
  InvalidNextToken: 'InvalidNextToken',
};

const errorType = (error: TwinError): string => {
  const shape = SHAPE_BY_CODE[error.code];
  return shape === undefined ? error.code : `com.amazonaws.cloudwatch#${shape}`;
};

/** Anything that is not a TwinError is the twin's own fault: a 500 without internals. */
const asTwinError = (error: unknown): TwinError =>
  error instanceof TwinError
    ? error
    : new TwinError(
        'InternalServiceError',
        `the local twin failed: ${error instanceof Error ? error.message : String(error)}`,
        500,
        'Receiver',
      );

const run = async (service: TwinService, operation: string, input: () => TwinInput, unknownCode: string) => {
  const handler = Object.hasOwn(service.operations, operation) ? service.operations[operation] : undefined;
  if (handler === undefined)
    throw new TwinError(
      unknownCode,
      `The action or operation ${operation} is not valid for CloudWatch in the local twin.`,
    );
  return await handler(input());
};

const rpcError = (
  error: TwinError,
  headers: Record<string, string>,
  body: string | Uint8Array,
): WireResponse => ({
  status: error.status,
  headers: { ...headers, 'x-amzn-query-error': `${error.code};${error.fault}` },
  body,
});

const JSON_HEADERS = { 'content-type': 'application/x-amz-json-1.0' };

const parseJsonBody = (bodyText: string): TwinInput => {
  if (bodyText.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch (error) {
    throw new TwinError(
      'SerializationException',
      `request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new TwinError('SerializationException', 'request body must be a JSON object');
  return parsed as TwinInput;
};

/** awsJson1_0: `operation` is what follows `GraniteServiceVersion20100801.` in X-Amz-Target. */
export const handleCloudWatchJson = async (
  service: TwinService,
  operation: string,
  bodyText: string,
): Promise<WireResponse> => {
  const headers = { ...JSON_HEADERS, 'x-amzn-requestid': randomUUID() };
  try {
    const result = await run(service, operation, () => parseJsonBody(bodyText), 'UnknownOperationException');
    return { status: 200, headers, body: JSON.stringify(toJsonOutput(result ?? {})) };
  } catch (thrown) {
    const error = asTwinError(thrown);
    return rpcError(error, headers, JSON.stringify({ __type: errorType(error), message: error.message }));
  }
};

const CBOR_HEADERS = { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' };

/** Smithy RPC v2 CBOR: `operation` is the last segment of `/service/GraniteServiceVersion20100801/operation/<Op>`. */
export const handleCloudWatchCbor = async (
  service: TwinService,
  operation: string,
  body: Uint8Array,
): Promise<WireResponse> => {
  const headers = { ...CBOR_HEADERS, 'x-amzn-requestid': randomUUID() };
  try {
    const result = await run(service, operation, () => decodeCbor(body), 'UnknownOperationException');
    return { status: 200, headers, body: encodeCbor(result ?? {}) };
  } catch (thrown) {
    const error = asTwinError(thrown);
    return rpcError(error, headers, encodeCborError(error, errorType(error)));
  }
};

const XML_HEADERS = { 'content-type': 'text/xml' };

/** awsQuery: the request as local/protocol/query.ts decoded it. */
export const handleCloudWatchQuery = async (
  service: TwinService,
  request: QueryRequest,
): Promise<WireResponse> => {
  const requestId = randomUUID();
  const headers = { ...XML_HEADERS, 'x-amzn-requestid': requestId };
  try {
    if (request.version !== '' && request.version !== CLOUDWATCH_QUERY_VERSION)
      throw new TwinError(
        'InvalidAction',
        `Version ${request.version} of CloudWatch is not known; this twin speaks ${CLOUDWATCH_QUERY_VERSION}.`,
      );
    const result = await run(service, request.action, () => request.input, 'InvalidAction');
    return {
      status: 200,
      headers,
      body: encodeQueryResponse(request.action, CLOUDWATCH_XML_NAMESPACE, result ?? {}, requestId),
    };
  } catch (thrown) {
    const error = asTwinError(thrown);
    return {
      status: error.status,
      headers,
      body: encodeQueryError(error, CLOUDWATCH_XML_NAMESPACE, requestId),
    };
  }
};
