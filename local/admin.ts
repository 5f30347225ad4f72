import * as z from 'zod/mini';
import { TwinError } from './errors';
import { TWIN_SERVICES } from './faults';
import { applyAlarmChange, applyClusterHealth, parseScenario, runScenario } from './scenario';
import type { Twin } from './server';
import { SINK_NAME } from './slack-sink';

/**
 * The twin's own endpoint, under /_twin/: what tests, scenarios and the demo use to look inside
 * and to break things. JSON in, JSON out.
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

const ALARM_STATE = z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

const contentTypeOf = (headers: Readonly<Record<string, string | string[] | undefined>>): string => {
  const value = headers['content-type'];
  return (Array.isArray(value) ? value[0] : value) ?? '';
};

const slackRoute = (
  twin: Twin,
  method: string,
  sink: string | undefined,
  contentType: string,
  body: Buffer,
): AdminAnswer => {
  if (sink !== undefined && !SINK_NAME.test(sink)) {
    throw new TwinError(
      'ValidationError',
      'a Slack sink name is 1–64 letters, digits, dots, dashes or underscores',
    );
  }
  if (method === 'POST' && sink !== undefined) {
    const answer = twin.slack.post(sink, contentType, body);
    return { status: answer.status, body: answer.text, contentType: 'text/plain; charset=utf-8' };
  }
  if (method === 'GET') {
    return {
      status: 200,
      body: sink === undefined ? { sinks: twin.slack.bySink() } : { messages: twin.slack.messages(sink) },
    };
  }
  if (method === 'DELETE') {
    twin.slack.clear(sink);
    return { status: 200, body: { cleared: sink ?? 'all' } };
  }
  throw new TwinError(
    'NotFound',
    `no twin admin route ${method} /slack${sink === undefined ? '' : `/${sink}`}`,
    404,
  );
};

/** A path segment decoded; broken percent-encoding (`%`, `%ZZ`, half a UTF-8 sequence) is the caller's error. */
const decodeSegment = (segment: string, pathname: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new TwinError('ValidationError', `the path ${pathname} is not valid percent-encoding`);
  }
};

export const handleAdmin = async (
  { twin, scenarioSignal }: AdminContext,
  method: string,
  url: string,
  body: Buffer,
  headers: Readonly<Record<string, string | string[] | undefined>> = {},
): Promise<AdminAnswer> => {
  const parsedUrl = new URL(url, 'http://twin');
  const parts = parsedUrl.pathname
    .split('/')
    .filter(Boolean)
    .slice(1)
    .map((segment) => decodeSegment(segment, parsedUrl.pathname));
  const route = `${method} /${parts.join('/')}`;
  const [first, second, third] = parts;

  if (method === 'GET' && first === 'health' && parts.length === 1) {
    return {
      status: 200,
      body: {
        ok: true,
        endpoint: twin.endpoint,
        region: twin.region,
        accountId: twin.accountId,
        timeScale: twin.clock.timeScale,
        now: twin.clock.date().toISOString(),
      },
    };
  }
  if (method === 'GET' && first === 'state' && parts.length === 1) {
    return {
      status: 200,
      body: {
        now: twin.clock.date().toISOString(),
        routes: twin.elbv2.routes(),
        targetGroups: twin.elbv2.targetGroups(),
        alarms: twin.cloudwatch.alarms(),
        executions: twin.sfn.executions(),
        stacks: twin.cloudformation.list(),
        httpApis: twin.apis.list(),
        faults: { active: twin.faults.list(), counts: twin.faults.stats() },
        limits: limitsOf(twin),
      },
    };
  }
  if (method === 'GET' && first === 'limits' && parts.length === 1) {
    return { status: 200, body: limitsOf(twin) };
  }
  if (method === 'GET' && first === 'notifications' && parts.length === 1) {
    return { status: 200, body: { messages: twin.sns.messages() } };
  }
  if (method === 'GET' && first === 'apis' && parts.length === 1) {
    return { status: 200, body: { apis: twin.apis.list() } };
  }
  if (method === 'GET' && first === 'lambda' && parts.length === 1) {
    return {
      status: 200,
      body: {
        functions: twin.lambda.list().map(({ name, arn, logicalId }) => ({ name, arn, logicalId })),
        invocations: twin.lambda.invocations().slice(-100),
        asyncInvocations: twin.lambdaApi.asyncInvocations(),
      },
    };
  }
  if (first === 'slack' && parts.length <= 2) {
    return slackRoute(twin, method, second, contentTypeOf(headers), body);
  }
  if (method === 'GET' && first === 'traffic' && parts.length === 1) {
    return { status: 200, body: twin.traffic.snapshot() };
  }
  if (method === 'GET' && first === 'events' && parts.length === 1) {
    return { status: 200, body: twin.events.activity() };
  }
  if (first === 'faults' && parts.length === 1) {
    if (method === 'GET')
      return { status: 200, body: { active: twin.faults.list(), counts: twin.faults.stats() } };
    if (method === 'POST') return { status: 200, body: { added: twin.faults.add(parseJson(body)) } };
    if (method === 'DELETE') {
      const service = parsedUrl.searchParams.get('service') ?? undefined;
      const known = TWIN_SERVICES;
      const match = known.find((name) => name === service);
      if (service !== undefined && match === undefined) {
        throw new TwinError('ValidationError', `unknown service ${service}; one of ${known.join(', ')}`);
      }
      twin.faults.clear(match);
      return { status: 200, body: { cleared: match ?? 'all' } };
    }
  }
  if (
    method === 'POST' &&
    first === 'clusters' &&
    second !== undefined &&
    third === 'health' &&
    parts.length === 3
  ) {
    const input = check(
      z.object({
        healthy: z.boolean(),
        targets: z.optional(z.number().check(z.int(), z.minimum(0))),
        errorRate: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
        tagKey: z.optional(z.string()),
      }),
      parseJson(body),
      'cluster health',
    );
    return { status: 200, body: applyClusterHealth(twin, { cluster: second, ...input }) };
  }
  if (method === 'POST' && first === 'alarms' && second !== undefined && parts.length === 2) {
    const input = check(
      z.object({ state: ALARM_STATE, reason: z.optional(z.string().check(z.maxLength(1023))) }),
      parseJson(body),
      'alarm state',
    );
    applyAlarmChange(twin, { name: second, ...input });
    return { status: 200, body: { alarm: second, state: input.state } };
  }
  if (method === 'POST' && first === 'clock' && second === 'advance' && parts.length === 2) {
    const input = check(
      z.object({ seconds: z.number().check(z.minimum(0), z.maximum(366 * 86_400)) }),
      parseJson(body),
      'clock advance',
    );
    twin.clock.advance(input.seconds * 1000);
    return { status: 200, body: { now: twin.clock.date().toISOString() } };
  }
  if (method === 'POST' && first === 'scenario' && parts.length === 1) {
    const scenario = parseScenario(parseJson(body));
    // Plays on in the background until it ends or the twin closes; the caller watches its effects,
    // failures go to the twin's log.
    void runScenario(twin, scenario, scenarioSignal, (action, error) => {
      if (error !== undefined)
        twin.report(`scenario ${scenario.name}: action at ${action.at}s failed: ${error.message}`);
    });
    return { status: 202, body: { started: scenario.name, actions: scenario.actions.length } };
  }
  throw new TwinError('NotFound', `no twin admin route ${route}`, 404);
};
