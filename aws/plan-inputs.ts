import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { FleetConfig } from '../core/config';
import { evaluateGuardrails, type Violation } from '../core/guardrails';
import { failoverCandidateTargetGroups, needsHealthBeforePlan, targetGroupsOf } from '../core/plan-shift';
import type { Plan } from '../core/planner';
import type { ShiftRequest } from '../core/request';
import type { AlarmState, RouteState, TargetGroupHealth } from '../core/routes';
import { type AlarmStateDetail, getAlarmStateDetails } from './cloudwatch';
import { describeTargetHealth, discoverRoutes } from './elbv2';
import type { Baseline, Freeze, LastFailover, ShiftStore } from './store';

export interface PlanInputs {
  readonly routes: RouteState[];
  readonly alarmDetails: Map<string, AlarmStateDetail>;
  readonly alarms: Map<string, AlarmState>;
  readonly baseline?: Baseline;
  readonly freeze?: Freeze;
  readonly lastFailover?: LastFailover;
  /** Target health read before planning (a failover's); undefined otherwise. */
  readonly health?: Map<string, TargetGroupHealth>;
}

export interface PlanClients {
  readonly elbv2?: ElasticLoadBalancingV2Client;
  readonly cloudwatch?: CloudWatchClient;
}

/**
 * What planning a shift reads, for the workflow's Prepare and the CLI's `plan` alike: routes and
 * weights, the health alarms, the baseline (restore), freeze and last failover in parallel, then,
 * for a failover, the health of every target group it could hand traffic to (not the failing cluster's).
 */
export const readPlanInputs = async (
  config: FleetConfig,
  request: ShiftRequest,
  store: ShiftStore,
  clients: PlanClients = {},
): Promise<PlanInputs> => {
  const healthAlarms = [...new Set(config.clusters.flatMap((c) => c.healthAlarms))];
  const [routes, alarmDetails, baseline, freeze, lastFailover] = await Promise.all([
    discoverRoutes(config, clients.elbv2),
    getAlarmStateDetails(healthAlarms, clients.cloudwatch),
    request.action === 'restore' ? store.getBaseline(request.cluster ?? '') : Promise.resolve(undefined),
    store.getFreeze(),
    store.getLastFailover(),
  ]);
  const health = needsHealthBeforePlan(request)
    ? await describeTargetHealth(failoverCandidateTargetGroups(routes, request.cluster), clients.elbv2)
    : undefined;
  return {
    routes,
    alarmDetails,
    alarms: new Map([...alarmDetails].map(([name, detail]) => [name, detail.state])),
    ...(baseline === undefined ? {} : { baseline }),
    ...(freeze === undefined ? {} : { freeze }),
    ...(lastFailover === undefined ? {} : { lastFailover }),
    ...(health === undefined ? {} : { health }),
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
  elbv2?: ElasticLoadBalancingV2Client,
): Promise<Violation[]> => {
  const health =
    inputs.health ?? (await describeTargetHealth(targetGroupsOf(plan.routes.map((r) => r.route)), elbv2));
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
