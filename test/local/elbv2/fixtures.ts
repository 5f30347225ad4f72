import { TwinClock } from '../../../local/clock';
import { Elbv2Twin, type SeedResult } from '../../../local/elbv2';
import { TwinError } from '../../../local/errors';
import { decodeQuery } from '../../../local/protocol/query';

/** Test helpers for the ELBv2 twin: requests go through the real awsQuery decoder, as on the wire. */
export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';
export const START = Date.UTC(2025, 0, 1);

type Params = Record<string, unknown>;

/** A nested input → awsQuery form fields (`X.member.N`, maps as `X.entry.N.key/value`), as the SDK sends them. */
const flatten = (
  value: unknown,
  prefix: string,
  out: [string, string][],
  maps: ReadonlySet<string>,
): void => {
  if (value === undefined) return;
  if (Array.isArray(value)) {
    if (value.length === 0) out.push([prefix, '']);
    for (const [index, item] of value.entries()) flatten(item, `${prefix}.member.${index + 1}`, out, maps);
  } else if (value !== null && typeof value === 'object') {
    const key = prefix.split('.').pop() ?? '';
    for (const [index, [name, child]] of Object.entries(value).entries()) {
      if (maps.has(key)) {
        out.push([`${prefix}.entry.${index + 1}.key`, name]);
        flatten(child, `${prefix}.entry.${index + 1}.value`, out, maps);
      } else flatten(child, prefix === '' ? name : `${prefix}.${name}`, out, maps);
    }
  } else out.push([prefix, String(value)]);
};

const MAP_MEMBERS = new Set(['AuthenticationRequestExtraParams']);

export const formOf = (action: string, params: Params): string => {
  const fields: [string, string][] = [
    ['Action', action],
    ['Version', '2015-12-01'],
  ];
  flatten(params, '', fields, MAP_MEMBERS);
  return new URLSearchParams(fields).toString();
};

/** Calls an operation the way the router does: form body → decodeQuery → operation. */
export const call = <T = Record<string, unknown>>(
  twin: Elbv2Twin,
  action: string,
  params: Params = {},
): T => {
  const request = decodeQuery(formOf(action, params));
  const operation = twin.operations[request.action];
  if (operation === undefined) throw new Error(`no operation ${action}`);
  return operation(request.input) as T;
};

/** The TwinError an operation throws (fails the test if it does not throw one). */
export const failure = (run: () => unknown): TwinError => {
  try {
    run();
  } catch (error) {
    if (error instanceof TwinError) return error;
    throw error;
  }
  throw new Error('expected a TwinError, nothing was thrown');
};

export const newTwin = (clock = new TwinClock(1, () => START)): Elbv2Twin =>
  new Elbv2Twin({ clock, region: REGION, accountId: ACCOUNT });

export const OIDC = {
  issuer: 'https://idp.example.com',
  authorizationEndpoint: 'https://idp.example.com/auth',
  tokenEndpoint: 'https://idp.example.com/token',
  userInfoEndpoint: 'https://idp.example.com/userinfo',
  clientId: 'client-1',
  clientSecret: 's3cret',
};

const group = (name: string, cluster?: string) => ({
  name,
  port: 8080,
  ...(cluster === undefined ? {} : { tags: { 'clustershift:cluster': cluster } }),
  targets: [
    { id: `10.0.0.${name.length}` },
    { id: `10.0.1.${name.length}` },
    { id: `10.0.2.${name.length}` },
  ],
});

/**
 * One ALB `web` (HTTP 80: default 50/50 blue-web/green-web; rule 10 api.example.com 50/50; rule 20
 * admin.example.com behind OIDC with stickiness) and a second ALB `other` whose listener owns `other-tg`.
 */
export const SMALL_FLEET = {
  targetGroups: [
    group('blue-web', 'blue'),
    group('green-web', 'green'),
    group('blue-api', 'blue'),
    group('green-api', 'green'),
    group('blue-admin', 'blue'),
    group('green-admin', 'green'),
    group('spare'),
    group('other-tg'),
  ],
  loadBalancers: [
    {
      name: 'web',
      listeners: [
        {
          port: 80,
          defaultForward: { weights: { 'blue-web': 50, 'green-web': 50 } },
          rules: [
            {
              priority: 10,
              hosts: ['api.example.com'],
              forward: { weights: { 'blue-api': 50, 'green-api': 50 } },
            },
            {
              priority: 20,
              hosts: ['admin.example.com'],
              oidc: OIDC,
              forward: { weights: { 'blue-admin': 70, 'green-admin': 30 }, stickinessSeconds: 600 },
            },
          ],
        },
      ],
    },
    { name: 'other', listeners: [{ port: 80, defaultForward: { weights: { 'other-tg': 1 } } }] },
  ],
};

export interface SmallFleet {
  readonly twin: Elbv2Twin;
  readonly clock: TwinClock;
  readonly seeded: SeedResult;
  readonly lb: string;
  readonly otherLb: string;
  readonly listener: string;
  readonly apiRule: string;
  readonly adminRule: string;
  readonly tg: (name: string) => string;
}

export const smallFleet = (): SmallFleet => {
  const clock = new TwinClock(1, () => START);
  const twin = newTwin(clock);
  const seeded = twin.seed(SMALL_FLEET);
  const tg = (name: string): string => {
    const arn = seeded.targetGroupArns[name];
    if (arn === undefined) throw new Error(`no target group ${name}`);
    return arn;
  };
  return {
    twin,
    clock,
    seeded,
    lb: seeded.loadBalancerArns.web ?? '',
    otherLb: seeded.loadBalancerArns.other ?? '',
    listener: seeded.listenerArns[0] ?? '',
    apiRule: seeded.ruleArns[0] ?? '',
    adminRule: seeded.ruleArns[1] ?? '',
    tg,
  };
};

export const forward = (weights: Record<string, number>, order?: number) => ({
  Type: 'forward',
  ...(order === undefined ? {} : { Order: order }),
  ForwardConfig: {
    TargetGroups: Object.entries(weights).map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })),
  },
});

/**
 * One ALB `full` at AWS's quota of 100 distinct target groups: its HTTP 80 listener's default and 49
 * host rules each forward 50/50 to a blue and a green group of their own (`blue-0`/`green-0` for the
 * default, `blue-<n>`/`green-<n>` for rule n). Target groups `spare-1` … `spare-3` belong to nothing yet.
 */
export const fullLoadBalancer = () => {
  const twin = newTwin();
  const routes = Array.from({ length: 50 }, (_, n) => n);
  const seeded = twin.seed({
    targetGroups: [
      ...routes.flatMap((n) => [
        { name: `blue-${n}`, port: 8080 },
        { name: `green-${n}`, port: 8080 },
      ]),
      ...[1, 2, 3].map((n) => ({ name: `spare-${n}`, port: 8080 })),
    ],
    loadBalancers: [
      {
        name: 'full',
        listeners: [
          {
            port: 80,
            defaultForward: { weights: { 'blue-0': 50, 'green-0': 50 } },
            rules: routes.slice(1).map((n) => ({
              priority: n,
              hosts: [`r${n}.example.com`],
              forward: { weights: { [`blue-${n}`]: 50, [`green-${n}`]: 50 } },
            })),
          },
        ],
      },
    ],
  });
  const tg = (name: string): string => {
    const arn = seeded.targetGroupArns[name];
    if (arn === undefined) throw new Error(`no target group ${name}`);
    return arn;
  };
  return {
    twin,
    lb: seeded.loadBalancerArns.full ?? '',
    listener: seeded.listenerArns[0] ?? '',
    /** Rule n (1–49) is ruleArns[n - 1]. */
    rule: (n: number): string => seeded.ruleArns[n - 1] ?? '',
    tg,
  };
};
