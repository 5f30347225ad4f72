import type { Action, Rule } from '@aws-sdk/client-elastic-load-balancing-v2';

/**
 * An in-memory ALB for tests: listeners, rules (default rule included), target groups with tags and
 * target health. Answers the ELBv2 commands the adapters send, with AWS's paging and error names.
 */
export interface FakeRoute {
  readonly name: string;
  readonly host: string;
  readonly weights: Record<string, number>;
}

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
export const LB_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/main/0123456789abcdef`;
export const LISTENER_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/main/0123456789abcdef/aaaabbbbccccdddd`;
export const tgArn = (name: string) =>
  `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${name}/${Buffer.from(name).toString('hex').slice(0, 16).padEnd(16, '0')}`;
export const ruleArn = (index: number) =>
  `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener-rule/app/main/0123456789abcdef/aaaabbbbccccdddd/${String(index).padStart(16, '0')}`;

class AwsError extends Error {
  readonly $metadata = { httpStatusCode: 400 };
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export class FakeAlb {
  readonly rules: Rule[] = [];
  readonly tags = new Map<string, Record<string, string>>();
  readonly health = new Map<string, { healthy: number; unhealthy: number }>();
  readonly writes: { kind: 'rule' | 'listener'; arn: string; actions: Action[] }[] = [];
  readonly calls: string[] = [];
  /** Called before each write; a test may change state here (e.g. to race a write). */
  beforeWrite?: (arn: string) => void;
  /** The clock weight changes are stamped with (the workflow tests' virtual clock). */
  clock: () => number = () => Date.now();
  /** Every weight change of every forward, in order, for the fake CloudWatch's traffic. */
  readonly weightLog: { at: number; ruleArn: string; weights: Record<string, number> }[] = [];

  constructor(defaultTargetGroup: string) {
    this.rules.push({
      RuleArn: `${LISTENER_ARN.replace(':listener/', ':listener-rule/')}/default0000000000`,
      Priority: 'default',
      IsDefault: true,
      Conditions: [],
      Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }],
    });
    this.tagTargetGroup(defaultTargetGroup, null);
  }

  tagTargetGroup(arn: string, cluster: string | null): void {
    this.tags.set(arn, cluster === null ? {} : { 'clustershift:cluster': cluster });
    if (!this.health.has(arn)) this.health.set(arn, { healthy: 3, unhealthy: 0 });
  }

  /** Adds a rule forwarding to the given target groups (ARN → weight), optionally behind OIDC auth. */
  addRoute(
    host: string,
    weights: Record<string, number>,
    options: { oidc?: boolean; stickiness?: boolean } = {},
  ): string {
    const index = this.rules.length;
    const arn = ruleArn(index);
    const forward: Action = {
      Type: 'forward',
      Order: options.oidc ? 2 : 1,
      ForwardConfig: {
        TargetGroups: Object.entries(weights).map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })),
        TargetGroupStickinessConfig: options.stickiness
          ? { Enabled: true, DurationSeconds: 3600 }
          : { Enabled: false },
      },
    };
    const actions: Action[] = options.oidc
      ? [
          {
            Type: 'authenticate-oidc',
            Order: 1,
            AuthenticateOidcConfig: {
              Issuer: 'https://idp.example.com',
              AuthorizationEndpoint: 'https://idp.example.com/auth',
              TokenEndpoint: 'https://idp.example.com/token',
              UserInfoEndpoint: 'https://idp.example.com/userinfo',
              ClientId: 'client',
            },
          },
          forward,
        ]
      : [forward];
    this.rules.splice(this.rules.length - 1, 0, {
      RuleArn: arn,
      Priority: String(index),
      IsDefault: false,
      Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: [host] }, Values: [host] }],
      Actions: actions,
    });
    this.initialWeights.set(arn, { weights: { ...weights } });
    return arn;
  }

  weightsOf(ruleArnValue: string): Record<string, number> {
    const rule = this.rules.find((r) => r.RuleArn === ruleArnValue);
    const forward = rule?.Actions?.find((a) => a.Type === 'forward');
    return Object.fromEntries(
      (forward?.ForwardConfig?.TargetGroups ?? []).map((t) => [t.TargetGroupArn ?? '', t.Weight ?? 1]),
    );
  }

  /** Another client editing weights (drift). */
  setWeights(ruleArnValue: string, weights: Record<string, number>): void {
    const rule = this.rules.find((r) => r.RuleArn === ruleArnValue);
    const forward = rule?.Actions?.find((a) => a.Type === 'forward');
    if (forward?.ForwardConfig?.TargetGroups === undefined) throw new Error(`no forward on ${ruleArnValue}`);
    forward.ForwardConfig.TargetGroups = Object.entries(weights).map(([TargetGroupArn, Weight]) => ({
      TargetGroupArn,
      Weight,
    }));
    this.logWeights(rule as Rule);
  }

  private logWeights(rule: Rule): void {
    this.weightLog.push({
      at: this.clock(),
      ruleArn: rule.RuleArn ?? '',
      weights: this.weightsOf(rule.RuleArn ?? ''),
    });
  }

  /** Weights of every forward at time `at` (epoch ms), from the log; rules never written keep their current weights. */
  weightsAt(at: number): Map<string, Record<string, number>> {
    const result = new Map<string, Record<string, number>>();
    for (const rule of this.rules) {
      const entries = this.weightLog.filter((e) => e.ruleArn === rule.RuleArn);
      const first = entries[0];
      if (first === undefined) {
        result.set(rule.RuleArn ?? '', this.weightsOf(rule.RuleArn ?? ''));
        continue;
      }
      const before = entries.filter((e) => e.at <= at).pop();
      result.set(
        rule.RuleArn ?? '',
        (before ?? this.initialWeights.get(rule.RuleArn ?? '') ?? first).weights ?? {},
      );
    }
    return result;
  }

  private readonly initialWeights = new Map<string, { weights: Record<string, number> }>();

  describeListeners(input: { LoadBalancerArn?: string; ListenerArns?: string[] }) {
    this.calls.push('DescribeListeners');
    if (input.LoadBalancerArn !== undefined && input.LoadBalancerArn !== LB_ARN) {
      throw new AwsError('LoadBalancerNotFoundException', 'One or more load balancers not found');
    }
    const defaultRule = this.rules.find((r) => r.IsDefault);
    return {
      Listeners: [
        {
          ListenerArn: LISTENER_ARN,
          LoadBalancerArn: LB_ARN,
          Port: 443,
          Protocol: 'HTTPS',
          DefaultActions: structuredClone(defaultRule?.Actions ?? []),
        },
      ],
    };
  }

  describeRules(input: { ListenerArn?: string; RuleArns?: string[]; Marker?: string; PageSize?: number }) {
    this.calls.push('DescribeRules');
    const all = input.RuleArns
      ? this.rules.filter((r) => input.RuleArns?.includes(r.RuleArn ?? ''))
      : input.ListenerArn === LISTENER_ARN
        ? this.rules
        : (() => {
            throw new AwsError('ListenerNotFoundException', 'One or more listeners not found');
          })();
    const start = Number(input.Marker ?? 0);
    const size = input.PageSize ?? 400;
    const page = all.slice(start, start + size);
    const next = start + size < all.length ? String(start + size) : undefined;
    return { Rules: structuredClone(page), ...(next === undefined ? {} : { NextMarker: next }) };
  }

  describeTags(input: { ResourceArns?: string[] }) {
    this.calls.push('DescribeTags');
    if ((input.ResourceArns?.length ?? 0) > 20)
      throw new AwsError('ValidationError', 'too many ResourceArns');
    return {
      TagDescriptions: (input.ResourceArns ?? []).map((arn) => ({
        ResourceArn: arn,
        Tags: Object.entries(this.tags.get(arn) ?? {}).map(([Key, Value]) => ({ Key, Value })),
      })),
    };
  }

  describeTargetHealth(input: { TargetGroupArn?: string }) {
    this.calls.push('DescribeTargetHealth');
    const health = this.health.get(input.TargetGroupArn ?? '');
    if (health === undefined)
      throw new AwsError('TargetGroupNotFoundException', 'One or more target groups not found');
    const targets = [
      ...Array.from({ length: health.healthy }, (_, i) => ({
        Target: { Id: `10.0.0.${i}` },
        TargetHealth: { State: 'healthy' as const },
      })),
      ...Array.from({ length: health.unhealthy }, (_, i) => ({
        Target: { Id: `10.0.1.${i}` },
        TargetHealth: { State: 'unhealthy' as const },
      })),
    ];
    return { TargetHealthDescriptions: targets };
  }

  private validateActions(actions: Action[]): void {
    for (const action of actions) {
      for (const tg of action.ForwardConfig?.TargetGroups ?? []) {
        const weight = tg.Weight ?? 1;
        if (!Number.isInteger(weight) || weight < 0 || weight > 999)
          throw new AwsError('ValidationError', 'weight out of range');
        if (!this.tags.has(tg.TargetGroupArn ?? ''))
          throw new AwsError('TargetGroupNotFoundException', 'target group not found');
      }
      if ((action.ForwardConfig?.TargetGroups?.length ?? 0) > 5)
        throw new AwsError('TooManyTargetGroupsException', 'too many');
    }
  }

  modifyRule(input: { RuleArn?: string; Actions?: Action[] }) {
    this.calls.push('ModifyRule');
    this.beforeWrite?.(input.RuleArn ?? '');
    const rule = this.rules.find((r) => r.RuleArn === input.RuleArn);
    if (rule === undefined) throw new AwsError('RuleNotFoundException', 'One or more rules not found');
    this.validateActions(input.Actions ?? []);
    rule.Actions = structuredClone(input.Actions ?? []);
    this.logWeights(rule);
    this.writes.push({
      kind: 'rule',
      arn: input.RuleArn ?? '',
      actions: structuredClone(input.Actions ?? []),
    });
    return { Rules: [structuredClone(rule)] };
  }

  modifyListener(input: { ListenerArn?: string; DefaultActions?: Action[] }) {
    this.calls.push('ModifyListener');
    if (input.ListenerArn !== LISTENER_ARN)
      throw new AwsError('ListenerNotFoundException', 'One or more listeners not found');
    this.validateActions(input.DefaultActions ?? []);
    const rule = this.rules.find((r) => r.IsDefault);
    if (rule) {
      rule.Actions = structuredClone(input.DefaultActions ?? []);
      this.logWeights(rule);
    }
    this.writes.push({
      kind: 'listener',
      arn: input.ListenerArn,
      actions: structuredClone(input.DefaultActions ?? []),
    });
    return { Listeners: [] };
  }
}
