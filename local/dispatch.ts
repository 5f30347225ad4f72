import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Admission } from './admission';
import { TwinError } from './errors';
import { readBody } from './http/body';
import { decodeJsonInput, encodeJsonOutput } from './http/json';
import { send } from './http/respond';
import type { RequestRoute } from './http/route';
import { decodeCbor } from './protocol/cbor';
import { decodeQuery, encodeQueryResponse } from './protocol/query';
import type { RegisteredService, ServiceRegistry } from './registry';
import type { TwinInput, TwinService } from './service';
import type { JsonProtocol } from './services/types';

/**
 * DynamoDB takes larger requests than the twin's other APIs: BatchWriteItem up to 16 MB in total
 * (25 items of up to 400 KB each), which a plan of thousands of routes, stored in chunks, reaches.
 */
const DYNAMODB_MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/** A request for an AWS API (the admin endpoint and HTTP APIs are the HTTP server's own). */
export type AwsRoute = Exclude<RequestRoute, { readonly kind: 'admin' }>;

/**
 * Protocol → registry → admission → operation: decodes the request in its wire protocol, finds the
 * service in the registry, has the call admitted (faults, IAM, rate limits: local/admission.ts) and
 * runs the operation, writing the answer in the same protocol. Errors are thrown as TwinErrors; the
 * HTTP server encodes them for the route's protocol.
 */
export class Dispatcher {
  constructor(
    private readonly registry: ServiceRegistry,
    private readonly admission: Admission,
  ) {}

  async dispatch(
    route: AwsRoute,
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
  ): Promise<void> {
    const authorization = req.headers.authorization;
    switch (route.kind) {
      case 'json': {
        const { descriptor, binding } = route.service;
        const operation = route.operation;
        if (binding.kind === 'dynalite') {
          // IAM needs the table from the body: read it for a function's call, then replay it to
          // dynalite; any other call streams through untouched.
          let body: Buffer | undefined;
          await this.admission.admit({
            service: descriptor,
            operation,
            authorization,
            input: async () => {
              body = await readBody(req, DYNAMODB_MAX_REQUEST_BYTES);
              return jsonOrEmpty(body);
            },
          });
          const dynamodb = binding.dynamodb();
          if (dynamodb === undefined)
            throw new TwinError('ServiceUnavailable', 'DynamoDB is not running', 503);
          if (body === undefined) dynamodb.handle(req, res);
          else dynamodb.handleRead(req, body, res);
          return;
        }
        const body = await readBody(req);
        await this.admission.admit({
          service: descriptor,
          operation,
          authorization,
          input: () => jsonOrEmpty(body),
        });
        const service = tableOf(route.service);
        const codec = descriptor.codec?.awsJson;
        if (codec !== undefined) {
          const answer = await codec(service, operation, body.toString('utf8'));
          send(res, answer.status, answer.headers, answer.body);
          return;
        }
        const run = ownEntry(service.operations, operation);
        if (run === undefined)
          throw new TwinError('UnknownOperationException', `unknown operation ${operation}`);
        const output = await run(decodeJsonInput(body));
        send(res, 200, { 'content-type': jsonContentType(route.protocol) }, encodeJsonOutput(output));
        return;
      }
      case 'rest': {
        const { descriptor, binding } = route.service;
        const body = await readBody(req, route.protocol.maxRequestBytes);
        await this.admission.admit({
          service: descriptor,
          operation: route.protocol.operation,
          authorization,
          // What IAM needs of a REST call is in its path (local/iam/resources.ts).
          input: () => ({ path: req.url ?? '/' }),
        });
        if (binding.kind !== 'rest') throw new Error(`${descriptor.name} has no REST API`);
        const answer = await binding.api.handle(req.method ?? 'GET', req.url ?? '/', headerTexts(req), body);
        send(res, answer.status, { ...answer.headers }, answer.body);
        return;
      }
      case 'cbor': {
        const { descriptor } = route.service;
        const body = await readBody(req);
        await this.admission.admit({
          service: descriptor,
          operation: route.operation,
          authorization,
          input: () => cborOrEmpty(body),
        });
        const codec = descriptor.codec?.rpcv2Cbor;
        if (codec === undefined) throw new Error(`${descriptor.name} has no RPC v2 CBOR codec`);
        const answer = await codec(tableOf(route.service), route.operation, body);
        send(res, answer.status, answer.headers, answer.body);
        return;
      }
      case 'query': {
        const body = await readBody(req);
        const decoded = decodeQuery(body.toString('utf8'));
        const match = this.registry.query(route.scope, decoded.version);
        if (match === undefined) {
          throw new TwinError(
            'InvalidAction',
            `no service here answers Action=${decoded.action} Version=${decoded.version}`,
          );
        }
        const { descriptor } = match.service;
        const service = tableOf(match.service);
        const admit = () =>
          this.admission.admit({
            service: descriptor,
            operation: decoded.action,
            authorization,
            input: () => decoded.input,
          });
        const codec = descriptor.codec?.awsQuery;
        if (codec !== undefined) {
          // The service checks the version and the operation itself.
          await admit();
          const answer = await codec(service, decoded);
          send(res, answer.status, answer.headers, answer.body);
          return;
        }
        if (decoded.version !== match.protocol.version) {
          throw new TwinError(
            'InvalidAction',
            `Could not find operation ${decoded.action} for version ${decoded.version || '(none)'}`,
          );
        }
        const run = ownEntry(service.operations, decoded.action);
        if (run === undefined) {
          throw new TwinError(
            'InvalidAction',
            `Could not find operation ${decoded.action} for version ${decoded.version}`,
          );
        }
        await admit();
        const output = await run(decoded.input);
        send(
          res,
          200,
          { 'content-type': 'text/xml' },
          encodeQueryResponse(decoded.action, match.protocol.namespace, output, requestId),
        );
        return;
      }
      case 'unknown':
        throw new TwinError('UnknownOperationException', route.reason, 400);
    }
  }
}

/** The operations table a service is bound to (every protocol but dynalite's and REST's runs one). */
const tableOf = ({ descriptor, binding }: RegisteredService): TwinService => {
  if (binding.kind !== 'operations') throw new Error(`${descriptor.name} has no operations table`);
  return binding.service;
};

/**
 * `record[key]` only for the record's own keys: operation names come from the request, and
 * `toString` or `__proto__` must not find Object.prototype's members.
 */
const ownEntry = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

export const jsonContentType = (protocol: JsonProtocol): string =>
  protocol.kind === 'awsJson1_1' ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0';

/**
 * A request body as IAM reads it to find the resources: a body the service itself will refuse as
 * malformed is authorized as having none (the service's own error follows).
 */
const jsonOrEmpty = (body: Buffer): TwinInput => {
  try {
    return decodeJsonInput(body);
  } catch {
    return {};
  }
};

const cborOrEmpty = (body: Buffer): TwinInput => {
  try {
    return decodeCbor(body);
  } catch {
    return {};
  }
};

/** The request's headers, one text each (the first of a repeated one). */
const headerTexts = (req: IncomingMessage): Record<string, string | undefined> =>
  Object.fromEntries(
    Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value[0] : value]),
  );
