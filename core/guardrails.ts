import type { FleetConfig } from './config';
import { ClusterShiftError } from './errors';
import { type GuardrailName, isForceable } from './guardrail-names';
import { alarmingHealthAlarms, describeHealth, isReceiverHealthy } from './health';
import { nameList } from './name-list';
import { type Plan, receivingClusters, receivingTargetGroups, stepWeights } from './planner';
import type { AlarmState, TargetGroupHealth } from './routes';

export interface Violation {
  readonly guardrail: GuardrailName;
  readonly message: string;
  /** Names of the routes concerned (empty for fleet-wide guardrails such as `frozen`). */
  readonly routes: readonly string[];
}

export interface FreezeState {
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

export interface GuardrailContext {
  readonly config: FleetConfig;
  readonly plan: Plan;
  /** Target health of every target group on the planned routes. */
  readonly health: ReadonlyMap<string, TargetGroupHealth>;
  /** States of the clusters' health alarms. */
  readonly alarms: ReadonlyMap<string, AlarmState>;
  /** True when an alarm started this shift (not an operator). */
  readonly automatic: boolean;
  readonly freeze?: FreezeState;
  /** The last automatic failover; `receivers` are the clusters it moved traffic to (unknown on old records). */
  readonly lastFailover?: {
    readonly at: string;
    readonly cluster: string;
    readonly receivers?: readonly string[];
  };
  readonly now: Date;
}

const clusterOf = (targets: readonly { targetGroupArn: string; cluster: string | null }[], arn: string) =>
  targets.find((t) => t.targetGroupArn === arn)?.cluster ?? null;

const emptyRoute = (ctx: GuardrailContext): Violation[] => {
  const dark = ctx.plan.routes.filter((routePlan) =>
    ctx.plan.steps.some((_, index) => {
      const weights = stepWeights(ctx.plan, routePlan, index);
      return !Object.entries(weights).some(
        ([arn, weight]) => weight > 0 && (ctx.health.get(arn)?.healthy ?? 0) > 0,
      );
    }),
  );
  if (dark.length === 0) return [];
  return [
    {
      guardrail: 'empty-route',
      message: 'a step would leave these routes with no weight on a target group that has a healthy target',
      routes: dark.map((r) => r.route.name),
    },
  ];
};

/** What a refused failover says first: nothing moves, and why. */
export const failStaticMessage = (cluster: string) =>
  `fail static: no healthy cluster to take ${cluster}'s traffic`;

/**
 * A failover fails static route by route: where some route still has a healthy cluster to take the
 * traffic, it moves those and holds (and names) the ones that have none. Only a failover that can
 * move nothing at all is refused, as fail static for the whole fleet.
 */
const failsOverSomeRoutes = (ctx: GuardrailContext): boolean =>
  ctx.plan.action === 'failover' && ctx.plan.routes.length > 0;

const heldRoutes = (ctx: GuardrailContext, guardrail: GuardrailName, message: string): Violation[] => {
  const routes = ctx.plan.held.filter((h) => h.guardrail === guardrail).map((h) => h.name);
  return routes.length === 0 ? [] : [{ guardrail, message, routes }];
};

const receiverUnhealthy = (ctx: GuardrailContext): Violation[] => {
  const problems: string[] = [];
  for (const routePlan of ctx.plan.routes) {
    for (const arn of receivingTargetGroups(routePlan)) {
      const health = ctx.health.get(arn);
      if (!isReceiverHealthy(health, ctx.config.thresholds)) {
        const cluster = clusterOf(routePlan.route.targets, arn);
        problems.push(`${routePlan.route.name} → ${cluster} (${describeHealth(health)})`);
      }
    }
  }
  if (problems.length === 0) return [];
  const { minHealthyTargets, minHealthyPercent } = ctx.config.thresholds;
  return [
    {
      guardrail: 'receiver-unhealthy',
      message: `receiving target groups below ${minHealthyTargets} healthy targets or ${minHealthyPercent} % healthy`,
      routes: problems,
    },
  ];
};

const receiverAlarm = (ctx: GuardrailContext): Violation[] => {
  const alarming = [...receivingClusters(ctx.plan)]
    .map((cluster) => ({ cluster, alarms: alarmingHealthAlarms(ctx.config, cluster, ctx.alarms) }))
    .filter((entry) => entry.alarms.length > 0);
  if (alarming.length === 0) return [];
  const routes = ctx.plan.routes
    .filter((routePlan) =>
      receivingTargetGroups(routePlan).some((arn) =>
        alarming.some((a) => a.cluster === clusterOf(routePlan.route.targets, arn)),
      ),
    )
    .map((r) => r.route.name);
  return [
    {
      guardrail: 'receiver-alarm',
      message: `would give weight to clusters in alarm: ${alarming.map((a) => `${a.cluster} (${a.alarms.join(', ')})`).join('; ')}`,
      routes,
    },
  ];
};

const frozen = (ctx: GuardrailContext): Violation[] =>
  ctx.freeze === undefined || ctx.automatic
    ? []
    : [
        {
          guardrail: 'frozen',
          message: `the fleet is frozen by ${ctx.freeze.by} since ${ctx.freeze.at}: ${ctx.freeze.reason}`,
          routes: [],
        },
      ];

/**
 * No ping-pong: within the cooldown, an automatic failover may not go back the other way, i.e. fail
 * over a cluster that took the last failover's traffic, or hand traffic back to the cluster the last
 * failover moved away from. Failing over the same cluster again is the same direction and allowed.
 */
const cooldown = (ctx: GuardrailContext): Violation[] => {
  const last = ctx.lastFailover;
  if (!ctx.automatic || ctx.plan.action !== 'failover' || last === undefined) return [];
  const elapsed = (ctx.now.getTime() - Date.parse(last.at)) / 1000;
  const limit = ctx.config.failover.cooldownSeconds;
  if (!(elapsed < limit) || last.cluster === ctx.plan.cluster) return [];
  const tookTraffic = last.receivers === undefined || last.receivers.includes(ctx.plan.cluster ?? '');
  const givesBack = receivingClusters(ctx.plan).has(last.cluster);
  if (!tookTraffic && !givesBack) return [];
  return [
    {
      guardrail: 'cooldown',
      message: `the last failover (away from ${last.cluster}) was ${Math.round(elapsed)} s ago, within the ${limit} s cooldown: no failover back the other way`,
      routes: [],
    },
  ];
};

const controllerOwned = (ctx: GuardrailContext): Violation[] => {
  const routes = ctx.plan.routes.filter((r) => r.route.controllerOwned).map((r) => r.route.name);
  return routes.length === 0
    ? []
    : [
        {
          guardrail: 'controller-owned',
          message: 'the AWS Load Balancer Controller manages these routes and would revert the weights',
          routes,
        },
      ];
};

/** Every guardrail the plan violates, each with the routes concerned. */
export const evaluateGuardrails = (ctx: GuardrailContext): Violation[] => [
  ...emptyRoute(ctx),
  ...heldRoutes(
    ctx,
    'single-cluster-route',
    'these services would be left with no cluster (they would go dark)',
  ),
  ...(failsOverSomeRoutes(ctx)
    ? []
    : heldRoutes(ctx, 'last-cluster', failStaticMessage(ctx.plan.cluster ?? ''))),
  ...receiverUnhealthy(ctx),
  ...receiverAlarm(ctx),
  ...frozen(ctx),
  ...cooldown(ctx),
  ...controllerOwned(ctx),
];

export const describeViolation = (v: Violation): string =>
  `${v.guardrail}: ${v.message}${v.routes.length > 0 ? ` [${nameList(v.routes)}]` : ''}`;

/**
 * Splits violations into those the request forces (recorded in history) and those that refuse it.
 * Throws GuardrailViolation naming every refusing guardrail and route.
 */
export const enforceGuardrails = (
  violations: readonly Violation[],
  force: readonly GuardrailName[],
): Violation[] => {
  const refusing = violations.filter((v) => !isForceable(v.guardrail) || !force.includes(v.guardrail));
  if (refusing.length > 0) {
    throw new ClusterShiftError(
      'GuardrailViolation',
      `refused by guardrails: ${refusing.map(describeViolation).join('; ')}`,
      {
        details: { violations: refusing, forced: violations.filter((v) => !refusing.includes(v)) },
      },
    );
  }
  return [...violations];
};
