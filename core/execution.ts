import type { DriftedRoute } from './gates';
import { type Plan, receivingTargetGroups, stepWeights } from './planner';
import { type Route, sameWeights, type Weights } from './routes';

/**
 * What the workflow's tasks derive from a stored plan and the live weights. Pure, so the handlers
 * only read, call these, and write.
 */

/** The compare-and-set writes of one step: from the previous step's weights to this step's. */
export const stepChanges = (plan: Plan, stepIndex: number) =>
  plan.routes.map((routePlan) => ({
    route: routePlan.route,
    expected: stepWeights(plan, routePlan, stepIndex - 1),
    desired: stepWeights(plan, routePlan, stepIndex),
  }));

/** Receiving target groups, each labelled `<route> → <cluster>` (first route it appears on). */
export const receiverLabels = (plan: Plan): Map<string, string> => {
  const receivers = new Map<string, string>();
  for (const routePlan of plan.routes) {
    for (const arn of receivingTargetGroups(routePlan)) {
      const cluster = routePlan.route.targets.find((t) => t.targetGroupArn === arn)?.cluster;
      if (!receivers.has(arn)) receivers.set(arn, `${routePlan.route.name} → ${cluster}`);
    }
  }
  return receivers;
};

/** Routes whose live weights differ from what the last applied step wrote. */
export const driftedRoutes = (
  plan: Plan,
  appliedStepIndex: number,
  live: ReadonlyMap<string, Weights>,
): DriftedRoute[] =>
  plan.routes.flatMap((routePlan) => {
    const expected = stepWeights(plan, routePlan, appliedStepIndex);
    const liveWeights = live.get(routePlan.route.id) ?? {};
    return sameWeights(expected, liveWeights)
      ? []
      : [{ id: routePlan.route.id, name: routePlan.route.name, expected, live: liveWeights }];
  });

/**
 * How to roll back: routes at a weight this execution may have written go back to their snapshot;
 * routes at the snapshot already are counted; anything else was changed by someone else and is
 * left as found. A step can fail halfway before it is recorded, so the step after the last
 * recorded one counts as possibly written too — when it was started (`nextStepStarted`: its
 * write-ahead `writing` record exists). A step never started wrote nothing: a route at its weights
 * was put there by someone else, and is left as found.
 */
export const rollbackChanges = (
  plan: Plan,
  appliedStepIndex: number,
  live: ReadonlyMap<string, Weights>,
  nextStepStarted = true,
) => {
  const changes: { route: Route; expected: Weights; desired: Weights }[] = [];
  const leftAsFound: string[] = [];
  let alreadyAtSnapshot = 0;
  const lastPossible = Math.min(appliedStepIndex + (nextStepStarted ? 1 : 0), plan.steps.length - 1);
  for (const routePlan of plan.routes) {
    const current = live.get(routePlan.route.id) ?? {};
    if (sameWeights(current, routePlan.from)) {
      alreadyAtSnapshot += 1;
      continue;
    }
    let ours = false;
    for (let index = 0; index <= lastPossible && !ours; index++) {
      ours = sameWeights(current, stepWeights(plan, routePlan, index));
    }
    if (ours) changes.push({ route: routePlan.route, expected: current, desired: routePlan.from });
    else leftAsFound.push(routePlan.route.name);
  }
  return { changes, leftAsFound, alreadyAtSnapshot };
};

/** The drained cluster's target groups on the planned routes, with their load balancer and route names. */
export const drainedTargetGroups = (plan: Plan, cluster: string | undefined) => {
  const drained = new Map<string, { loadBalancerArn: string; routes: string[] }>();
  for (const { route } of plan.routes) {
    for (const target of route.targets) {
      if (target.cluster !== cluster) continue;
      const entry = drained.get(target.targetGroupArn) ?? {
        loadBalancerArn: route.loadBalancerArn,
        routes: [],
      };
      entry.routes.push(route.name);
      drained.set(target.targetGroupArn, entry);
    }
  }
  return drained;
};

/**
 * Whether a failed drain's baseline should go: when every route is back at its snapshot (nothing
 * written, or a complete rollback), the cluster is not drained, and a baseline left behind would
 * make a later restore undo whatever shifts came in between. A hold, a partial rollback or a
 * failed rollback keeps it: the cluster may still be partly drained and restore must find it.
 */
export const failedDrainLeavesNoBaseline = (failure: {
  readonly action: string;
  readonly wroteAnything: boolean;
  readonly rollback?: { readonly mode?: unknown; readonly leftAsFound?: unknown };
  readonly rollbackFailed: boolean;
}): boolean => {
  if (failure.action !== 'drain' || failure.rollbackFailed) return false;
  if (!failure.wroteAnything) return true;
  const { rollback } = failure;
  const leftAsFound = Array.isArray(rollback?.leftAsFound) ? rollback.leftAsFound : [];
  return rollback?.mode === 'rollback' && leftAsFound.length === 0;
};
