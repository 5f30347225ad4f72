import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { FleetConfig } from '../core/config';
import { evaluateGuardrails, type Violation } from '../core/guardrails';
import { failoverCandidateTargetGroups, needsHealthBeforePlan } from '../core/plan-shift';
import type { Plan } from '../core/planner';
import type { ShiftRequest } from '../core/request';
import type { AlarmState, RouteState, TargetGroupHealth } from '../core/routes';
import type { ResourceTags, TagInventory } from '../core/tag-inventory';
import { type AlarmStateDetail, getAlarmStateDetails } from './cloudwatch';
import { recentRequestsRead } from './cloudwatch-health';
import { discoverRoutesWith } from './elbv2';
import type { Baseline, Freeze, LastFailover, ShiftStoreReader } from './store';
import { healthTargetsOf, type LiveFallback, liveFallbackOf, readTargetHealthWith } from './target-health';

export interface PlanInputs {
  readonly routes: RouteState[];
  readonly alarmDetails: Map<string, AlarmStateDetail>;
  readonly alarms: Map<string, AlarmState>;
  readonly baseline?: Baseline;
  readonly freeze?: Freeze;
  readonly lastFailover?: LastFailover;
  /** Target health read before planning (a failover's); undefined otherwise. */
  readonly health?: Map<string, TargetGroupHealth>;
  /**
   * A failover's recent traffic to the sick cluster, to order its writes busiest-first: per target
   * group of the failing cluster on the managed routes, requests per minute from CloudWatch's
   * RequestCount (Sum) over the last 5 minutes, averaged over the minutes with data (0 when none).
   * Read in the same GetMetricData round as the health metrics. Undefined for other actions, and
   * empty when CloudWatch could not be read (then nothing is known of any route's traffic).
   */
  readonly recentRequests?: ReadonlyMap<string, number>;
  /** The tag inventory as found (when the store keeps one and it could be read whole). */
  readonly tagInventory?: TagInventory;
  /** Tags discovery read live (a failover: only those the inventory lacked), to refresh it. */
  readonly tagsRead: ReadonlyMap<string, ResourceTags>;
}

/** Where the tag inventory is kept: the workflow's Prepare has it; read-only planners need not. */
export interface TagInventoryReader {
  getTagInventory(): Promise<TagInventory | undefined>;
}

export interface PlanClients {
  readonly elbv2?: ElasticLoadBalancingV2Client;
  readonly cloudwatch?: CloudWatchClient;
}

/**
 * What planning a shift reads, for the workflow's Prepare and the CLI's `plan` alike: the tag
 * inventory where the store keeps one, then routes and weights, the health alarms, the baseline (restore), freeze and last failover in parallel, then,
 * for a failover, the health of every target group it could hand traffic to (not the failing
 * cluster's) and the failing cluster's recent traffic per target group, in one CloudWatch round.
 * `now` is the services' clock (metric windows).
 */
export const readPlanInputs = async (
  config: FleetConfig,
  request: ShiftRequest,
  store: ShiftStoreReader & Partial<TagInventoryReader>,
  now: Date,
  clients: PlanClients = {},
  /**
   * Told when some target health was read live instead of from CloudWatch: CloudWatch could not be
   * read, or had no fresh datapoint for some target group.
   */
  onLiveFallback?: (fallback: LiveFallback) => void,
): Promise<PlanInputs> => {
  const healthAlarms = [...new Set(config.clusters.flatMap((c) => c.healthAlarms))];
  // A failover takes the tags it can from the inventory (its first write must not wait for tens of
  // DescribeTags calls); every other plan reads them all live, and so keeps the inventory fresh.
  const tagInventory = await store.getTagInventory?.();
  const known = request.action === 'failover' ? tagInventory?.entries : undefined;
  const [discovery, alarmDetails, baseline, freeze, lastFailover] = await Promise.all([
    discoverRoutesWith(config, clients.elbv2, {}, known === undefined ? {} : { known }),
    getAlarmStateDetails(healthAlarms, clients.cloudwatch),
    request.action === 'restore' ? store.getBaseline(request.cluster ?? '') : Promise.resolve(undefined),
    store.getFreeze(),
    store.getLastFailover(),
  ]);
  const { routes, tagsRead } = discovery;
  let health: Map<string, TargetGroupHealth> | undefined;
  let recentRequests: ReadonlyMap<string, number> | undefined;
  if (needsHealthBeforePlan(request)) {
    const candidates = new Set(failoverCandidateTargetGroups(routes, request.cluster));
    const read = await readTargetHealthWith(
      healthTargetsOf(routes, (target) => candidates.has(target.targetGroupArn)),
      now,
      clients,
      {
        alongside: recentRequestsRead(
          healthTargetsOf(routes, (target) => target.cluster !== null && target.cluster === request.cluster),
          now,
        ),
      },
    );
    health = read.health;
    recentRequests = read.alongside ?? new Map();
    const fallback = liveFallbackOf(read);
    if (fallback !== undefined) onLiveFallback?.(fallback);
  }
  return {
    routes,
    alarmDetails,
    alarms: new Map([...alarmDetails].map(([name, detail]) => [name, detail.state])),
    ...(baseline === undefined ? {} : { baseline }),
    ...(freeze === undefined ? {} : { freeze }),
    ...(lastFailover === undefined ? {} : { lastFailover }),
    ...(health === undefined ? {} : { health }),
    ...(recentRequests === undefined ? {} : { recentRequests }),
    ...(tagInventory === undefined ? {} : { tagInventory }),
    tagsRead,
  };
};

/**
 * The guardrails' verdict on a plan, for Prepare and the CLI's `plan` alike: the receivers' target
 * health (unless a failover read it before planning), then every guardrail.
 */
export const guardrailViolations = async (
  config: FleetConfig,
  request: ShiftRequest,
  plan: Plan,
  inputs: PlanInputs,
  now: Date,
  clients: PlanClients = {},
  /**
   * Told when some target health was read live instead of from CloudWatch: CloudWatch could not be
   * read, or had no fresh datapoint for some target group.
   */
  onLiveFallback?: (fallback: LiveFallback) => void,
): Promise<Violation[]> => {
  const health =
    inputs.health ??
    (await (async () => {
      const read = await readTargetHealthWith<never>(
        healthTargetsOf(plan.routes.map((r) => r.route)),
        now,
        clients,
      );
      const fallback = liveFallbackOf(read);
      if (fallback !== undefined) onLiveFallback?.(fallback);
      return read.health;
    })());
  return evaluateGuardrails({
    config,
    plan,
    health,
    alarms: inputs.alarms,
    automatic: request.requestedBy.startsWith('alarm:'),
    ...(inputs.freeze === undefined ? {} : { freeze: inputs.freeze }),
    ...(inputs.lastFailover === undefined ? {} : { lastFailover: inputs.lastFailover }),
    now,
  });
};
