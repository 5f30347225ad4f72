import { rmSync } from 'node:fs';
import { HttpApiTwin } from '../../../local/apigateway';
import { TwinClock } from '../../../local/clock';
import { TwinError } from '../../../local/errors';
import { LambdaRuntime } from '../../../local/lambda/runtime';
import { loadTemplate } from '../../../local/template/load';
import { CHATOPS_ROUTES, synthChatOpsStack } from '../apigateway/chatops-stack';

/** API Gateway v2 resources as CDK's HttpApi + HttpLambdaIntegration write them, loaded by the twin. */
const OPTIONS = {
  region: 'eu-west-1',
  accountId: '123456789012',
  stackName: 'ChatOpsTwinTest',
  templateDir: '/tmp/cdk.out',
  apiEndpoint: 'http://127.0.0.1:4566',
};

let template: Record<string, unknown>;

beforeAll(() => {
  const synthesized = synthChatOpsStack();
  template = synthesized.template;
  rmSync(synthesized.outdir, { recursive: true, force: true });
}, 60_000);

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** A copy of the synthesized template with every resource of `type` changed by `change`. */
const changed = (
  type: string,
  change: (properties: Record<string, unknown>) => void,
): Record<string, unknown> => {
  const copy = structuredClone(template);
  for (const resource of Object.values(copy.Resources as Resources)) {
    if (resource.Type === type) change(resource.Properties);
  }
  return copy;
};

const loadError = (source: Record<string, unknown>): TwinError => {
  try {
    loadTemplate(source, OPTIONS);
  } catch (error) {
    if (error instanceof TwinError) return error;
    throw error;
  }
  throw new Error('expected the load to fail');
};

describe('loading an HTTP API from a synthesized template', () => {
  it('plans the API with each route integrated to the function’s ARN (payload 2.0, 30 s timeout)', () => {
    const plan = loadTemplate(template, OPTIONS);

    const chatops = plan.functions.find((fn) => fn.logicalId.startsWith('ChatOps'));
    expect(plan.httpApis).toEqual([
      {
        logicalId: expect.stringMatching(/^ChatOpsApi/),
        apiId: expect.stringMatching(/^[a-z0-9]{10}$/),
        name: 'ChatOpsApi',
        endpoint: OPTIONS.apiEndpoint,
        routes: CHATOPS_ROUTES.map((path) => ({
          routeKey: `POST ${path}`,
          functionArn: chatops?.arn,
          timeoutMs: 30_000,
        })),
      },
    ]);
  });

  it('resolves ApiEndpoint to the twin’s URL for outputs, and the worker’s Ref to the name it is invoked by', () => {
    const plan = loadTemplate(template, OPTIONS);

    const worker = plan.functions.find((fn) => fn.logicalId.startsWith('Worker'));
    const chatops = plan.functions.find((fn) => fn.logicalId.startsWith('ChatOps'));
    expect(plan.outputs).toEqual({ ChatOpsUrl: 'http://127.0.0.1:4566' });
    expect(chatops?.environment.WORKER_FUNCTION_NAME).toBe(worker?.name);
  });

  it('resolves ApiEndpoint to AWS’s execute-api URL when no twin endpoint is given', () => {
    const { apiEndpoint: _omitted, ...withoutEndpoint } = OPTIONS;

    const plan = loadTemplate(template, withoutEndpoint);

    expect(plan.outputs.ChatOpsUrl).toBe(
      `https://${plan.httpApis[0]?.apiId}.execute-api.eu-west-1.amazonaws.com`,
    );
  });

  it('accepts the stage and the invoke permissions without running them, each with its reason', () => {
    const plan = loadTemplate(template, OPTIONS);

    const ignored = plan.ignored.filter((resource) =>
      ['AWS::ApiGatewayV2::Stage', 'AWS::Lambda::Permission'].includes(resource.type),
    );
    expect(ignored.map((resource) => resource.type).sort()).toEqual([
      'AWS::ApiGatewayV2::Stage',
      ...CHATOPS_ROUTES.map(() => 'AWS::Lambda::Permission'),
    ]);
  });

  it.each([
    [
      'a WebSocket API',
      'AWS::ApiGatewayV2::Api',
      (p: Record<string, unknown>) => Object.assign(p, { ProtocolType: 'WEBSOCKET' }),
      /^UnsupportedProperty: ChatOpsApi\w+ \(AWS::ApiGatewayV2::Api\) ProtocolType WEBSOCKET/,
    ],
    [
      'a route with an authorizer',
      'AWS::ApiGatewayV2::Route',
      (p: Record<string, unknown>) => Object.assign(p, { AuthorizationType: 'JWT', AuthorizerId: 'abc' }),
      /AuthorizationType JWT; the twin has no authorizers/,
    ],
    [
      'payload format 1.0',
      'AWS::ApiGatewayV2::Integration',
      (p: Record<string, unknown>) => Object.assign(p, { PayloadFormatVersion: '1.0' }),
      /PayloadFormatVersion 1.0; the twin builds payload format 2.0 events only/,
    ],
    [
      'an HTTP proxy integration',
      'AWS::ApiGatewayV2::Integration',
      (p: Record<string, unknown>) =>
        Object.assign(p, { IntegrationType: 'HTTP_PROXY', IntegrationUri: 'https://example.com' }),
      /IntegrationType HTTP_PROXY; the twin serves Lambda proxy integrations/,
    ],
    [
      'parameter mapping',
      'AWS::ApiGatewayV2::Integration',
      (p: Record<string, unknown>) => Object.assign(p, { RequestParameters: { 'overwrite:path': '/x' } }),
      /RequestParameters; the twin does not map parameters/,
    ],
    [
      'a bad route key',
      'AWS::ApiGatewayV2::Route',
      (p: Record<string, unknown>) => Object.assign(p, { RouteKey: 'SEND /x' }),
      /^InvalidProperties: ChatOpsApi\w+ \(AWS::ApiGatewayV2::Route\): route key "SEND \/x"/,
    ],
    [
      'a route to an integration that is not there',
      'AWS::ApiGatewayV2::Route',
      (p: Record<string, unknown>) => Object.assign(p, { Target: 'integrations/missing' }),
      /Target integrations\/missing is not an integration of ChatOpsApi/,
    ],
    [
      'the same route key twice',
      'AWS::ApiGatewayV2::Route',
      (p: Record<string, unknown>) => Object.assign(p, { RouteKey: 'POST /same' }),
      /has route "POST \/same" twice/,
    ],
  ])('refuses %s, naming the resource and the property', (_what, type, change, message) => {
    const error = loadError(changed(type, change));

    expect(error.code).toBe('ValidationError');
    expect(error.message).toMatch(message);
  });
});

describe('serving HTTP APIs side by side on one endpoint', () => {
  const apis = new HttpApiTwin({
    clock: new TwinClock(),
    accountId: '123456789012',
    lambda: new LambdaRuntime(),
    log: () => undefined,
  });
  const route = (routeKey: string) => ({
    routeKey,
    functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:f',
    timeoutMs: 30_000,
  });

  it('refuses a second API that claims a route key the first serves, and replaces an API deployed again', () => {
    // Prepare
    const first = {
      logicalId: 'A',
      apiId: 'aaaaaaaaaa',
      name: 'first',
      endpoint: '',
      routes: [route('POST /webhook')],
    };

    // Act
    apis.deploy(first);
    apis.deploy({ ...first, routes: [route('POST /webhook'), route('GET /status')] });
    const clash = () =>
      apis.deploy({
        logicalId: 'B',
        apiId: 'bbbbbbbbbb',
        name: 'second',
        endpoint: '',
        routes: [route('POST /webhook')],
      });

    // Assert
    expect(clash).toThrow(/route "POST \/webhook" is already served by API first/);
    expect(apis.list()).toHaveLength(1);
    expect(apis.match('GET', '/status')?.apiId).toBe('aaaaaaaaaa');
  });
});
