import { largestRemainder } from './apportion';
import { MAX_WEIGHT, type RouteState, type Weights } from './routes';

/**
 * Target weights (W1) for one route. Each returns the new weights, or a reason the route cannot be
 * planned. Target groups of no configured cluster keep their weight in every case.
 */
export type TargetResult =
  | { ok: true; to: Weights }
  | { ok: false; reason: 'no-receiver' | 'no-baseline' | 'dark' };

const managedTargets = (route: RouteState) => route.targets.filter((t) => t.cluster !== null);

/** Adds `amount` to the receivers in proportion to their weights, never above MAX_WEIGHT each. */
const handOver = (weights: Record<string, number>, receivers: readonly string[], amount: number): void => {
  let left = amount;
  let open = receivers.filter((arn) => (weights[arn] ?? 0) < MAX_WEIGHT);
  // Water-filling: a receiver that hits the cap passes its overflow to the others; what nobody can
  // take is dropped (the route's total shrinks, the shares are still right).
  while (left > 0 && open.length > 0) {
    const parts = largestRemainder(
      left,
      open.map((arn) => weights[arn] ?? 0),
    );
    let overflow = 0;
    open.forEach((arn, index) => {
      const wanted = (weights[arn] ?? 0) + (parts[index] ?? 0);
      weights[arn] = Math.min(MAX_WEIGHT, wanted);
      overflow += wanted - (weights[arn] ?? 0);
    });
    left = overflow;
    open = open.filter((arn) => (weights[arn] ?? 0) < MAX_WEIGHT);
  }
};

/**
 * Drain (or fail over) `cluster` on one route: its target groups go to 0 and their weight goes to the
 * receivers (other clusters' target groups, limited to `receiverClusters` when given) in proportion
 * to the receivers' current weights, equally where all are 0.
 */
export const drainTarget = (
  route: RouteState,
  cluster: string,
  receiverClusters?: ReadonlySet<string>,
  receiverTargetGroups?: ReadonlySet<string>,
): TargetResult => {
  const weights: Record<string, number> = { ...route.weights };
  const drained = managedTargets(route).filter((t) => t.cluster === cluster);
  const amount = drained.reduce((sum, t) => sum + (weights[t.targetGroupArn] ?? 0), 0);
  if (amount === 0) return { ok: true, to: weights };
  const receivers = managedTargets(route)
    .filter(
      (t) =>
        t.cluster !== cluster &&
        (receiverClusters === undefined || receiverClusters.has(t.cluster ?? '')) &&
        (receiverTargetGroups === undefined || receiverTargetGroups.has(t.targetGroupArn)),
    )
    .map((t) => t.targetGroupArn);
  if (receivers.length === 0) return { ok: false, reason: 'no-receiver' };
  for (const t of drained) weights[t.targetGroupArn] = 0;
  handOver(weights, receivers, amount);
  return { ok: true, to: weights };
};

/**
 * An explicit split: `percents` per cluster (summing to 100 over the fleet). On a route that lacks
 * some clusters, the percentages of the clusters present are scaled up to fill the route.
 */
export const shiftTarget = (route: RouteState, percents: Readonly<Record<string, number>>): TargetResult => {
  const managed = managedTargets(route);
  const clusters = [...new Set(managed.map((t) => t.cluster as string))];
  const clusterPercents = clusters.map((c) => percents[c] ?? 0);
  if (clusterPercents.every((p) => p === 0)) return { ok: false, reason: 'dark' };
  const managedTotal = managed.reduce((sum, t) => sum + (route.weights[t.targetGroupArn] ?? 0), 0);
  // A route with no weight at all has no total to keep; 100 makes the percentages literal.
  let total = managedTotal > 0 ? managedTotal : 100;
  for (;;) {
    const weights: Record<string, number> = { ...route.weights };
    const perCluster = largestRemainder(total, clusterPercents);
    clusters.forEach((cluster, index) => {
      const groups = managed.filter((t) => t.cluster === cluster);
      const parts = largestRemainder(
        perCluster[index] ?? 0,
        groups.map((t) => route.weights[t.targetGroupArn] ?? 0),
      );
      groups.forEach((t, i) => {
        weights[t.targetGroupArn] = parts[i] ?? 0;
      });
    });
    const highest = Math.max(...managed.map((t) => weights[t.targetGroupArn] ?? 0));
    if (highest <= MAX_WEIGHT) return { ok: true, to: weights };
    total = Math.floor((total * MAX_WEIGHT) / highest);
  }
};

/** Back to the weights recorded when the drain started, for the target groups the route still has. */
export const restoreTarget = (route: RouteState, baseline: Weights | undefined): TargetResult => {
  if (baseline === undefined) return { ok: false, reason: 'no-baseline' };
  const weights: Record<string, number> = { ...route.weights };
  for (const t of managedTargets(route)) {
    const recorded = baseline[t.targetGroupArn];
    if (recorded !== undefined) weights[t.targetGroupArn] = recorded;
  }
  return { ok: true, to: weights };
};
