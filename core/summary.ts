import type { Violation } from './guardrails';
import { type Plan, stepWeights } from './planner';
import { describeClusterWeights, fleetShare, type Route, type Weights } from './routes';

export interface PlanSummary {
  readonly action: Plan['action'];
  readonly cluster?: string;
  readonly routesChanging: number;
  readonly routesUnchanged: number;
  readonly held: Plan['held'];
  readonly forced: readonly { guardrail: string; routes: readonly string[] }[];
  /** Per step: its fraction and each cluster's mean share (0–1) over the changing routes. */
  readonly steps: readonly { index: number; fraction: number; shares: Record<string, number> }[];
  /** Up to `maxRoutes` routes with their weights before and after each step. */
  readonly routes: readonly { name: string; before: string; steps: string[] }[];
  readonly routesOmitted: number;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/** Each cluster's mean share (0–1, three decimals) over the given routes and weights. */
export const clusterShares = (
  weighted: readonly { route: Route; weights: Weights }[],
  clusters: readonly string[],
): Record<string, number> =>
  Object.fromEntries(clusters.map((cluster) => [cluster, round(fleetShare(weighted, cluster))]));

/** A bounded, readable view of a plan: what a dry run returns and what history records. */
export const summarizePlan = (
  plan: Plan,
  clusters: readonly string[],
  forced: readonly Violation[] = [],
  maxRoutes = 25,
): PlanSummary => ({
  action: plan.action,
  ...(plan.cluster === undefined ? {} : { cluster: plan.cluster }),
  routesChanging: plan.routes.length,
  routesUnchanged: plan.unchanged,
  held: plan.held.slice(0, maxRoutes),
  forced: forced.map((v) => ({ guardrail: v.guardrail, routes: v.routes.slice(0, maxRoutes) })),
  steps: plan.steps.map((fraction, index) => {
    const weighted = plan.routes.map((r) => ({ route: r.route, weights: stepWeights(plan, r, index) }));
    return {
      index,
      fraction,
      shares: clusterShares(weighted, clusters),
    };
  }),
  routes: plan.routes.slice(0, maxRoutes).map((r) => ({
    name: r.route.name,
    before: describeClusterWeights(r.route, r.from),
    steps: plan.steps.map((_, index) => describeClusterWeights(r.route, stepWeights(plan, r, index))),
  })),
  routesOmitted: Math.max(0, plan.routes.length - maxRoutes),
});
