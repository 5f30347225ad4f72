import type { FleetConfig } from './config';
import type { GuardrailName } from './guardrail-names';
import { weightsAt } from './interpolate';
import type { Action, ShiftRequest } from './request';
import { type Route, type RouteState, sameWeights, type Weights } from './routes';
import { drainTarget, restoreTarget, shiftTarget, type TargetResult } from './targets';

/** One route's move: from the live weights (the snapshot) to the target. */
export interface RoutePlan {
  readonly route: Route;
  readonly from: Weights;
  readonly to: Weights;
}

/** A route the plan leaves as it is, and why; a guardrail name makes it a refusal unless forced. */
export interface HeldRoute {
  readonly id: string;
  readonly name: string;
  readonly reason: string;
  readonly guardrail?: GuardrailName;
}

export interface Plan {
  readonly action: Action;
  readonly cluster?: string;
  /** Fractions of the way, strictly increasing, ending at 1. */
  readonly steps: readonly number[];
  readonly bakeSeconds: number;
  readonly checkIntervalSeconds: number;
  readonly pauseBeforeSteps: readonly number[];
  /** Routes that change. */
  readonly routes: readonly RoutePlan[];
  /** Routes already where the plan would put them. */
  readonly unchanged: number;
  readonly held: readonly HeldRoute[];
}

export interface PlanInput {
  readonly config: FleetConfig;
  readonly request: ShiftRequest;
  readonly routes: readonly RouteState[];
  /** Weights recorded when the cluster was drained, by route id (restore only). */
  readonly baseline?: Readonly<Record<string, Weights>>;
  /** Clusters whose health alarms are not in ALARM (failover hands traffic only to these). */
  readonly healthyClusters: ReadonlySet<string>;
  /**
   * Failover: target groups with enough healthy targets to receive (core/health.ts thresholds). When
   * given, a failover hands a route's traffic only to these; a route with none is held (last-cluster):
   * a cluster whose alarm is quiet but whose targets are down cannot take over.
   */
  readonly healthyTargetGroups?: ReadonlySet<string>;
}

const targetFor = (input: PlanInput, route: RouteState): TargetResult => {
  const { request } = input;
  switch (request.action) {
    case 'drain':
      return drainTarget(route, request.cluster ?? '');
    case 'failover': {
      const receivers = new Set([...input.healthyClusters].filter((c) => c !== request.cluster));
      return drainTarget(route, request.cluster ?? '', receivers, input.healthyTargetGroups);
    }
    case 'shift':
      return shiftTarget(route, request.weights ?? {});
    case 'restore':
      return restoreTarget(route, input.baseline?.[route.id]);
  }
};

const heldFor = (
  input: PlanInput,
  route: RouteState,
  reason: Exclude<TargetResult, { ok: true }>['reason'],
): HeldRoute => {
  const { action, cluster } = input.request;
  const base = { id: route.id, name: route.name };
  if (reason === 'no-baseline') {
    return {
      ...base,
      reason: `no baseline recorded for this route when ${cluster} was drained; left as it is`,
    };
  }
  if (reason === 'dark') {
    return {
      ...base,
      guardrail: 'single-cluster-route',
      reason: 'the split gives 0 % to every cluster this route forwards to',
    };
  }
  if (action === 'failover') {
    const others = route.targets.some((t) => t.cluster !== null && t.cluster !== cluster);
    return others
      ? {
          ...base,
          guardrail: 'last-cluster',
          reason: `no healthy cluster on this route to take over from ${cluster}`,
        }
      : { ...base, reason: `only ${cluster} serves this route; nothing can take it over, left as it is` };
  }
  return {
    ...base,
    guardrail: 'single-cluster-route',
    reason: `${cluster} is the only cluster this route forwards to`,
  };
};

/** Plans a shift: W0 (live) → W1 per route, the step fractions, and the routes held back. */
export const buildPlan = (input: PlanInput): Plan => {
  const { request, config } = input;
  const phase = config[request.action];
  const routes: RoutePlan[] = [];
  const held: HeldRoute[] = [];
  let unchanged = 0;
  for (const route of input.routes) {
    const target = targetFor(input, route);
    if (!target.ok) {
      held.push(heldFor(input, route, target.reason));
    } else if (sameWeights(route.weights, target.to)) {
      unchanged += 1;
    } else {
      const { weights, ...bare } = route;
      routes.push({ route: bare, from: weights, to: target.to });
    }
  }
  return {
    action: request.action,
    ...(request.cluster === undefined ? {} : { cluster: request.cluster }),
    steps: request.steps ?? phase.steps,
    bakeSeconds: request.bakeSeconds ?? phase.bakeSeconds,
    checkIntervalSeconds: request.checkIntervalSeconds ?? phase.checkIntervalSeconds,
    pauseBeforeSteps: request.pauseBeforeSteps ?? [],
    routes,
    unchanged,
    held,
  };
};

/** The weights a route has after step `index` (-1: before the first step). */
export const stepWeights = (
  plan: Pick<Plan, 'steps'>,
  routePlan: Pick<RoutePlan, 'from' | 'to'>,
  index: number,
) => (index < 0 ? { ...routePlan.from } : weightsAt(routePlan.from, routePlan.to, plan.steps[index] ?? 1));

/** Target groups that gain weight over the plan (the receivers whose health gates the shift). */
export const receivingTargetGroups = (routePlan: Pick<RoutePlan, 'from' | 'to'>): string[] =>
  Object.keys(routePlan.to).filter((arn) => (routePlan.to[arn] ?? 0) > (routePlan.from[arn] ?? 0));

/**
 * Target groups that step `index` takes from no weight to some: nothing has been sent to them, so
 * no alarm has seen them serve and their metrics say least. Deduplicated across routes.
 */
export const targetGroupsGainingFromZero = (
  plan: Pick<Plan, 'steps' | 'routes'>,
  index: number,
): string[] => {
  const result = new Set<string>();
  for (const routePlan of plan.routes) {
    const before = stepWeights(plan, routePlan, index - 1);
    const after = stepWeights(plan, routePlan, index);
    for (const [arn, weight] of Object.entries(after))
      if (weight > 0 && (before[arn] ?? 0) === 0) result.add(arn);
  }
  return [...result];
};

/** Clusters that gain weight on any route. */
export const receivingClusters = (plan: Pick<Plan, 'routes'>): Set<string> => {
  const result = new Set<string>();
  for (const routePlan of plan.routes) {
    for (const arn of receivingTargetGroups(routePlan)) {
      const cluster = routePlan.route.targets.find((t) => t.targetGroupArn === arn)?.cluster;
      if (cluster) result.add(cluster);
    }
  }
  return result;
};
