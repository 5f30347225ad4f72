import type { WeightChange, WeightedTargetGroup } from '../elbv2/view';
import { targetGroupDimension } from './arns';
import { StepSeries, SumSeries } from './step-series';

/** What the ledger needs to know about a forward the first time it sees it. */
export interface RouteInfo {
  readonly loadBalancerArn: string;
  /** LoadBalancer dimension value, `app/<name>/<id>`. */
  readonly loadBalancer: string;
  /** Requests per second the route receives. */
  readonly rate: number;
}

export interface RouteEntry {
  readonly at: number;
  readonly targetGroups: readonly WeightedTargetGroup[];
}

export interface RouteTraffic extends RouteInfo {
  readonly key: string;
  /** The route's weights over time, oldest first. */
  readonly history: readonly RouteEntry[];
}

interface RouteState extends RouteTraffic {
  readonly history: RouteEntry[];
  /** Requests per second per target group ARN, now. */
  shares: Map<string, number>;
}

/** One target group as seen from one load balancer: CloudWatch's {LoadBalancer, TargetGroup}. */
export class PairTraffic {
  /** Requests per second, by route key. */
  readonly served = new SumSeries();
  /** Target 5xx per second. */
  readonly target5xx = new StepSeries();
}

export class TargetGroupTraffic {
  readonly dimension: string;
  /** Requests per second over all load balancers, by route key. */
  readonly served = new SumSeries();
  /** Share of requests the targets answer with 5xx. */
  readonly errorRate = new StepSeries();
  readonly byLoadBalancer = new Map<string, PairTraffic>();

  constructor(readonly arn: string) {
    this.dimension = targetGroupDimension(arn);
  }

  pair(loadBalancer: string): PairTraffic {
    let pair = this.byLoadBalancer.get(loadBalancer);
    if (pair === undefined) {
      pair = new PairTraffic();
      this.byLoadBalancer.set(loadBalancer, pair);
    }
    return pair;
  }
}

export class LoadBalancerTraffic {
  /** Requests per second that reached a target group, by route key. */
  readonly served = new SumSeries();
  /** Target 5xx per second, by target group ARN. */
  readonly target5xx = new SumSeries();
  /** Requests per second the ALB answered 503 itself (all weights 0), by route key. */
  readonly rejected = new SumSeries();
}

const sumOfWeights = (targetGroups: readonly WeightedTargetGroup[]): number =>
  targetGroups.reduce((sum, group) => sum + Math.max(0, group.weight), 0);

/**
 * The traffic implied by the weight log and the error rates, as step functions of time per
 * target group, per (load balancer, target group) pair and per load balancer. Fed in time order;
 * an event older than the newest one already applied counts as happening at the newest one.
 */
export class TrafficLedger {
  private readonly routeStates = new Map<string, RouteState>();
  private readonly groups = new Map<string, TargetGroupTraffic>();
  private readonly groupsByDimension = new Map<string, TargetGroupTraffic>();
  private readonly balancers = new Map<string, LoadBalancerTraffic>();
  private lastAt = Number.NEGATIVE_INFINITY;

  /** `initialErrorRate` gives a target group's error share when the ledger first meets it. */
  constructor(private readonly initialErrorRate: (targetGroupArn: string) => number) {}

  routes(): Iterable<RouteTraffic> {
    return this.routeStates.values();
  }

  targetGroups(): Iterable<TargetGroupTraffic> {
    return this.groups.values();
  }

  targetGroupByArn(arn: string): TargetGroupTraffic | undefined {
    return this.groups.get(arn);
  }

  targetGroupByDimension(dimension: string): TargetGroupTraffic | undefined {
    return this.groupsByDimension.get(dimension);
  }

  loadBalancer(dimension: string): LoadBalancerTraffic | undefined {
    return this.balancers.get(dimension);
  }

  /** Applies one weight-log entry; `describe` is asked about a forward the first time only. */
  applyWeights(change: WeightChange, describe: (change: WeightChange) => RouteInfo): void {
    const at = this.stamp(change.at);
    let route = this.routeStates.get(change.key);
    if (route === undefined) {
      route = { ...describe(change), key: change.key, history: [], shares: new Map() };
      this.routeStates.set(change.key, route);
    }
    route.history.push({ at, targetGroups: change.targetGroups });

    const total = sumOfWeights(change.targetGroups);
    const shares = new Map<string, number>();
    if (total > 0) {
      for (const group of change.targetGroups) {
        if (group.weight > 0)
          shares.set(group.arn, (shares.get(group.arn) ?? 0) + (route.rate * group.weight) / total);
      }
    }
    for (const arn of new Set([...route.shares.keys(), ...shares.keys()])) {
      const group = this.targetGroup(arn, at);
      const share = shares.get(arn) ?? 0;
      group.pair(route.loadBalancer).served.set(at, route.key, share);
      group.served.set(at, route.key, share);
      this.refreshErrors(at, group, route.loadBalancer);
    }
    route.shares = shares;

    const balancer = this.balancerFor(route.loadBalancer);
    balancer.served.set(at, route.key, total > 0 ? route.rate : 0);
    // An empty forward means the route is gone; weights that sum to 0 make the ALB answer 503.
    balancer.rejected.set(at, route.key, total === 0 && change.targetGroups.length > 0 ? route.rate : 0);
  }

  /** From `at` on, `fraction` of the requests to the target group get a 5xx from its targets. */
  setErrorRate(at: number, targetGroupArn: string, fraction: number): void {
    const stamped = this.stamp(at);
    const group = this.targetGroup(targetGroupArn, stamped);
    group.errorRate.set(stamped, fraction);
    for (const loadBalancer of group.byLoadBalancer.keys()) this.refreshErrors(stamped, group, loadBalancer);
  }

  private refreshErrors(at: number, group: TargetGroupTraffic, loadBalancer: string): void {
    const pair = group.pair(loadBalancer);
    const errors = pair.served.series.current * group.errorRate.current;
    pair.target5xx.set(at, errors);
    this.balancerFor(loadBalancer).target5xx.set(at, group.arn, errors);
  }

  private targetGroup(arn: string, at: number): TargetGroupTraffic {
    let group = this.groups.get(arn);
    if (group === undefined) {
      group = new TargetGroupTraffic(arn);
      group.errorRate.set(at, this.initialErrorRate(arn));
      this.groups.set(arn, group);
      this.groupsByDimension.set(group.dimension, group);
    }
    return group;
  }

  private balancerFor(dimension: string): LoadBalancerTraffic {
    let balancer = this.balancers.get(dimension);
    if (balancer === undefined) {
      balancer = new LoadBalancerTraffic();
      this.balancers.set(dimension, balancer);
    }
    return balancer;
  }

  private stamp(at: number): number {
    this.lastAt = Math.max(this.lastAt, at);
    return this.lastAt;
  }
}
