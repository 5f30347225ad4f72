import type { TwinClock } from '../clock';
import type { MetricQuery, MetricSource } from '../cloudwatch/metric-source';
import type {
  Elbv2View,
  ForwardRouteView,
  TargetGroupView,
  TargetsChange,
  WeightChange,
} from '../elbv2/view';
import { TwinError } from '../errors';
import {
  listenerArnOfForward,
  loadBalancerArnOfForward,
  loadBalancerDimension,
  targetGroupDimension,
} from './arns';
import { countHealth, HealthLog } from './health-log';
import { type RouteInfo, TrafficLedger } from './ledger';
import { answerMetric, metricKind, type TrafficReadings } from './metrics';
import { buildSnapshot, type TrafficSnapshot } from './snapshot';

export interface TrafficModelOptions {
  readonly clock: TwinClock;
  readonly elbv2: Elbv2View;
  /** Requests per second each forward (rule or default action) receives. Default 20. */
  readonly ratePerRoute?: number | ((route: ForwardRouteView) => number) | undefined;
  /** Share of requests every target group answers with 5xx until told otherwise. Default 0. */
  readonly errorRate?: number | undefined;
  /** Target-group tag naming its cluster. Default `clustershift:cluster`. */
  readonly clusterTagKey?: string | undefined;
}

export interface ClusterErrorRate {
  readonly cluster: string;
  readonly tagKey: string;
  readonly fraction: number;
}

export interface ErrorRates {
  readonly baseline: number;
  /** Cluster-wide settings, oldest first; later ones win for target groups in both. */
  readonly clusters: readonly ClusterErrorRate[];
  /** Every target group answering some 5xx now. */
  readonly targetGroups: readonly { arn: string; cluster?: string; fraction: number }[];
}

const DEFAULT_RATE = 20;
const DEFAULT_CLUSTER_TAG = 'clustershift:cluster';

const checkFraction = (fraction: number, what: string): number => {
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) {
    throw new TwinError('ValidationError', `${what} must be a number from 0 to 1, got ${String(fraction)}`);
  }
  return fraction;
};

/**
 * The twin's traffic: every forward receives a steady request rate, split between its target
 * groups by the live weights (the ELBv2 twin's weight log, so the past stays exact), with a share of
 * 5xx per target group for sick clusters. Answers CloudWatch's AWS/ApplicationELB metrics as exact
 * integrals of that — deterministic, no sampling — and gives a live snapshot for the CLI and admin.
 *
 * Routing follows weights only: ALB keeps sending a target group its share whether its targets are
 * healthy or not (it fails open when none is), so health shows in RequestCountPerTarget and
 * HealthyHostCount, and in 5xx only through the error rates set here.
 */
export class TrafficModel {
  /** Plug into the CloudWatch twin; undefined for metrics this model does not produce. */
  readonly metricSource: MetricSource;
  private readonly clock: TwinClock;
  private readonly elbv2: Elbv2View;
  private readonly rate: number | ((route: ForwardRouteView) => number);
  private readonly baseline: number;
  private readonly clusterTagKey: string;
  private ledger: TrafficLedger;
  private ingested = 0;
  private lastIngested: WeightChange | undefined;
  private readonly health = new Map<string, HealthLog>();
  private healthFresh = false;
  private viewsRefreshedThisBatch = false;
  /** Latest view of every target group ever seen (kept after deletion for its cluster tag). */
  private readonly views = new Map<string, TargetGroupView>();
  private readonly arnByDimension = new Map<string, string>();
  private readonly hosts = new Map<string, readonly string[]>();
  private readonly clusterRates = new Map<string, ClusterErrorRate>();
  /** Error rates set on target groups (directly or through their cluster); they outlive a rebuild. */
  private readonly targetGroupRates = new Map<string, number>();

  constructor(options: TrafficModelOptions) {
    this.clock = options.clock;
    this.elbv2 = options.elbv2;
    const rate = options.ratePerRoute ?? DEFAULT_RATE;
    if (typeof rate === 'number' && !(rate >= 0 && Number.isFinite(rate))) {
      throw new TwinError('ValidationError', `ratePerRoute must be a finite number >= 0, got ${rate}`);
    }
    this.rate = rate;
    this.baseline = checkFraction(options.errorRate ?? 0, 'errorRate');
    this.clusterTagKey = options.clusterTagKey ?? DEFAULT_CLUSTER_TAG;
    this.ledger = this.newLedger();
    this.metricSource = (query) => this.answer(query);
    // Health is stamped when it changes, not when a query first looks: a target group seeded or
    // created before anyone asked has HealthyHostCount datapoints from its creation on, as in AWS.
    this.elbv2.onTargetsChange((change) => this.recordTargets(change));
    this.sync();
  }

  /**
   * Catch up with the ELBv2 twin: new weight-log entries, and target health as of now. Queries do
   * this themselves, and the ELBv2 view reports each change of targets as it happens (onTargetsChange).
   */
  sync(): void {
    this.ingestWeights();
    this.observeHealth();
  }

  /** From now on, `fraction` of the requests to the cluster's target groups get a 5xx. Returns their ARNs. */
  setClusterErrorRate(cluster: string, fraction: number, tagKey: string = this.clusterTagKey): string[] {
    checkFraction(fraction, 'error rate');
    this.sync();
    const arns = [...this.views.values()]
      .filter((view) => view.tags[tagKey] === cluster && this.health.get(view.arn)?.current !== undefined)
      .map((view) => view.arn);
    if (arns.length === 0) {
      throw new TwinError('ValidationError', `no target group is tagged ${tagKey}=${cluster}`);
    }
    const key = `${tagKey}\u0000${cluster}`;
    this.clusterRates.delete(key);
    this.clusterRates.set(key, { cluster, tagKey, fraction });
    const at = this.clock.now();
    for (const arn of arns) {
      this.targetGroupRates.set(arn, fraction);
      this.ledger.setErrorRate(at, arn, fraction);
    }
    return arns;
  }

  /** From now on, `fraction` of the requests to the target group get a 5xx. */
  setTargetGroupErrorRate(targetGroupArn: string, fraction: number): void {
    checkFraction(fraction, 'error rate');
    this.sync();
    if (!this.views.has(targetGroupArn) && this.ledger.targetGroupByArn(targetGroupArn) === undefined) {
      throw new TwinError('TargetGroupNotFound', `One or more target groups not found: ${targetGroupArn}`);
    }
    this.targetGroupRates.set(targetGroupArn, fraction);
    this.ledger.setErrorRate(this.clock.now(), targetGroupArn, fraction);
  }

  errorRates(): ErrorRates {
    this.ingestWeights();
    const targetGroups = [...this.ledger.targetGroups()]
      .map((group) => {
        const cluster = this.clusterOf(group.arn);
        return {
          arn: group.arn,
          ...(cluster === undefined ? {} : { cluster }),
          fraction: group.errorRate.current,
        };
      })
      .filter((group) => group.fraction > 0);
    return { baseline: this.baseline, clusters: [...this.clusterRates.values()], targetGroups };
  }

  /** Requests per second per cluster and per route at `at` (twin epoch ms; default now). */
  snapshot(at: number = this.clock.now()): TrafficSnapshot {
    this.sync();
    for (const route of this.elbv2.routes()) this.hosts.set(route.key, route.hosts);
    return buildSnapshot(
      {
        ledger: this.ledger,
        clusterOf: (arn) => this.clusterOf(arn),
        knownTargetGroups: () => this.health.keys(),
        healthAt: (arn, time) => this.health.get(arn)?.at(time),
        hostsOf: (key) => this.hosts.get(key) ?? [],
      },
      at,
    );
  }

  /**
   * Requests the target group received between `from` and `to` (twin epoch ms), exactly: the
   * integral of its request rate, for figures such as the requests a failover left on a sick cluster.
   */
  requestsServed(targetGroupArn: string, from: number, to: number): number {
    this.ingestWeights();
    const series = this.ledger.targetGroupByArn(targetGroupArn)?.served.series;
    return series === undefined ? 0 : series.integral(to) - series.integral(from);
  }

  private answer(query: MetricQuery): ReturnType<MetricSource> {
    const kind = metricKind(query);
    if (kind === undefined) return undefined;
    this.ingestWeights();
    if (kind.needsHealth) this.observeHealthOncePerTask();
    const readings: TrafficReadings = {
      ledger: this.ledger,
      healthOf: (targetGroup) => this.health.get(this.arnByDimension.get(targetGroup) ?? ''),
      attached: (targetGroup, loadBalancer) =>
        (this.views.get(this.arnByDimension.get(targetGroup) ?? '')?.loadBalancerArns ?? []).some(
          (arn) => loadBalancerDimension(arn) === loadBalancer,
        ),
    };
    return answerMetric(query, readings, this.clock.now());
  }

  private clusterOf(targetGroupArn: string): string | undefined {
    return this.views.get(targetGroupArn)?.tags[this.clusterTagKey];
  }

  private newLedger(): TrafficLedger {
    return new TrafficLedger((arn) => this.initialErrorRate(arn));
  }

  /** A target group's error rate when the ledger first meets it: set on it, on its cluster, or the baseline. */
  private initialErrorRate(targetGroupArn: string): number {
    const set = this.targetGroupRates.get(targetGroupArn);
    if (set !== undefined) return set;
    if (this.clusterRates.size === 0) return this.baseline;
    // A target group created since health was last read: read once more per batch of log entries.
    if (!this.views.has(targetGroupArn) && !this.viewsRefreshedThisBatch) {
      this.observeHealth();
      this.viewsRefreshedThisBatch = true;
    }
    const tags = this.views.get(targetGroupArn)?.tags ?? {};
    const matching = [...this.clusterRates.values()].filter((rule) => tags[rule.tagKey] === rule.cluster);
    return matching.at(-1)?.fraction ?? this.baseline;
  }

  private ingestWeights(): void {
    const log = this.elbv2.weightLog();
    const last = this.lastIngested;
    const seen = log[this.ingested - 1];
    if (
      log.length < this.ingested ||
      (last !== undefined && (seen?.at !== last.at || seen.key !== last.key))
    ) {
      // The log is append-only by contract; if it was replaced anyway, replay it from the start
      // (error rates carry over as they are now, their history is lost).
      this.ledger = this.newLedger();
      this.ingested = 0;
      this.lastIngested = undefined;
    }
    if (log.length === this.ingested) return;
    this.viewsRefreshedThisBatch = false;
    let live: Map<string, ForwardRouteView> | undefined;
    const describe = (change: WeightChange): RouteInfo => {
      live ??= new Map(this.elbv2.routes().map((route) => [route.key, route]));
      return this.describeRoute(change, live.get(change.key));
    };
    for (let index = this.ingested; index < log.length; index++) {
      const change = log[index];
      if (change !== undefined) this.ledger.applyWeights(change, describe);
    }
    this.ingested = log.length;
    this.lastIngested = log[log.length - 1];
  }

  private describeRoute(change: WeightChange, view: ForwardRouteView | undefined): RouteInfo {
    const loadBalancerArn = view?.loadBalancerArn ?? loadBalancerArnOfForward(change.key) ?? change.key;
    if (view !== undefined) this.hosts.set(change.key, view.hosts);
    const route: ForwardRouteView = view ?? {
      key: change.key,
      loadBalancerArn,
      listenerArn: listenerArnOfForward(change.key),
      hosts: [],
      targetGroups: change.targetGroups,
    };
    const rate = typeof this.rate === 'number' ? this.rate : this.rate(route);
    if (!(rate >= 0 && Number.isFinite(rate))) {
      throw new TwinError(
        'InternalFailure',
        `the traffic model's ratePerRoute gave ${rate} for ${change.key}; it must be a finite number >= 0`,
        500,
        'Receiver',
      );
    }
    return { loadBalancerArn, loadBalancer: loadBalancerDimension(loadBalancerArn), rate };
  }

  /**
   * A GetMetricData of 500 queries would otherwise read every target group's health 500 times.
   * Health changes arrive from other requests (other tasks), or are followed by `sync`, so one
   * reading per synchronous run of queries loses nothing.
   */
  private observeHealthOncePerTask(): void {
    if (this.healthFresh) return;
    this.observeHealth();
    this.healthFresh = true;
    queueMicrotask(() => {
      this.healthFresh = false;
    });
  }

  private recordTargets(change: TargetsChange): void {
    this.arnByDimension.set(targetGroupDimension(change.targetGroupArn), change.targetGroupArn);
    let log = this.health.get(change.targetGroupArn);
    if (log === undefined) {
      log = new HealthLog();
      this.health.set(change.targetGroupArn, log);
    }
    log.record(change.at, countHealth(change.targets));
  }

  private observeHealth(): void {
    const at = this.clock.now();
    const present = new Set<string>();
    for (const view of this.elbv2.targetGroups()) {
      present.add(view.arn);
      this.views.set(view.arn, view);
      this.arnByDimension.set(targetGroupDimension(view.arn), view.arn);
      let log = this.health.get(view.arn);
      if (log === undefined) {
        log = new HealthLog();
        this.health.set(view.arn, log);
      }
      log.record(at, countHealth(view.targets));
    }
    for (const [arn, log] of this.health) if (!present.has(arn)) log.record(at, undefined);
  }
}
