import { InvalidRouteKeyError, parseRouteKey } from '../apigateway/route-key';
import { templateError } from './errors';
import type { Json } from './intrinsics';
import type { HttpApiPlan } from './plan';
import {
  httpApiProperties,
  httpIntegrationProperties,
  httpRouteProperties,
  parseProperties,
} from './properties';
import type { ResourceKind, StackEnvironment } from './resource-types';

/**
 * API Gateway v2 resources → the HTTP APIs the twin serves. An API is assembled from three resource
 * types that point at each other by id (Route → `integrations/<IntegrationId>`, both → ApiId), so the
 * collector takes them in any order and joins them at the end. What the twin would serve differently
 * from API Gateway fails the load naming the resource: WebSocket APIs, OpenAPI bodies, integrations
 * other than Lambda proxy with payload 2.0, parameter mapping, and authorizers (the twin would let
 * every caller through).
 */
const DEFAULT_TIMEOUT_MS = 30_000;

interface ApiDraft {
  readonly logicalId: string;
  readonly apiId: string;
  readonly name: string;
  readonly endpoint: string;
}

interface IntegrationDraft {
  readonly logicalId: string;
  readonly id: string;
  readonly apiId: string;
  readonly functionArn: string;
  readonly timeoutMs: number;
}

interface RouteDraft {
  readonly logicalId: string;
  readonly apiId: string;
  readonly routeKey: string;
  readonly integrationId: string;
}

const FUNCTION_ARN = /^arn:[^:]+:lambda:[^:]+:[0-9]{12}:function:[^:/]+(:[^:/]+)?$/;
const INVOCATION_URI = /^arn:[^:]+:apigateway:[^:]+:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/;

/** The function an IntegrationUri names: its ARN, or API Gateway's invocation URI around it. */
const functionArnOf = (uri: string | undefined): string | undefined => {
  if (uri === undefined) return undefined;
  const inner = INVOCATION_URI.exec(uri)?.[1] ?? uri;
  return FUNCTION_ARN.test(inner) ? inner : undefined;
};

export class HttpApiCollector {
  private readonly apis: ApiDraft[] = [];
  private readonly integrations: IntegrationDraft[] = [];
  private readonly routes: RouteDraft[] = [];

  addApi(
    logicalId: string,
    type: string,
    name: string,
    properties: Json,
    env: StackEnvironment,
    kind: ResourceKind,
  ) {
    const where = `${logicalId} (${type})`;
    const props = parseProperties(httpApiProperties, properties, logicalId, type);
    if (props.ProtocolType !== 'HTTP') {
      throw templateError(
        'UnsupportedProperty',
        `${where} ProtocolType ${props.ProtocolType ?? '(none)'}; the twin serves HTTP APIs only`,
      );
    }
    for (const property of ['Body', 'BodyS3Location', 'Target', 'RouteKey'] as const) {
      if (props[property] !== undefined) {
        throw templateError(
          'UnsupportedProperty',
          `${where} ${property}; the twin builds an API from its Route and Integration resources only`,
        );
      }
    }
    this.apis.push({
      logicalId,
      apiId: kind.ref(name, env),
      name: props.Name ?? logicalId,
      endpoint: kind.attributes.ApiEndpoint?.(name, env) ?? '',
    });
  }

  addIntegration(
    logicalId: string,
    type: string,
    name: string,
    properties: Json,
    env: StackEnvironment,
    kind: ResourceKind,
  ) {
    const where = `${logicalId} (${type})`;
    const props = parseProperties(httpIntegrationProperties, properties, logicalId, type);
    if (props.IntegrationType !== 'AWS_PROXY' || props.IntegrationSubtype !== undefined) {
      throw templateError(
        'UnsupportedProperty',
        `${where} IntegrationType ${props.IntegrationType}${props.IntegrationSubtype ? ` (${props.IntegrationSubtype})` : ''}; ` +
          'the twin serves Lambda proxy integrations (AWS_PROXY) only',
      );
    }
    const functionArn = functionArnOf(props.IntegrationUri);
    if (functionArn === undefined) {
      throw templateError(
        'UnsupportedProperty',
        `${where} IntegrationUri ${props.IntegrationUri ?? '(none)'}; the twin integrates Lambda functions by ARN only`,
      );
    }
    if (props.PayloadFormatVersion !== '2.0') {
      throw templateError(
        'UnsupportedProperty',
        `${where} PayloadFormatVersion ${props.PayloadFormatVersion ?? '(none)'}; the twin builds payload format 2.0 events only`,
      );
    }
    for (const property of ['RequestParameters', 'RequestTemplates', 'ResponseParameters'] as const) {
      if (props[property] !== undefined) {
        throw templateError('UnsupportedProperty', `${where} ${property}; the twin does not map parameters`);
      }
    }
    const timeoutMs = props.TimeoutInMillis ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 50 || timeoutMs > DEFAULT_TIMEOUT_MS) {
      throw templateError('InvalidProperties', `${where} TimeoutInMillis must be 50–30000, got ${timeoutMs}`);
    }
    this.integrations.push({
      logicalId,
      id: kind.ref(name, env),
      apiId: props.ApiId,
      functionArn,
      timeoutMs,
    });
  }

  addRoute(logicalId: string, type: string, properties: Json) {
    const where = `${logicalId} (${type})`;
    const props = parseProperties(httpRouteProperties, properties, logicalId, type);
    if ((props.AuthorizationType ?? 'NONE') !== 'NONE' || props.AuthorizerId !== undefined) {
      throw templateError(
        'UnsupportedProperty',
        `${where} AuthorizationType ${props.AuthorizationType}; the twin has no authorizers, and serving the ` +
          'route without one would let every caller through',
      );
    }
    try {
      parseRouteKey(props.RouteKey);
    } catch (error) {
      if (error instanceof InvalidRouteKeyError)
        throw templateError('InvalidProperties', `${where}: ${error.message}`);
      throw error;
    }
    const integrationId = /^integrations\/([^/]+)$/.exec(props.Target ?? '')?.[1];
    if (integrationId === undefined) {
      throw templateError(
        'InvalidProperties',
        `${where} Target ${props.Target ?? '(none)'}; the twin serves routes whose Target is integrations/<IntegrationId>`,
      );
    }
    this.routes.push({ logicalId, apiId: props.ApiId, routeKey: props.RouteKey, integrationId });
  }

  /** Joins routes to their integrations and APIs; a dangling id fails naming the resource. */
  plans(): HttpApiPlan[] {
    const apiIds = new Set(this.apis.map((api) => api.apiId));
    for (const draft of [...this.integrations, ...this.routes]) {
      if (!apiIds.has(draft.apiId)) {
        throw templateError(
          'InvalidProperties',
          `${draft.logicalId}: ApiId ${draft.apiId} is not an HTTP API of this template`,
        );
      }
    }
    return this.apis.map((api) => {
      const routes = this.routes.filter((route) => route.apiId === api.apiId);
      const seen = new Set<string>();
      return {
        ...api,
        routes: routes.map((route) => {
          if (seen.has(route.routeKey)) {
            throw templateError(
              'InvalidProperties',
              `${route.logicalId}: ${api.logicalId} has route "${route.routeKey}" twice`,
            );
          }
          seen.add(route.routeKey);
          const integration = this.integrations.find(
            (candidate) => candidate.id === route.integrationId && candidate.apiId === api.apiId,
          );
          if (integration === undefined) {
            throw templateError(
              'InvalidProperties',
              `${route.logicalId}: Target integrations/${route.integrationId} is not an integration of ${api.logicalId}`,
            );
          }
          return {
            routeKey: route.routeKey,
            functionArn: integration.functionArn,
            timeoutMs: integration.timeoutMs,
          };
        }),
      };
    });
  }
}
