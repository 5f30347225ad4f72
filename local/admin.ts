import type { IncomingHttpHeaders } from 'node:http';
import * as z from 'zod/mini';
import { TwinError } from './errors';
import { TWIN_SERVICES } from './faults';
import { applyAlarmChange, applyClusterHealth, parseScenario, runScenario } from './scenario';
import type { Twin } from './server';
import { SINK_NAME } from './slack-sink';

/**
 * The twin's own endpoint, under /_twin/: what tests, scenarios and the demo use to look inside
 * and to break things. JSON in, JSON out. The routes are a table (ADMIN_ROUTES below): method, path
 * pattern, the body's schema, the handler.
 *
 *   GET    /_twin/health                 endpoint, time scale, twin time
 *   GET    /_twin/state                  routes and weights, target health, alarms, executions, faults
 *   GET    /_twin/traffic                requests per second per cluster and route, now
 *   GET    /_twin/events                 recent EventBridge events, deliveries, dead letters, rules
 *   GET    /_twin/notifications          messages published to SNS topics, oldest first
 *   GET    /_twin/apis                   HTTP APIs served, with their routes and functions
 *   GET    /_twin/lambda                 functions, recent invocations, asynchronous invocations
 *   POST   /_twin/slack/<name>           Slack stand-in (incoming webhook, response_url): answers `ok`
 *   GET    /_twin/slack[/<name>]         messages posted to the Slack stand-in, by sink / of one sink
 *   DELETE /_twin/slack[/<name>]         forget them
 *   GET    /_twin/limits                 ELBv2's API buckets (tokens, admitted, throttled) and the
 *                                        simulated Load Balancer Controllers' calls
 *   GET    /_twin/faults                 active faults and counts
 *   POST   /_twin/faults                 add a fault { service, operation?, latencyMs?, throttleRate?, … }
 *   DELETE /_twin/faults[?service=elbv2] clear faults
 *   POST   /_twin/clusters/<name>/health { healthy, targets?, errorRate? }
 *   POST   /_twin/alarms/<name>          { state, reason? } (creates the alarm if missing)
 *   POST   /_twin/clock/advance          { seconds }
 *   POST   /_twin/scenario               a scenario (see local/scenario.ts); starts playing it
 */
export interface AdminContext {
  readonly twin: Twin;
  /** Aborted when the twin closes: scenarios started here stop with it. */
  readonly scenarioSignal: AbortSignal;
}

export interface AdminAnswer {
  readonly status: number;
  /** Sent as JSON, unless `contentType` is given: then it is the text sent as is. */
  readonly body: unknown;
  readonly contentType?: string;
}

/** What a route's handler gets: the twin, the path's parameters, the query, the body (parsed and checked). */
export interface AdminRequest<B> extends AdminContext {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: B;
  readonly rawBody: Buffer;
  readonly headers: Readonly<IncomingHttpHeaders>;
}

/** A path parameter's rule: a value that breaks it is a 400 naming the rule, whatever the method. */
export interface ParamRule {
  readonly pattern: RegExp;
  readonly message: string;
}

export interface AdminRoute<B> {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Segments after /_twin, `:name` for a parameter, `:name?` for an optional last one. */
  readonly path: string;
  readonly params?: Readonly<Record<string, ParamRule>>;
  /**
   * The body: a zod schema and what the body is called in its errors (`<what>: <field>: <problem>`);
   * `json` for any JSON, checked by the handler; omitted, the body is not read.
   */
  readonly body?: { readonly schema: z.ZodMiniType<B>; readonly what: string } | 'json';
  readonly handle: (request: AdminRequest<B>) => AdminAnswer;
}

/** One route, its body's type inferred from its schema. */
const route = <B = unknown>(definition: AdminRoute<B>): AdminRoute<unknown> =>
  definition as unknown as AdminRoute<unknown>;

const parseJson = (body: Buffer): unknown => {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new TwinError('SerializationException', 'the request body is not valid JSON');
  }
};

const check = <T>(schema: z.ZodMiniType<T>, value: unknown, what: string): T => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TwinError(
      'ValidationError',
      `${what}: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
};

const limitsOf = (twin: Twin) => ({
  enabled: twin.throttle.enabled,
  elbv2: twin.throttle.stats(),
  lbControllers: twin.lbControllerStats(),
});

const faultsOf = (twin: Twin) => ({ active: twin.faults.list(), counts: twin.faults.stats() });

const ALARM_STATE = z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

const contentTypeOf = (headers: Readonly<IncomingHttpHeaders>): string => {
  const value = headers['content-type'];
  return (Array.isArray(value) ? value[0] : value) ?? '';
};

const SLACK_SINK: Readonly<Record<string, ParamRule>> = {
  sink: {
    pattern: SINK_NAME,
    message: 'a Slack sink name is 1–64 letters, digits, dots, dashes or underscores',
  },
};

const ok = (body: unknown): AdminAnswer => ({ status: 200, body });

export const ADMIN_ROUTES: readonly AdminRoute<unknown>[] = [
  route({
    method: 'GET',
    path: '/health',
    handle: ({ twin }) =>
      ok({
        ok: true,
        endpoint: twin.endpoint,
        region: twin.region,
        accountId: twin.accountId,
        timeScale: twin.clock.timeScale,
        now: twin.clock.date().toISOString(),
      }),
  }),
  route({
    method: 'GET',
    path: '/state',
    handle: ({ twin }) =>
      ok({
        now: twin.clock.date().toISOString(),
        routes: twin.elbv2.routes(),
        targetGroups: twin.elbv2.targetGroups(),
        alarms: twin.cloudwatch.alarms(),
        executions: twin.sfn.executions(),
        stacks: twin.cloudformation.list(),
        httpApis: twin.apis.list(),
        faults: faultsOf(twin),
        limits: limitsOf(twin),
      }),
  }),
  route({ method: 'GET', path: '/limits', handle: ({ twin }) => ok(limitsOf(twin)) }),
  route({
    method: 'GET',
    path: '/notifications',
    handle: ({ twin }) => ok({ messages: twin.sns.messages() }),
  }),
  route({ method: 'GET', path: '/apis', handle: ({ twin }) => ok({ apis: twin.apis.list() }) }),
  route({
    method: 'GET',
    path: '/lambda',
    handle: ({ twin }) =>
      ok({
        functions: twin.lambda.list().map(({ name, arn, logicalId }) => ({ name, arn, logicalId })),
        invocations: twin.lambda.invocations().slice(-100),
        asyncInvocations: twin.lambdaApi.asyncInvocations(),
      }),
  }),
  route({
    method: 'POST',
    path: '/slack/:sink',
    params: SLACK_SINK,
    handle: ({ twin, params, headers, rawBody }) => {
      const answer = twin.slack.post(params.sink ?? '', contentTypeOf(headers), rawBody);
      return { status: answer.status, body: answer.text, contentType: 'text/plain; charset=utf-8' };
    },
  }),
  route({
    method: 'GET',
    path: '/slack/:sink?',
    params: SLACK_SINK,
    handle: ({ twin, params }) =>
      ok(
        params.sink === undefined
          ? { sinks: twin.slack.bySink() }
          : { messages: twin.slack.messages(params.sink) },
      ),
  }),
  route({
    method: 'DELETE',
    path: '/slack/:sink?',
    params: SLACK_SINK,
    handle: ({ twin, params }) => {
      twin.slack.clear(params.sink);
      return ok({ cleared: params.sink ?? 'all' });
    },
  }),
  route({ method: 'GET', path: '/traffic', handle: ({ twin }) => ok(twin.traffic.snapshot()) }),
  route({ method: 'GET', path: '/events', handle: ({ twin }) => ok(twin.events.activity()) }),
  route({ method: 'GET', path: '/faults', handle: ({ twin }) => ok(faultsOf(twin)) }),
  route({
    method: 'POST',
    path: '/faults',
    // The fault injector checks a fault itself (local/faults.ts faultSchema), naming the bad field.
    body: 'json',
    handle: ({ twin, body }) => ok({ added: twin.faults.add(body) }),
  }),
  route({
    method: 'DELETE',
    path: '/faults',
    handle: ({ twin, query }) => {
      const service = query.get('service') ?? undefined;
      const match = TWIN_SERVICES.find((name) => name === service);
      if (service !== undefined && match === undefined) {
        throw new TwinError(
          'ValidationError',
          `unknown service ${service}; one of ${TWIN_SERVICES.join(', ')}`,
        );
      }
      twin.faults.clear(match);
      return ok({ cleared: match ?? 'all' });
    },
  }),
  route({
    method: 'POST',
    path: '/clusters/:cluster/health',
    body: {
      what: 'cluster health',
      schema: z.object({
        healthy: z.boolean(),
        targets: z.optional(z.number().check(z.int(), z.minimum(0))),
        errorRate: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
        tagKey: z.optional(z.string()),
      }),
    },
    handle: ({ twin, params, body }) =>
      ok(applyClusterHealth(twin, { cluster: params.cluster ?? '', ...body })),
  }),
  route({
    method: 'POST',
    path: '/alarms/:name',
    body: {
      what: 'alarm state',
      schema: z.object({ state: ALARM_STATE, reason: z.optional(z.string().check(z.maxLength(1023))) }),
    },
    handle: ({ twin, params, body }) => {
      const name = params.name ?? '';
      applyAlarmChange(twin, { name, ...body });
      return ok({ alarm: name, state: body.state });
    },
  }),
  route({
    method: 'POST',
    path: '/clock/advance',
    body: {
      what: 'clock advance',
      schema: z.object({ seconds: z.number().check(z.minimum(0), z.maximum(366 * 86_400)) }),
    },
    handle: ({ twin, body }) => {
      twin.clock.advance(body.seconds * 1000);
      return ok({ now: twin.clock.date().toISOString() });
    },
  }),
  route({
    method: 'POST',
    path: '/scenario',
    body: 'json',
    handle: ({ twin, body, scenarioSignal }) => {
      const scenario = parseScenario(body);
      // Plays on in the background until it ends or the twin closes; the caller watches its effects,
      // failures go to the twin's log.
      void runScenario(twin, scenario, scenarioSignal, (action, error) => {
        if (error !== undefined)
          twin.report(`scenario ${scenario.name}: action at ${action.at}s failed: ${error.message}`);
      });
      return { status: 202, body: { started: scenario.name, actions: scenario.actions.length } };
    },
  }),
];

/** A path segment decoded; broken percent-encoding (`%`, `%ZZ`, half a UTF-8 sequence) is the caller's error. */
const decodeSegment = (segment: string, pathname: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new TwinError('ValidationError', `the path ${pathname} is not valid percent-encoding`);
  }
};

/** The path's parameters when `parts` fit the pattern, else undefined. */
const matchPath = (pattern: string, parts: readonly string[]): Record<string, string> | undefined => {
  const segments = pattern.split('/').filter(Boolean);
  const required = segments.filter((segment) => !segment.endsWith('?')).length;
  if (parts.length < required || parts.length > segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    const part = parts[index];
    if (part === undefined) continue;
    if (segment.startsWith(':')) params[segment.slice(1).replace(/\?$/, '')] = part;
    else if (segment !== part) return undefined;
  }
  return params;
};

export const handleAdmin = async (
  { twin, scenarioSignal }: AdminContext,
  method: string,
  url: string,
  body: Buffer,
  headers: Readonly<IncomingHttpHeaders> = {},
): Promise<AdminAnswer> => {
  const parsedUrl = new URL(url, 'http://twin');
  const parts = parsedUrl.pathname
    .split('/')
    .filter(Boolean)
    .slice(1)
    .map((segment) => decodeSegment(segment, parsedUrl.pathname));
  const matches = ADMIN_ROUTES.flatMap((candidate) => {
    const params = matchPath(candidate.path, parts);
    return params === undefined ? [] : [{ candidate, params }];
  });
  // A parameter that breaks its rule is the caller's error whatever the method.
  for (const { candidate, params } of matches) {
    for (const [name, rule] of Object.entries(candidate.params ?? {})) {
      const value = params[name];
      if (value !== undefined && !rule.pattern.test(value))
        throw new TwinError('ValidationError', rule.message);
    }
  }
  const found = matches.find(({ candidate }) => candidate.method === method);
  if (found === undefined)
    throw new TwinError('NotFound', `no twin admin route ${method} /${parts.join('/')}`, 404);
  const { candidate, params } = found;
  const parsedBody =
    candidate.body === undefined
      ? undefined
      : candidate.body === 'json'
        ? parseJson(body)
        : check(candidate.body.schema, parseJson(body), candidate.body.what);
  return candidate.handle({
    twin,
    scenarioSignal,
    params,
    query: parsedUrl.searchParams,
    body: parsedBody,
    rawBody: body,
    headers,
  });
};
