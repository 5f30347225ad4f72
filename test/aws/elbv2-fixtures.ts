import {
  type Action,
  DescribeListenersCommand,
  type DescribeListenersCommandInput,
  DescribeRulesCommand,
  type DescribeRulesCommandInput,
  DescribeTagsCommand,
  type DescribeTagsCommandInput,
  ElasticLoadBalancingV2Client,
  type Listener,
  ModifyListenerCommand,
  ModifyRuleCommand,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { TokenBucketPacer } from '../../aws/pacer';
import { type BucketLimit, ELBV2_API_BUCKETS } from '../../core/aws-limits';
import { type FleetConfig, validateFleetConfig } from '../../core/config';
import type { Route, Weights } from '../../core/routes';

/** ARNs shaped like AWS's, so config validation and dimension parsing see real ones. */
const PREFIX = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012';
export const LB = `${PREFIX}:loadbalancer/app/web/0123456789abcdef`;
export const LB2 = `${PREFIX}:loadbalancer/app/api/fedcba9876543210`;
export const listenerArn = (port: number, lb = LB): string =>
  `${lb.replace(':loadbalancer/', ':listener/')}/${port.toString(16).padStart(16, '0')}`;
export const ruleArn = (port: number, n: number, lb = LB): string =>
  `${lb.replace(':loadbalancer/', ':listener-rule/')}/${port.toString(16).padStart(16, '0')}/${n.toString(16).padStart(16, '0')}`;
export const tg = (name: string): string =>
  `${PREFIX}:targetgroup/${name}/${Buffer.from(name).toString('hex').padEnd(16, '0').slice(0, 16)}`;

export const BLUE = tg('blue-api');
export const GREEN = tg('green-api');
export const OTHER = tg('legacy');

export const fleetConfig = (overrides: Record<string, unknown> = {}): FleetConfig =>
  validateFleetConfig({
    fleet: 'prod',
    region: 'eu-west-1',
    loadBalancers: [{ arn: LB }],
    clusters: [
      { name: 'blue', targetGroups: [BLUE] },
      { name: 'green', targetGroups: [GREEN] },
    ],
    ...overrides,
  });

export const weightedForward = (weights: Weights, order?: number): Action => ({
  Type: 'forward',
  ...(order === undefined ? {} : { Order: order }),
  ForwardConfig: {
    TargetGroups: Object.entries(weights).map(([arn, weight]) => ({ TargetGroupArn: arn, Weight: weight })),
    TargetGroupStickinessConfig: { Enabled: false },
  },
});

export const hostRule = (port: number, n: number, host: string, actions: Action[]): Rule => ({
  RuleArn: ruleArn(port, n),
  Priority: String(n),
  IsDefault: false,
  Conditions: [{ Field: 'host-header', Values: [host], HostHeaderConfig: { Values: [host] } }],
  Actions: actions,
});

export const defaultRule = (port: number, actions: Action[]): Rule => ({
  RuleArn: ruleArn(port, 0),
  Priority: 'default',
  IsDefault: true,
  Conditions: [],
  Actions: actions,
});

export const route = (overrides: Partial<Route> & Pick<Route, 'id'>): Route => ({
  kind: 'rule',
  listenerArn: listenerArn(443),
  loadBalancerArn: LB,
  name: overrides.id,
  targets: [
    { targetGroupArn: BLUE, cluster: 'blue' },
    { targetGroupArn: GREEN, cluster: 'green' },
  ],
  controllerOwned: false,
  ...overrides,
});

/** Records backoff delays instead of waiting them out. */
export const recordingSleep = () => {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
};

/** An error shaped like the SDK's service exceptions (name = AWS error code). */
export const awsError = (name: string, message = `${name} happened`, httpStatusCode = 400) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });

export interface FakeListener {
  readonly arn: string;
  readonly port: number;
  readonly loadBalancerArn?: string;
  readonly rules: Rule[];
}

/**
 * An ELBv2 client answering Describe* from the given listeners, rules and tags, paging rules
 * `rulesPerPage` at a time through Marker/NextMarker as AWS does. Write calls resolve and are
 * recorded by the mock (read them back with `mock.commandCalls(ModifyRuleCommand)`).
 */
export const fakeElb = (
  listeners: readonly FakeListener[],
  options: {
    tags?: Record<string, Record<string, string>>;
    rulesPerPage?: number;
    listenersPerPage?: number;
  } = {},
) => {
  const client = new ElasticLoadBalancingV2Client({ region: 'eu-west-1', maxAttempts: 1 });
  const mock = mockClient(client);
  const page = <T>(items: readonly T[], marker: string | undefined, size: number) => {
    const start = marker === undefined ? 0 : Number(marker);
    const next = start + size;
    return { items: items.slice(start, next), NextMarker: next < items.length ? String(next) : undefined };
  };
  const toListener = (l: FakeListener): Listener => ({
    ListenerArn: l.arn,
    Port: l.port,
    Protocol: 'HTTPS',
    LoadBalancerArn: l.loadBalancerArn ?? LB,
    DefaultActions: l.rules.find((r) => r.IsDefault)?.Actions ?? [],
  });
  mock.on(DescribeListenersCommand).callsFake((input: DescribeListenersCommandInput) => {
    const matching = listeners.filter((l) =>
      input.ListenerArns
        ? input.ListenerArns.includes(l.arn)
        : (l.loadBalancerArn ?? LB) === input.LoadBalancerArn,
    );
    const { items, NextMarker } = page(matching, input.Marker, options.listenersPerPage ?? 400);
    return { Listeners: items.map(toListener), NextMarker };
  });
  mock.on(DescribeRulesCommand).callsFake((input: DescribeRulesCommandInput) => {
    const listener = listeners.find((l) => l.arn === input.ListenerArn);
    if (listener === undefined) throw awsError('ListenerNotFound', 'One or more listeners not found');
    const { items, NextMarker } = page(
      listener.rules,
      input.Marker,
      options.rulesPerPage ?? input.PageSize ?? 400,
    );
    return { Rules: structuredClone(items), NextMarker };
  });
  mock.on(DescribeTagsCommand).callsFake((input: DescribeTagsCommandInput) => {
    if ((input.ResourceArns ?? []).length > 20) throw awsError('ValidationError', 'at most 20 resource ARNs');
    return {
      TagDescriptions: (input.ResourceArns ?? []).map((arn) => ({
        ResourceArn: arn,
        Tags: Object.entries(options.tags?.[arn] ?? {}).map(([Key, Value]) => ({ Key, Value })),
      })),
    };
  });
  mock.on(ModifyRuleCommand).resolves({});
  mock.on(ModifyListenerCommand).resolves({});
  return { client, mock };
};

/**
 * A pacer for ELBv2's documented bucket on a hand-moved clock: every wait is recorded and moves the
 * clock, so throttling retries run without real time passing.
 */
export const fakeClockPacer = (bucket: BucketLimit = ELBV2_API_BUCKETS.describe) => {
  let now = 0;
  const delays: number[] = [];
  const pacer = new TokenBucketPacer({
    ...bucket,
    clock: () => ({
      now: () => now,
      sleep: async (ms: number) => {
        delays.push(ms);
        now += ms;
      },
    }),
  });
  return { pacer, delays, now: () => now };
};
