import { ArnFactory, type ResourceKind, requireArnOf, stableId } from './arns';
import { listenerNotFound, loadBalancerNotFound, ruleNotFound, targetGroupNotFound } from './errors';
import type { TargetHealthState, TargetsChange, WeightChange, WeightedTargetGroup } from './view';

/** What the twin keeps per resource. Actions and conditions are kept in the API's own shapes. */
export const ACTION_TYPES = [
  'forward',
  'authenticate-oidc',
  'authenticate-cognito',
  'redirect',
  'fixed-response',
  'jwt-validation',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export interface TargetGroupTuple {
  readonly TargetGroupArn: string;
  readonly Weight: number;
}

export interface ForwardConfig {
  readonly TargetGroups: readonly TargetGroupTuple[];
  readonly TargetGroupStickinessConfig: { readonly Enabled: boolean; readonly DurationSeconds?: number };
}

export interface StoredAction {
  readonly Type: ActionType;
  readonly Order: number;
  readonly ForwardConfig?: ForwardConfig;
  /** Holds the client secret, which no Describe ever returns. */
  readonly AuthenticateOidcConfig?: Readonly<Record<string, unknown>>;
  readonly AuthenticateCognitoConfig?: Readonly<Record<string, unknown>>;
  readonly RedirectConfig?: Readonly<Record<string, unknown>>;
  readonly FixedResponseConfig?: Readonly<Record<string, unknown>>;
  readonly JwtValidationConfig?: Readonly<Record<string, unknown>>;
}

/** A rule condition as returned by DescribeRules. */
export type StoredCondition = Readonly<Record<string, unknown>> & { readonly Field: string };

export type Tags = Map<string, string>;

export interface LoadBalancerState {
  readonly arn: string;
  readonly name: string;
  readonly scheme: string;
  readonly ipAddressType: string;
  readonly vpcId: string;
  readonly zones: readonly { readonly zoneName: string; readonly subnetId: string }[];
  readonly securityGroups: readonly string[];
  readonly createdAt: Date;
  readonly dnsName: string;
  readonly tags: Tags;
}

export interface ListenerState {
  readonly arn: string;
  readonly loadBalancerArn: string;
  port: number;
  protocol: string;
  certificates: string[];
  sslPolicy: string | undefined;
  defaultActions: StoredAction[];
  /** DescribeRules lists the default actions as a rule of their own, with this ARN. */
  readonly defaultRuleArn: string;
  readonly tags: Tags;
}

export interface RuleState {
  readonly arn: string;
  readonly listenerArn: string;
  readonly priority: number;
  conditions: StoredCondition[];
  actions: StoredAction[];
  readonly tags: Tags;
}

export interface TargetState {
  readonly id: string;
  readonly port: number;
  readonly availabilityZone: string | undefined;
  health: TargetHealthState;
}

export interface TargetGroupState {
  readonly arn: string;
  readonly name: string;
  readonly targetType: string;
  readonly protocol: string | undefined;
  readonly port: number | undefined;
  readonly vpcId: string | undefined;
  readonly protocolVersion: string | undefined;
  readonly ipAddressType: string;
  /** Health-check settings as DescribeTargetGroups returns them (defaults filled in). */
  readonly healthCheck: Readonly<Record<string, unknown>>;
  readonly tags: Tags;
  readonly targets: TargetState[];
}

export const forwardOf = (actions: readonly StoredAction[]): ForwardConfig | undefined =>
  actions.find((action) => action.Type === 'forward')?.ForwardConfig;

const tuplesOf = (actions: readonly StoredAction[]): WeightedTargetGroup[] =>
  (forwardOf(actions)?.TargetGroups ?? []).map((tuple) => ({
    arn: tuple.TargetGroupArn,
    weight: tuple.Weight,
  }));

const sameTuples = (a: readonly WeightedTargetGroup[], b: readonly WeightedTargetGroup[]): boolean =>
  a.length === b.length && a.every((tuple, i) => tuple.arn === b[i]?.arn && tuple.weight === b[i]?.weight);

/**
 * Every load balancer, listener, rule and target group of one region and account, in creation
 * order, with lookups that fail the way AWS does and the log of every forward's weights.
 */
export class Elbv2State {
  readonly loadBalancers = new Map<string, LoadBalancerState>();
  readonly listeners = new Map<string, ListenerState>();
  readonly rules = new Map<string, RuleState>();
  readonly targetGroups = new Map<string, TargetGroupState>();
  readonly arns: ArnFactory;
  private readonly defaultRules = new Map<string, string>();
  /** Tags of default rules (which have no RuleState of their own). */
  private readonly defaultRuleTags = new Map<string, Tags>();
  private readonly log: WeightChange[] = [];
  private readonly weightListeners = new Set<(change: WeightChange) => void>();
  private readonly targetListeners = new Set<(change: TargetsChange) => void>();
  private readonly usedIds = new Set<string>();

  constructor(
    readonly region: string,
    readonly accountId: string,
    private readonly now: () => number,
  ) {
    this.arns = new ArnFactory(region, accountId);
  }

  /** A fresh 16-hex id derived from `parts`, unique within this twin. */
  newId(parts: readonly (string | number)[]): string {
    for (let salt = 0; ; salt++) {
      const id = stableId([this.region, this.accountId, ...parts], salt);
      if (!this.usedIds.has(id)) {
        this.usedIds.add(id);
        return id;
      }
    }
  }

  loadBalancer(arn: string): LoadBalancerState {
    const found = this.loadBalancers.get(requireArnOf('loadbalancer', arn));
    if (found === undefined) throw loadBalancerNotFound(`Load balancer '${arn}' not found`);
    return found;
  }

  listener(arn: string): ListenerState {
    const found = this.listeners.get(requireArnOf('listener', arn));
    if (found === undefined) throw listenerNotFound(`Listener '${arn}' not found`);
    return found;
  }

  rule(arn: string): RuleState {
    const found = this.rules.get(requireArnOf('listener-rule', arn));
    if (found === undefined) throw ruleNotFound(`Rule '${arn}' not found`);
    return found;
  }

  targetGroup(arn: string): TargetGroupState {
    const found = this.targetGroups.get(requireArnOf('targetgroup', arn));
    if (found === undefined) throw targetGroupNotFound(`Target group '${arn}' not found`);
    return found;
  }

  /** The listener whose default rule this is, if `arn` names a default rule. */
  listenerOfDefaultRule(arn: string): ListenerState | undefined {
    const listenerArn = this.defaultRules.get(arn);
    return listenerArn === undefined ? undefined : this.listeners.get(listenerArn);
  }

  /** The resource of `kind` that `arn` names, for its tags; fails like the matching Describe. */
  taggable(kind: ResourceKind, arn: string): { tags: Tags } {
    switch (kind) {
      case 'loadbalancer':
        return this.loadBalancer(arn);
      case 'listener':
        return this.listener(arn);
      case 'targetgroup':
        return this.targetGroup(arn);
      case 'listener-rule': {
        requireArnOf('listener-rule', arn);
        const rule = this.rules.get(arn);
        if (rule !== undefined) return rule;
        if (this.defaultRules.has(arn)) {
          const tags = this.defaultRuleTags.get(arn) ?? new Map<string, string>();
          this.defaultRuleTags.set(arn, tags);
          return { tags };
        }
        throw ruleNotFound(`Rule '${arn}' not found`);
      }
    }
  }

  rulesOf(listenerArn: string): RuleState[] {
    return [...this.rules.values()]
      .filter((rule) => rule.listenerArn === listenerArn)
      .sort((a, b) => a.priority - b.priority);
  }

  listenersOf(loadBalancerArn: string): ListenerState[] {
    return [...this.listeners.values()].filter((listener) => listener.loadBalancerArn === loadBalancerArn);
  }

  /**
   * Target group ARN → the load balancers whose listeners or rules forward to it (forwarding is what
   * attaches a target group to a load balancer). One pass over every listener and rule.
   */
  attachments(): Map<string, string[]> {
    const found = new Map<string, Set<string>>();
    const note = (actions: readonly StoredAction[], loadBalancerArn: string | undefined): void => {
      if (loadBalancerArn === undefined) return;
      for (const tuple of forwardOf(actions)?.TargetGroups ?? []) {
        const set = found.get(tuple.TargetGroupArn) ?? new Set<string>();
        set.add(loadBalancerArn);
        found.set(tuple.TargetGroupArn, set);
      }
    };
    for (const listener of this.listeners.values()) note(listener.defaultActions, listener.loadBalancerArn);
    for (const rule of this.rules.values())
      note(rule.actions, this.listeners.get(rule.listenerArn)?.loadBalancerArn);
    return new Map([...found].map(([arn, set]) => [arn, [...set]]));
  }

  /**
   * The distinct target groups the load balancer's listeners and rules would forward to if the one
   * named `replacing` (a listener, for its default actions, or a rule; none for a new one) had
   * `actions`. Only a forward names target groups.
   */
  targetGroupsOfLoadBalancerWith(
    loadBalancerArn: string,
    replacing: string | undefined,
    actions: readonly StoredAction[],
  ): Set<string> {
    const found = new Set<string>();
    const add = (list: readonly StoredAction[]): void => {
      for (const tuple of forwardOf(list)?.TargetGroups ?? []) found.add(tuple.TargetGroupArn);
    };
    add(actions);
    const listeners = new Set<string>();
    for (const listener of this.listenersOf(loadBalancerArn)) {
      listeners.add(listener.arn);
      if (listener.arn !== replacing) add(listener.defaultActions);
    }
    for (const rule of this.rules.values()) {
      if (listeners.has(rule.listenerArn) && rule.arn !== replacing) add(rule.actions);
    }
    return found;
  }

  loadBalancersOf(targetGroupArn: string): string[] {
    return this.attachments().get(targetGroupArn) ?? [];
  }

  addLoadBalancer(lb: LoadBalancerState): void {
    this.loadBalancers.set(lb.arn, lb);
  }

  addTargetGroup(group: TargetGroupState): void {
    this.targetGroups.set(group.arn, group);
    this.targetsChanged(group);
  }

  /** Calls `listener` with every change of a target group's targets as it happens; returns the unsubscribe. */
  onTargetsChange(listener: (change: TargetsChange) => void): () => void {
    this.targetListeners.add(listener);
    return () => this.targetListeners.delete(listener);
  }

  /** Tells the listeners that the group's targets (registrations, health) are now as they are. */
  targetsChanged(group: TargetGroupState): void {
    if (this.targetListeners.size === 0) return;
    const change: TargetsChange = {
      at: this.now(),
      targetGroupArn: group.arn,
      targets: group.targets.map((target) => ({ id: target.id, port: target.port, health: target.health })),
    };
    for (const listener of this.targetListeners) listener(change);
  }

  addListener(listener: ListenerState): void {
    this.listeners.set(listener.arn, listener);
    this.defaultRules.set(listener.defaultRuleArn, listener.arn);
    this.logWeights(listener.arn, [], listener.defaultActions);
  }

  addRule(rule: RuleState): void {
    this.rules.set(rule.arn, rule);
    this.logWeights(rule.arn, [], rule.actions);
  }

  setDefaultActions(listener: ListenerState, actions: StoredAction[]): void {
    const before = listener.defaultActions;
    listener.defaultActions = actions;
    this.logWeights(listener.arn, before, actions);
  }

  setRuleActions(rule: RuleState, actions: StoredAction[]): void {
    const before = rule.actions;
    rule.actions = actions;
    this.logWeights(rule.arn, before, actions);
  }

  weightLog(): readonly WeightChange[] {
    return this.log;
  }

  /** Calls `listener` with every weight change as it happens; returns the unsubscribe. */
  onWeightChange(listener: (change: WeightChange) => void): () => void {
    this.weightListeners.add(listener);
    return () => this.weightListeners.delete(listener);
  }

  /** Logs a forward's weights when it appears and whenever they change (not on a rewrite of the same). */
  private logWeights(key: string, before: readonly StoredAction[], after: readonly StoredAction[]): void {
    const hadForward = forwardOf(before) !== undefined;
    const hasForward = forwardOf(after) !== undefined;
    const previous = tuplesOf(before);
    const next = tuplesOf(after);
    if (!hadForward && !hasForward) return;
    if (hadForward && hasForward && sameTuples(previous, next)) return;
    const change = { at: this.now(), key, targetGroups: next };
    this.log.push(change);
    for (const listener of this.weightListeners) listener(change);
  }
}
