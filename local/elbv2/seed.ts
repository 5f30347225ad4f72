import * as z from 'zod/mini';
import { toFieldIssues } from '../../core/zod-issues';
import { TwinError } from '../errors';
import type { TwinInput } from '../service';
import type { TargetHealthState } from './view';

/**
 * The seed file: a fleet described by names, loaded through the same operations any client calls
 * (so it is validated exactly like them). Target groups are referred to by name; ARNs come out
 * deterministic, so a fleet config can name the load balancer. JSON, for example:
 *
 * {
 *   "targetGroups": [
 *     { "name": "blue-svc-a", "port": 8080, "tags": { "clustershift:cluster": "blue" },
 *       "targets": [{ "id": "10.1.0.11" }, { "id": "10.1.0.12", "health": "unhealthy" }] }
 *   ],
 *   "loadBalancers": [
 *     { "name": "demo-public",
 *       "listeners": [
 *         { "port": 443, "protocol": "HTTPS", "certificateArn": "arn:aws:acm:…",
 *           "defaultForward": { "weights": { "blue-default": 50, "green-default": 50 } },
 *           "rules": [
 *             { "priority": 10, "hosts": ["svc-a.demo.example.com"],
 *               "oidc": { "issuer": "…", "authorizationEndpoint": "…", "tokenEndpoint": "…",
 *                         "userInfoEndpoint": "…", "clientId": "…", "clientSecret": "…" },
 *               "forward": { "weights": { "blue-svc-a": 50, "green-svc-a": 50 }, "stickinessSeconds": 3600 } }
 *           ] } ] } ]
 * }
 *
 * Target groups default to protocol HTTP, target type ip and a made-up VPC; targets to the group's
 * port and healthy. A listener has either `defaultForward` or `defaultFixedResponse` (a status code).
 */
const tags = z.record(z.string(), z.string());

const forward = z.strictObject({
  /** Target group name → weight (0–999), at most five. */
  weights: z.record(z.string(), z.number()),
  /** Enables target group stickiness for this many seconds. */
  stickinessSeconds: z.optional(z.number()),
});

const oidc = z.strictObject({
  issuer: z.string(),
  authorizationEndpoint: z.string(),
  tokenEndpoint: z.string(),
  userInfoEndpoint: z.string(),
  clientId: z.string(),
  clientSecret: z.string(),
});

const rule = z.strictObject({
  priority: z.number(),
  hosts: z.array(z.string()).check(z.minLength(1, 'a rule needs at least one host')),
  oidc: z.optional(oidc),
  forward,
  tags: z.optional(tags),
});

const listener = z
  .strictObject({
    port: z.number(),
    protocol: z._default(z.enum(['HTTP', 'HTTPS']), 'HTTP'),
    certificateArn: z.optional(z.string()),
    defaultForward: z.optional(forward),
    defaultFixedResponse: z.optional(z.string()),
    rules: z._default(z.array(rule), []),
    tags: z.optional(tags),
  })
  .check(
    z.refine(
      (value) => (value.defaultForward === undefined) !== (value.defaultFixedResponse === undefined),
      'a listener needs exactly one of defaultForward and defaultFixedResponse',
    ),
  );

const HEALTH: [TargetHealthState, ...TargetHealthState[]] = [
  'healthy',
  'unhealthy',
  'initial',
  'unused',
  'draining',
  'unavailable',
];

const targetGroup = z.strictObject({
  name: z.string(),
  port: z.number(),
  protocol: z._default(z.enum(['HTTP', 'HTTPS']), 'HTTP'),
  targetType: z._default(z.enum(['ip', 'instance']), 'ip'),
  vpcId: z._default(z.string(), 'vpc-0twin000000000000'),
  tags: z.optional(tags),
  targets: z._default(
    z.array(
      z.strictObject({ id: z.string(), port: z.optional(z.number()), health: z.optional(z.enum(HEALTH)) }),
    ),
    [],
  ),
});

export const seedSchema = z.strictObject({
  targetGroups: z._default(z.array(targetGroup), []),
  loadBalancers: z._default(
    z.array(
      z.strictObject({
        name: z.string(),
        scheme: z.optional(z.enum(['internet-facing', 'internal'])),
        subnets: z.optional(z.array(z.string())),
        tags: z.optional(tags),
        listeners: z._default(z.array(listener), []),
      }),
    ),
    [],
  ),
});

export type SeedSpec = z.output<typeof seedSchema>;

export interface SeedResult {
  readonly loadBalancerArns: Readonly<Record<string, string>>;
  readonly targetGroupArns: Readonly<Record<string, string>>;
  readonly listenerArns: readonly string[];
  readonly ruleArns: readonly string[];
}

/** The operations seeding calls, by name (the Elbv2Twin's own table). */
export type SeedOperations = Readonly<Record<string, (input: TwinInput) => unknown>>;
export type SetHealth = (targetGroupArn: string, health: TargetHealthState, ids: readonly string[]) => void;

export const parseSeed = (spec: unknown): SeedSpec => {
  const result = seedSchema.safeParse(spec);
  if (!result.success) {
    const issues = toFieldIssues(result.error).map((issue) => `${issue.path || '(root)'}: ${issue.message}`);
    throw new TwinError('ValidationError', `invalid ELBv2 seed: ${issues.join('; ')}`);
  }
  return result.data;
};

const tagList = (value: Record<string, string> | undefined) =>
  value === undefined || Object.keys(value).length === 0
    ? undefined
    : Object.entries(value).map(([Key, Value]) => ({ Key, Value }));

/** Runs `step`, prefixing any error with where in the seed it came from. */
const at = <T>(path: string, step: () => T): T => {
  try {
    return step();
  } catch (error) {
    if (error instanceof TwinError) {
      throw new TwinError(
        error.code,
        `invalid ELBv2 seed at ${path}: ${error.message}`,
        error.status,
        error.fault,
      );
    }
    throw error;
  }
};

const first = <T>(output: unknown, key: string, path: string): T => {
  const item = (output as Record<string, T[] | undefined>)[key]?.[0];
  if (item === undefined)
    throw new TwinError('ValidationError', `invalid ELBv2 seed at ${path}: nothing created`);
  return item;
};

export const applySeed = (spec: SeedSpec, operations: SeedOperations, setHealth: SetHealth): SeedResult => {
  const call = (name: string, input: TwinInput): unknown => {
    const operation = operations[name];
    if (operation === undefined) throw new Error(`seed needs operation ${name}`);
    return operation(input);
  };
  const targetGroupArns: Record<string, string> = {};
  spec.targetGroups.forEach((group, index) => {
    const path = `targetGroups.${index}`;
    at(path, () => {
      const created = first<{ TargetGroupArn: string }>(
        call('CreateTargetGroup', {
          Name: group.name,
          Protocol: group.protocol,
          Port: group.port,
          VpcId: group.vpcId,
          TargetType: group.targetType,
          Tags: tagList(group.tags),
        }),
        'TargetGroups',
        path,
      );
      targetGroupArns[group.name] = created.TargetGroupArn;
      if (group.targets.length === 0) return;
      call('RegisterTargets', {
        TargetGroupArn: created.TargetGroupArn,
        Targets: group.targets.map((target) => ({ Id: target.id, Port: target.port })),
      });
      for (const target of group.targets) {
        if (target.health !== undefined) setHealth(created.TargetGroupArn, target.health, [target.id]);
      }
    });
  });

  // Called inside at(), which says where in the seed an unknown name is.
  const forwardAction = (value: z.output<typeof forward>, order?: number) => ({
    Type: 'forward',
    ...(order === undefined ? {} : { Order: order }),
    ForwardConfig: {
      TargetGroups: Object.entries(value.weights).map(([name, weight]) => {
        const arn = targetGroupArns[name];
        if (arn === undefined) {
          throw new TwinError('ValidationError', `forward weights name an unknown target group '${name}'`);
        }
        return { TargetGroupArn: arn, Weight: weight };
      }),
      TargetGroupStickinessConfig:
        value.stickinessSeconds === undefined
          ? { Enabled: false }
          : { Enabled: true, DurationSeconds: value.stickinessSeconds },
    },
  });

  const loadBalancerArns: Record<string, string> = {};
  const listenerArns: string[] = [];
  const ruleArns: string[] = [];
  spec.loadBalancers.forEach((lb, lbIndex) => {
    const lbPath = `loadBalancers.${lbIndex}`;
    const lbArn = at(lbPath, () =>
      first<{ LoadBalancerArn: string }>(
        call('CreateLoadBalancer', {
          Name: lb.name,
          Scheme: lb.scheme,
          Subnets: lb.subnets,
          Tags: tagList(lb.tags),
        }),
        'LoadBalancers',
        lbPath,
      ),
    ).LoadBalancerArn;
    loadBalancerArns[lb.name] = lbArn;
    lb.listeners.forEach((spec, listenerIndex) => {
      const listenerPath = `${lbPath}.listeners.${listenerIndex}`;
      const listenerArn = at(listenerPath, () => {
        const defaultAction =
          spec.defaultForward === undefined
            ? { Type: 'fixed-response', FixedResponseConfig: { StatusCode: spec.defaultFixedResponse } }
            : forwardAction(spec.defaultForward);
        return first<{ ListenerArn: string }>(
          call('CreateListener', {
            LoadBalancerArn: lbArn,
            Port: spec.port,
            Protocol: spec.protocol,
            Certificates:
              spec.certificateArn === undefined ? undefined : [{ CertificateArn: spec.certificateArn }],
            DefaultActions: [defaultAction],
            Tags: tagList(spec.tags),
          }),
          'Listeners',
          listenerPath,
        ).ListenerArn;
      });
      listenerArns.push(listenerArn);
      spec.rules.forEach((rule, ruleIndex) => {
        const rulePath = `${listenerPath}.rules.${ruleIndex}`;
        const actions = (oidcConfig: z.output<typeof oidc> | undefined) =>
          oidcConfig === undefined
            ? [forwardAction(rule.forward)]
            : [
                {
                  Type: 'authenticate-oidc',
                  Order: 1,
                  AuthenticateOidcConfig: {
                    Issuer: oidcConfig.issuer,
                    AuthorizationEndpoint: oidcConfig.authorizationEndpoint,
                    TokenEndpoint: oidcConfig.tokenEndpoint,
                    UserInfoEndpoint: oidcConfig.userInfoEndpoint,
                    ClientId: oidcConfig.clientId,
                    ClientSecret: oidcConfig.clientSecret,
                  },
                },
                forwardAction(rule.forward, 2),
              ];
        const created = at(rulePath, () =>
          first<{ RuleArn: string }>(
            call('CreateRule', {
              ListenerArn: listenerArn,
              Priority: rule.priority,
              Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: rule.hosts } }],
              Actions: actions(rule.oidc),
              Tags: tagList(rule.tags),
            }),
            'Rules',
            rulePath,
          ),
        );
        ruleArns.push(created.RuleArn);
      });
    });
  });
  return { loadBalancerArns, targetGroupArns, listenerArns, ruleArns };
};
