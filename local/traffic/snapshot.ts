import type { HealthCounts } from './health-log';
import type { RouteEntry, TrafficLedger } from './ledger';

export interface TargetGroupRate {
  readonly arn: string;
  readonly cluster?: string;
  readonly weight: number;
  readonly requestsPerSecond: number;
  readonly target5xxPerSecond: number;
}

export interface RouteRate {
  /** Rule ARN, or listener ARN for a default action. */
  readonly key: string;
  readonly loadBalancerArn: string;
  readonly hosts: readonly string[];
  /** Requests per second reaching a target group. */
  readonly requestsPerSecond: number;
  /** Requests per second the ALB answers 503 itself because every weight is 0. */
  readonly rejectedPerSecond: number;
  readonly targetGroups: readonly TargetGroupRate[];
}

export interface ClusterRate {
  readonly cluster: string;
  readonly requestsPerSecond: number;
  readonly target5xxPerSecond: number;
  readonly healthyTargets: number;
  readonly unhealthyTargets: number;
}

/** Traffic at one instant: what the CLI's live view and the admin endpoint show. */
export interface TrafficSnapshot {
  /** Twin time, ISO 8601. */
  readonly at: string;
  readonly requestsPerSecond: number;
  readonly rejectedPerSecond: number;
  readonly target5xxPerSecond: number;
  /** Clusters by name; target groups without the cluster tag are in no cluster. */
  readonly clusters: readonly ClusterRate[];
  readonly routes: readonly RouteRate[];
}

export interface SnapshotContext {
  readonly ledger: TrafficLedger;
  clusterOf(targetGroupArn: string): string | undefined;
  /** Every target group ARN with its cluster, including ones no route forwards to. */
  knownTargetGroups(): Iterable<string>;
  healthAt(targetGroupArn: string, at: number): HealthCounts | undefined;
  hostsOf(routeKey: string): readonly string[];
}

const entryAt = (history: readonly RouteEntry[], at: number): RouteEntry | undefined =>
  history.findLast((entry) => entry.at <= at);

const emptyCluster = (cluster: string): ClusterRate => ({
  cluster,
  requestsPerSecond: 0,
  target5xxPerSecond: 0,
  healthyTargets: 0,
  unhealthyTargets: 0,
});

export const buildSnapshot = (context: SnapshotContext, at: number): TrafficSnapshot => {
  const routes: RouteRate[] = [];
  const clusters = new Map<string, ClusterRate>();
  const addToCluster = (cluster: string | undefined, change: Partial<ClusterRate>): void => {
    if (cluster === undefined) return;
    const current = clusters.get(cluster) ?? emptyCluster(cluster);
    clusters.set(cluster, {
      cluster,
      requestsPerSecond: current.requestsPerSecond + (change.requestsPerSecond ?? 0),
      target5xxPerSecond: current.target5xxPerSecond + (change.target5xxPerSecond ?? 0),
      healthyTargets: current.healthyTargets + (change.healthyTargets ?? 0),
      unhealthyTargets: current.unhealthyTargets + (change.unhealthyTargets ?? 0),
    });
  };

  for (const arn of context.knownTargetGroups()) {
    const health = context.healthAt(arn, at);
    if (health === undefined) continue;
    addToCluster(context.clusterOf(arn), {
      healthyTargets: health.healthy,
      unhealthyTargets: health.unhealthy,
    });
  }

  for (const route of context.ledger.routes()) {
    const entry = entryAt(route.history, at);
    // Not created yet at `at`, or deleted (an empty forward).
    if (entry === undefined || entry.targetGroups.length === 0) continue;
    const total = entry.targetGroups.reduce((sum, group) => sum + Math.max(0, group.weight), 0);
    const targetGroups = entry.targetGroups.map((group): TargetGroupRate => {
      const requestsPerSecond = total > 0 ? (route.rate * Math.max(0, group.weight)) / total : 0;
      const errorRate = context.ledger.targetGroupByArn(group.arn)?.errorRate.valueAt(at) ?? 0;
      const cluster = context.clusterOf(group.arn);
      const rate = { requestsPerSecond, target5xxPerSecond: requestsPerSecond * errorRate };
      addToCluster(cluster, rate);
      return { arn: group.arn, ...(cluster === undefined ? {} : { cluster }), weight: group.weight, ...rate };
    });
    routes.push({
      key: route.key,
      loadBalancerArn: route.loadBalancerArn,
      hosts: context.hostsOf(route.key),
      requestsPerSecond: total > 0 ? route.rate : 0,
      rejectedPerSecond: total > 0 ? 0 : route.rate,
      targetGroups,
    });
  }

  const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
  return {
    at: new Date(at).toISOString(),
    requestsPerSecond: sum(routes.map((route) => route.requestsPerSecond)),
    rejectedPerSecond: sum(routes.map((route) => route.rejectedPerSecond)),
    target5xxPerSecond: sum(
      routes.flatMap((route) => route.targetGroups.map((group) => group.target5xxPerSecond)),
    ),
    clusters: [...clusters.values()].sort((a, b) => a.cluster.localeCompare(b.cluster)),
    routes,
  };
};
