import type { TwinClock } from '../clock';
import type { Operation, TwinService } from '../service';
import { hostsOf } from './conditions';
import { createListener, createLoadBalancer, createRule, createTargetGroup } from './create';
import { describeListeners, describeLoadBalancers, describeRules, describeTargetGroups } from './describe';
import { describeTargetHealth, registerTargets, setTargetHealth } from './health';
import { modifyListener, modifyRule } from './modify';
import { applySeed, parseSeed, type SeedResult } from './seed';
import { Elbv2State, forwardOf, type StoredAction } from './state';
import { addTags, describeTags } from './tags';
import type {
  Elbv2View,
  ForwardRouteView,
  TargetGroupView,
  TargetHealthState,
  TargetsChange,
  WeightChange,
} from './view';

export type { SeedResult } from './seed';

export interface Elbv2TwinOptions {
  readonly clock: TwinClock;
  readonly region: string;
  readonly accountId: string;
}

/**
 * The twin's Elastic Load Balancing v2 (awsQuery, version 2015-12-01): Application Load Balancers,
 * listeners, rules and target groups in memory, with AWS's validation and error codes for what
 * clustershift and its seeding use. Operations return the `<OpResult>` content of the API reference.
 */
export class Elbv2Twin implements TwinService, Elbv2View {
  readonly operations: Readonly<Record<string, Operation>>;
  private readonly state: Elbv2State;

  constructor(options: Elbv2TwinOptions) {
    this.state = new Elbv2State(options.region, options.accountId, () => options.clock.now());
    const state = this.state;
    const table: Record<string, Operation> = {
      DescribeLoadBalancers: (input) => describeLoadBalancers(state, input),
      DescribeListeners: (input) => describeListeners(state, input),
      DescribeRules: (input) => describeRules(state, input),
      DescribeTargetGroups: (input) => describeTargetGroups(state, input),
      DescribeTargetHealth: (input) => describeTargetHealth(state, input),
      DescribeTags: (input) => describeTags(state, input),
      ModifyRule: (input) => modifyRule(state, input),
      ModifyListener: (input) => modifyListener(state, input),
      CreateLoadBalancer: (input) => createLoadBalancer(state, input, options.clock.date()),
      CreateTargetGroup: (input) => createTargetGroup(state, input),
      CreateListener: (input) => createListener(state, input),
      CreateRule: (input) => createRule(state, input),
      RegisterTargets: (input) => registerTargets(state, input),
      AddTags: (input) => addTags(state, input),
    };
    // No prototype: a router looking up `Action=toString` must find nothing, not Object's method.
    this.operations = Object.freeze(Object.assign(Object.create(null) as Record<string, Operation>, table));
  }

  /** Loads a seed file's content (see local/elbv2/seed.ts for the format); throws TwinError naming the bad field. */
  seed(spec: unknown): SeedResult {
    return applySeed(parseSeed(spec), this.operations, (arn, health, ids) =>
      this.setTargetHealth(arn, health, ids),
    );
  }

  routes(): ForwardRouteView[] {
    const routes: ForwardRouteView[] = [];
    const view = (actions: readonly StoredAction[]) =>
      (forwardOf(actions)?.TargetGroups ?? []).map((tuple) => ({
        arn: tuple.TargetGroupArn,
        weight: tuple.Weight,
      }));
    for (const listener of this.state.listeners.values()) {
      if (forwardOf(listener.defaultActions) !== undefined) {
        routes.push({
          key: listener.arn,
          loadBalancerArn: listener.loadBalancerArn,
          listenerArn: listener.arn,
          hosts: [],
          targetGroups: view(listener.defaultActions),
        });
      }
      for (const rule of this.state.rulesOf(listener.arn)) {
        if (forwardOf(rule.actions) === undefined) continue;
        routes.push({
          key: rule.arn,
          loadBalancerArn: listener.loadBalancerArn,
          listenerArn: listener.arn,
          ruleArn: rule.arn,
          hosts: hostsOf(rule.conditions),
          targetGroups: view(rule.actions),
        });
      }
    }
    return routes;
  }

  weightLog(): readonly WeightChange[] {
    return this.state.weightLog();
  }

  /** Calls `listener` with every weight change as it happens (chaos runs act on writes); returns the unsubscribe. */
  onWeightChange(listener: (change: WeightChange) => void): () => void {
    return this.state.onWeightChange(listener);
  }

  onTargetsChange(listener: (change: TargetsChange) => void): () => void {
    return this.state.onTargetsChange(listener);
  }

  targetGroups(): TargetGroupView[] {
    const attached = this.state.attachments();
    return [...this.state.targetGroups.values()].map((group) => ({
      arn: group.arn,
      name: group.name,
      loadBalancerArns: attached.get(group.arn) ?? [],
      tags: Object.fromEntries(group.tags),
      targets: group.targets.map((target) => ({ id: target.id, port: target.port, health: target.health })),
    }));
  }

  setTargetHealth(targetGroupArn: string, state: TargetHealthState, targetIds?: readonly string[]): void {
    setTargetHealth(this.state, targetGroupArn, state, targetIds);
  }
}
