import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TwinClock } from '../clock';
import { TwinError } from '../errors';
import { readBody } from '../http/body';
import { LambdaInvokeError } from '../lambda/errors';
import type { LambdaRuntime } from '../lambda/runtime';
import type { HttpApiPlan, HttpRoutePlan } from '../template/plan';
import { buildApiEvent } from './event';
import {
  type ApiAnswer,
  INTERNAL_SERVER_ERROR,
  MalformedResponseError,
  mapResult,
  NOT_FOUND,
  REQUEST_TOO_LARGE,
  SERVICE_UNAVAILABLE,
} from './response';
import { compareMatches, matchRoute, parseRouteKey, type RouteKey, type RouteMatch } from './route-key';

/**
 * API Gateway v2 HTTP APIs on the twin: the routes of every deployed API, served at the twin's own
 * endpoint (one host for every API, as if each had the twin as its custom domain, `$default` stage),
 * each request handed to its Lambda integration as a payload 2.0 event and the result mapped back.
 *
 * Request bodies are capped at 1 MB (API Gateway allows 10 MB; a chat webhook sends a few KB and the
 * twin keeps a body in memory).
 */
export const MAX_API_BODY_BYTES = 1024 * 1024;

export interface HttpApiTwinOptions {
  readonly clock: TwinClock;
  readonly accountId: string;
  readonly lambda: LambdaRuntime;
  /** Why a request got a 5xx (the function's error, a malformed result); one line each. */
  readonly log: (line: string) => void;
}

interface DeployedRoute {
  readonly key: RouteKey;
  readonly plan: HttpRoutePlan;
}

interface DeployedApi {
  readonly plan: HttpApiPlan;
  readonly routes: readonly DeployedRoute[];
}

export interface ApiRouteMatch {
  readonly apiId: string;
  readonly route: HttpRoutePlan;
  readonly pathParameters: Readonly<Record<string, string>>;
}

export interface HttpApiSummary {
  readonly apiId: string;
  readonly name: string;
  readonly endpoint: string;
  readonly routes: readonly { readonly routeKey: string; readonly functionArn: string }[];
}

export class HttpApiTwin {
  private readonly apis = new Map<string, DeployedApi>();

  constructor(private readonly options: HttpApiTwinOptions) {}

  /**
   * Serves an API's routes, replacing an earlier deployment of the same API. All APIs share the
   * twin's one endpoint, so a route key another API already serves is refused, naming both.
   */
  deploy(plan: HttpApiPlan): void {
    const routes = plan.routes.map((route) => ({ key: parseRouteKey(route.routeKey), plan: route }));
    for (const other of this.apis.values()) {
      if (other.plan.apiId === plan.apiId) continue;
      const clash = other.plan.routes.find((route) =>
        plan.routes.some((mine) => mine.routeKey === route.routeKey),
      );
      if (clash !== undefined) {
        throw new TwinError(
          'ConflictException',
          `HTTP API ${plan.name} (${plan.logicalId}): route "${clash.routeKey}" is already served by API ` +
            `${other.plan.name} (${other.plan.apiId}); on the twin every API shares one endpoint`,
          409,
        );
      }
    }
    this.apis.set(plan.apiId, { plan, routes });
  }

  list(): HttpApiSummary[] {
    return [...this.apis.values()].map(({ plan }) => ({
      apiId: plan.apiId,
      name: plan.name,
      endpoint: plan.endpoint,
      routes: plan.routes.map(({ routeKey, functionArn }) => ({ routeKey, functionArn })),
    }));
  }

  /** Whether any API is deployed. */
  serving(): boolean {
    return this.apis.size > 0;
  }

  /** API Gateway's answer to a request no route matches. */
  notFound(res: ServerResponse): void {
    const requestId = randomBytes(11).toString('base64');
    write(res, NOT_FOUND, requestId);
  }

  /** The route a request goes to: the most specific path route, else a `$default` route. */
  match(method: string, path: string): ApiRouteMatch | undefined {
    let best: { apiId: string; route: HttpRoutePlan; match: RouteMatch } | undefined;
    let fallback: ApiRouteMatch | undefined;
    for (const api of this.apis.values()) {
      for (const route of api.routes) {
        if (route.key.kind === 'default') {
          fallback ??= { apiId: api.plan.apiId, route: route.plan, pathParameters: {} };
          continue;
        }
        const match = matchRoute(route.key, method, path);
        if (match !== undefined && (best === undefined || compareMatches(match, best.match) < 0)) {
          best = { apiId: api.plan.apiId, route: route.plan, match };
        }
      }
    }
    if (best !== undefined)
      return { apiId: best.apiId, route: best.route, pathParameters: best.match.pathParameters };
    return fallback;
  }

  /** Answers one request on a matched route; never throws (every failure is API Gateway's fixed answer). */
  async serve(req: IncomingMessage, res: ServerResponse, match: ApiRouteMatch): Promise<void> {
    // HTTP APIs' request ids look like this: 16 characters of base64.
    const requestId = randomBytes(11).toString('base64');
    write(res, await this.answer(req, match, requestId), requestId);
  }

  private async answer(req: IncomingMessage, match: ApiRouteMatch, requestId: string): Promise<ApiAnswer> {
    const { route } = match;
    let signal: AbortSignal | undefined;
    try {
      const body = await readBody(req, MAX_API_BODY_BYTES);
      const event = buildApiEvent(
        {
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          rawHeaders: req.rawHeaders,
          body,
          sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
          httpVersion: req.httpVersion,
          localPort: req.socket.localPort ?? 0,
        },
        {
          accountId: this.options.accountId,
          apiId: match.apiId,
          routeKey: route.routeKey,
          requestId,
          now: this.options.clock.now(),
          pathParameters: match.pathParameters,
        },
      );
      // The integration timeout counts from the call to the function, not from reading the body.
      signal = AbortSignal.timeout(route.timeoutMs);
      return mapResult(await this.options.lambda.invoke(route.functionArn, event, { signal }));
    } catch (error) {
      if (error instanceof TwinError && error.status === 413) return REQUEST_TOO_LARGE;
      const where = `HTTP API ${match.apiId} ${route.routeKey}`;
      if (signal?.aborted) {
        this.options.log(`twin: ${where}: the integration did not answer within ${route.timeoutMs} ms`);
        return SERVICE_UNAVAILABLE;
      }
      this.options.log(`twin: ${where}: ${describeFailure(error)}`);
      return INTERNAL_SERVER_ERROR;
    }
  }
}

const write = (res: ServerResponse, answer: ApiAnswer, requestId: string): void => {
  res.writeHead(answer.status, {
    ...answer.headers,
    'apigw-requestid': requestId,
    'content-length': answer.body.length,
  });
  res.end(answer.body);
};

const describeFailure = (error: unknown): string => {
  if (error instanceof LambdaInvokeError)
    return `the function failed: ${error.errorType}: ${error.errorMessage}`;
  if (error instanceof MalformedResponseError) return `malformed Lambda response: ${error.message}`;
  if (error instanceof TwinError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
};
