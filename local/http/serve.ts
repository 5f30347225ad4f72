import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AdminAnswer } from '../admin';
import type { HttpApiTwin } from '../apigateway';
import type { TwinClock } from '../clock';
import { type Dispatcher, jsonContentType } from '../dispatch';
import { TwinError } from '../errors';
import { encodeCborError } from '../protocol/cbor';
import { encodeQueryError } from '../protocol/query';
import type { ServiceRegistry } from '../registry';
import { readBody } from './body';
import { encodeJsonError } from './json';
import { send } from './respond';
import { encodeRestJsonError, restJsonErrorHeaders } from './rest-json';
import { isAwsApiCall, type RequestRoute, routeRequest } from './route';

export interface TwinHttpOptions {
  readonly clock: TwinClock;
  readonly registry: ServiceRegistry;
  readonly dispatcher: Dispatcher;
  /** The deployed HTTP APIs (API Gateway v2), served at the same endpoint. */
  readonly apis: HttpApiTwin;
  /** The admin endpoint (/_twin/, local/admin.ts). */
  readonly admin: (
    method: string,
    url: string,
    body: Buffer,
    headers: IncomingHttpHeaders,
  ) => Promise<AdminAnswer>;
  readonly log: (line: string) => void;
}

/**
 * The twin's one HTTP endpoint: common headers (request id, the twin's Date), the deployed HTTP
 * APIs, the admin endpoint, and every AWS API through the dispatcher (local/dispatch.ts); an error
 * is answered in the protocol the request spoke, and an unexpected one is a 500 `InternalFailure`
 * that leaves the twin running.
 */
export class TwinHttpServer {
  private server: Server | undefined;

  constructor(private readonly options: TwinHttpOptions) {}

  /** Listens; answers the endpoint URL (`http://host:port`). */
  async listen(port: number, host: string): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        // handle() answers every error itself; reaching here means the response could not be written.
        this.options.log(`twin: response failed: ${error instanceof Error ? error.message : String(error)}`);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${shown}:${address.port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { apis, clock, dispatcher, registry } = this.options;
    const requestId = randomUUID();
    res.setHeader('x-amzn-RequestId', requestId);
    // The twin's clock, so clients that read the service's time (the CLI) agree with its metrics.
    res.setHeader('Date', clock.date().toUTCString());
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routeRequest(registry, method, req.url ?? '/', req.headers);
    // HTTP API routes first: their paths are the deployer's (/slack/commands), and an AWS SDK call
    // never takes one (isAwsApiCall); /_twin/ stays the admin endpoint's.
    if (route.kind !== 'admin' && !isAwsApiCall(req.headers)) {
      const match = apis.match(method, path);
      if (match !== undefined) {
        await apis.serve(req, res, match);
        return;
      }
      // With APIs deployed, an unsigned request to a path no AWS protocol uses is the API's: API
      // Gateway's 404. (`/` stays AWS's: unsigned awsQuery posts go there.)
      if (apis.serving() && path !== '/' && (route.kind === 'query' || route.kind === 'unknown')) {
        apis.notFound(res);
        return;
      }
    }
    try {
      if (route.kind === 'admin') await this.serveAdmin(req, res);
      else await dispatcher.dispatch(route, req, res, requestId);
    } catch (error) {
      const twinError = asTwinError(error);
      if (!(error instanceof TwinError)) {
        this.options.log(
          `twin: internal error on ${describeRoute(route)}: ${error instanceof Error ? error.stack : String(error)}`,
        );
      }
      if (res.headersSent) {
        res.end();
        return;
      }
      this.sendError(route, twinError, res, requestId);
    }
  }

  private async serveAdmin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const answer = await this.options.admin(req.method ?? 'GET', req.url ?? '/', body, req.headers);
    if (answer.contentType !== undefined) {
      send(res, answer.status, { 'content-type': answer.contentType }, String(answer.body));
      return;
    }
    send(res, answer.status, { 'content-type': 'application/json' }, JSON.stringify(answer.body, null, 2));
  }

  /** An error in the protocol the request spoke. */
  private sendError(route: RequestRoute, error: TwinError, res: ServerResponse, requestId: string): void {
    switch (route.kind) {
      case 'query': {
        // The service's XML namespace when the signature names the service (AWS puts it there).
        const namespace =
          route.scope === undefined
            ? ''
            : (this.options.registry.queryBySigning(route.scope)?.protocol.namespace ?? '');
        send(
          res,
          error.status,
          { 'content-type': 'text/xml' },
          encodeQueryError(error, namespace, requestId),
        );
        return;
      }
      case 'unknown':
        send(res, error.status, { 'content-type': 'application/json' }, encodeJsonError(error));
        return;
      case 'json': {
        const headers: Record<string, string> = { 'content-type': jsonContentType(route.protocol) };
        if (route.protocol.queryCompatible === true) {
          headers['x-amzn-query-error'] = `${error.code};${error.fault}`;
        }
        send(res, error.status, headers, encodeJsonError(error));
        return;
      }
      case 'admin':
        send(res, error.status, { 'content-type': 'application/x-amz-json-1.0' }, encodeJsonError(error));
        return;
      case 'rest':
        send(res, error.status, restJsonErrorHeaders(error), encodeRestJsonError(error));
        return;
      case 'cbor':
        send(
          res,
          error.status,
          {
            'content-type': 'application/cbor',
            'smithy-protocol': 'rpc-v2-cbor',
            'x-amzn-query-error': `${error.code};${error.fault}`,
          },
          encodeCborError(error),
        );
        return;
    }
  }
}

const asTwinError = (error: unknown): TwinError =>
  error instanceof TwinError
    ? error
    : new TwinError(
        'InternalFailure',
        'the twin failed to handle this request (see its log)',
        500,
        'Receiver',
      );

const describeRoute = (route: RequestRoute): string => {
  switch (route.kind) {
    case 'json':
    case 'cbor':
      return `${route.service.descriptor.name} ${route.operation}`;
    case 'rest':
      return `${route.service.descriptor.name} ${route.path.slice(0, 100)}`;
    case 'admin':
      return `admin ${route.path}`;
    case 'query':
      return `query (${route.scope ?? 'no scope'})`;
    case 'unknown':
      return 'unknown';
  }
};
