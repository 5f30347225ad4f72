import { TwinClock } from '../../../local/clock';
import type { Datapoint, MetricQuery } from '../../../local/cloudwatch/metric-source';
import type {
  Elbv2View,
  ForwardRouteView,
  TargetGroupView,
  TargetHealthState,
  TargetsChange,
  TargetView,
  WeightChange,
} from '../../../local/elbv2/view';
import { TwinError } from '../../../local/errors';
import type { TrafficModel } from '../../../local/traffic/model';

/** Monday 2025-01-06 12:00:00 UTC: on the hour, so minute and 5-minute periods start here. */
export const T0 = Date.UTC(2025, 0, 6, 12, 0, 0);
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

const PREFIX = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012';
const LB_ID = '50dc6c495c0c9188';
const LISTENER_ID = 'f2f7dc8efc522ab2';
const TG_ID = '73e2d6bc24d8a067';

export const loadBalancerArn = (name: string): string => `${PREFIX}:loadbalancer/app/${name}/${LB_ID}`;
export const targetGroupArn = (name: string): string => `${PREFIX}:targetgroup/${name}/${TG_ID}`;
/** Dimension values, written out as CloudWatch shows them (not derived by the code under test). */
export const lbDimension = (name: string): string => `app/${name}/${LB_ID}`;
export const tgDimension = (name: string): string => `targetgroup/${name}/${TG_ID}`;

/** A twin clock that only moves when advanced. */
export const frozenClock = (start = T0): TwinClock => new TwinClock(1, () => 0, start);

interface MutableTargetGroup {
  arn: string;
  name: string;
  loadBalancerArns: string[];
  tags: Record<string, string>;
  targets: TargetView[];
}

/** Just enough of the ELBv2 twin's view for the traffic model: forwards, their weight log, target health. */
export class FakeElbv2 implements Elbv2View {
  private readonly log: WeightChange[] = [];
  private readonly forwards = new Map<string, ForwardRouteView>();
  private readonly groups = new Map<string, MutableTargetGroup>();
  private readonly targetListeners = new Set<(change: TargetsChange) => void>();

  constructor(private readonly clock: TwinClock) {}

  onTargetsChange(listener: (change: TargetsChange) => void): () => void {
    this.targetListeners.add(listener);
    return () => this.targetListeners.delete(listener);
  }

  private targetsChanged(group: MutableTargetGroup): void {
    const change = { at: this.clock.now(), targetGroupArn: group.arn, targets: [...group.targets] };
    for (const listener of this.targetListeners) listener(change);
  }

  addTargetGroup(
    name: string,
    options: { cluster?: string; targets?: number; loadBalancer?: string } = {},
  ): string {
    const arn = targetGroupArn(name);
    const group: MutableTargetGroup = {
      arn,
      name,
      loadBalancerArns: [loadBalancerArn(options.loadBalancer ?? 'shop')],
      tags: options.cluster === undefined ? {} : { 'clustershift:cluster': options.cluster },
      targets: Array.from({ length: options.targets ?? 2 }, (_, i) => ({
        id: `10.0.0.${i + 1}`,
        port: 8080,
        health: 'healthy' as const,
      })),
    };
    this.groups.set(arn, group);
    this.targetsChanged(group);
    return arn;
  }

  /** A listener rule forwarding to target groups by name with these weights; returns its ARN. */
  addRoute(ruleId: string, weights: Record<string, number>, loadBalancer = 'shop'): string {
    const key = `${PREFIX}:listener-rule/app/${loadBalancer}/${LB_ID}/${LISTENER_ID}/${ruleId}`;
    this.forwards.set(key, {
      key,
      loadBalancerArn: loadBalancerArn(loadBalancer),
      listenerArn: `${PREFIX}:listener/app/${loadBalancer}/${LB_ID}/${LISTENER_ID}`,
      ruleArn: key,
      hosts: [`${ruleId}.example.com`],
      targetGroups: [],
    });
    this.setWeights(key, weights);
    return key;
  }

  setWeights(key: string, weights: Record<string, number>): void {
    const route = this.forwards.get(key);
    if (route === undefined) throw new Error(`no route ${key}`);
    const targetGroups = Object.entries(weights).map(([name, weight]) => ({
      arn: targetGroupArn(name),
      weight,
    }));
    this.forwards.set(key, { ...route, targetGroups });
    this.log.push({ at: this.clock.now(), key, targetGroups });
  }

  /** Deleting a rule logs an empty forward. */
  deleteRoute(key: string): void {
    this.forwards.delete(key);
    this.log.push({ at: this.clock.now(), key, targetGroups: [] });
  }

  routes(): ForwardRouteView[] {
    return [...this.forwards.values()];
  }

  weightLog(): readonly WeightChange[] {
    return this.log;
  }

  targetGroups(): TargetGroupView[] {
    return [...this.groups.values()].map((group) => ({ ...group, targets: [...group.targets] }));
  }

  setTargetHealth(arn: string, state: TargetHealthState, targetIds?: readonly string[]): void {
    const group = this.groups.get(arn);
    if (group === undefined)
      throw new TwinError('TargetGroupNotFound', `One or more target groups not found`);
    group.targets = group.targets.map((target) =>
      targetIds === undefined || targetIds.includes(target.id) ? { ...target, health: state } : target,
    );
    this.targetsChanged(group);
  }
}

/** A metric query over [from, to) in twin ms. */
export const albQuery = (
  metricName: string,
  dimensions: Record<string, string>,
  from: number,
  to: number,
  options: { period?: number; stat?: string } = {},
): MetricQuery => ({
  namespace: 'AWS/ApplicationELB',
  metricName,
  dimensions,
  start: new Date(from),
  end: new Date(to),
  period: options.period ?? 60,
  stat: options.stat ?? 'Sum',
});

/** Datapoints as [minutes after T0, value] pairs: easy to read in an assertion. */
export const points = (datapoints: Datapoint[] | undefined): [number, number][] =>
  (datapoints ?? []).map((point) => [(point.timestamp.getTime() - T0) / MINUTE, point.value]);

export const sumOf = (datapoints: Datapoint[] | undefined): number =>
  (datapoints ?? []).reduce((sum, point) => sum + point.value, 0);

/** RequestCount Sum per minute of one target group behind the `shop` load balancer. */
export const requestCounts = (model: TrafficModel, group: string, from = T0, to = T0 + 60 * MINUTE) =>
  points(
    model.metricSource(
      albQuery(
        'RequestCount',
        { LoadBalancer: lbDimension('shop'), TargetGroup: tgDimension(group) },
        from,
        to,
      ),
    ),
  );
