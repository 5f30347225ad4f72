/**
 * The route model: one forward action that clustershift manages (a listener rule, or a listener's
 * default action), with one weight per target group.
 */

/** Integer weight per target group ARN (ALB: 0–999). */
export type Weights = Readonly<Record<string, number>>;

export const MAX_WEIGHT = 999;
export const MAX_TARGET_GROUPS_PER_FORWARD = 5;

export interface RouteTarget {
  readonly targetGroupArn: string;
  /** The configured cluster owning this target group; null when it belongs to none (never written). */
  readonly cluster: string | null;
}

export interface Route {
  /** Rule ARN for a rule, listener ARN for a listener's default action. */
  readonly id: string;
  readonly kind: 'rule' | 'default';
  readonly listenerArn: string;
  readonly loadBalancerArn: string;
  /** What an operator recognises: host and path conditions, or `default :443`. */
  readonly name: string;
  readonly targets: readonly RouteTarget[];
  /** Tagged as managed by the AWS Load Balancer Controller, which would revert our writes. */
  readonly controllerOwned: boolean;
}

/** A route with the weights read from the load balancer. */
export interface RouteState extends Route {
  readonly weights: Weights;
}

/** Where a health figure was read: CloudWatch's HealthyHostCount/UnHealthyHostCount, or DescribeTargetHealth. */
export type HealthSource = 'cloudwatch' | 'live';

export interface TargetGroupHealth {
  readonly healthy: number;
  readonly total: number;
  /** Where it was read, and as of when (CloudWatch: the datapoint's minute; live: the read). */
  readonly source?: HealthSource;
  readonly at?: Date;
}

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export const totalWeight = (weights: Weights): number =>
  Object.values(weights).reduce((sum, w) => sum + w, 0);

export const sameWeights = (a: Weights, b: Weights): boolean => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if ((a[key] ?? 0) !== (b[key] ?? 0)) return false;
  return true;
};

/** Sum of weights per cluster on one route; target groups of no cluster are left out. */
export const clusterWeights = (route: Route, weights: Weights): Record<string, number> => {
  const result: Record<string, number> = {};
  for (const target of route.targets) {
    if (target.cluster === null) continue;
    result[target.cluster] = (result[target.cluster] ?? 0) + (weights[target.targetGroupArn] ?? 0);
  }
  return result;
};

/** A cluster's fraction (0–1) of a route's weight; 0 for a route with no weight at all. */
export const clusterShare = (route: Route, weights: Weights, cluster: string): number => {
  const total = totalWeight(weights);
  if (total === 0) return 0;
  return (clusterWeights(route, weights)[cluster] ?? 0) / total;
};

/**
 * A cluster's share of the fleet's traffic, weighting every route the same (the load balancer does
 * not tell us the request rate per route ahead of time). Routes not on the cluster count as 0.
 */
export const fleetShare = (
  routes: readonly { route: Route; weights: Weights }[],
  cluster: string,
): number => {
  const counted = routes.filter(({ weights }) => totalWeight(weights) > 0);
  if (counted.length === 0) return 0;
  return (
    counted.reduce((sum, { route, weights }) => sum + clusterShare(route, weights, cluster), 0) /
    counted.length
  );
};

/** Formats weights per cluster, e.g. `blue=25 green=75`. */
export const describeClusterWeights = (route: Route, weights: Weights): string =>
  Object.entries(clusterWeights(route, weights))
    .map(([cluster, weight]) => `${cluster}=${weight}`)
    .join(' ');
