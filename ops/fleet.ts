import { getAlarmStates, getRequestCounts } from '../aws/cloudwatch';
import { discoverRoutes } from '../aws/elbv2';
import { isClusterShiftError } from '../core/errors';
import type { AlarmState, Route, RouteState } from '../core/routes';
import type { ReadAccess } from './access';

/** Reads of the live fleet shared by status, plan and watch. */

export const readRoutes = (ctx: ReadAccess): Promise<RouteState[]> =>
  discoverRoutes(ctx.config, ctx.clients.elbv2());

export type AlarmReading = AlarmState | 'NOT FOUND';

/**
 * Alarm states by name. A missing alarm is shown as NOT FOUND rather than failing the whole view
 * (the workflow itself refuses to run on one, with AlarmNotFound).
 */
export const readAlarms = async (
  ctx: ReadAccess,
  names: readonly string[],
): Promise<Map<string, AlarmReading>> => {
  const unique = [...new Set(names)];
  if (unique.length === 0) return new Map();
  try {
    return await getAlarmStates(unique, ctx.clients.cloudwatch());
  } catch (error) {
    if (!isClusterShiftError(error) || error.name !== 'AlarmNotFound') throw error;
    const missing = new Set((error.details.alarms ?? []) as string[]);
    const found = unique.filter((name) => !missing.has(name));
    const states: Map<string, AlarmReading> = new Map(
      found.length === 0 ? [] : await getAlarmStates(found, ctx.clients.cloudwatch()),
    );
    for (const name of missing) states.set(name, 'NOT FOUND');
    return states;
  }
};

export interface ObservedTraffic {
  /** Whole minutes observed, ending at the last complete minute. */
  readonly minutes: number;
  readonly requests: Record<string, number>;
  readonly total: number;
  /** Each cluster's fraction of the requests (empty when there were none). */
  readonly shares: Record<string, number>;
}

/**
 * Requests per cluster over the last `minutes` complete minutes, from CloudWatch RequestCount per
 * target group, on the service's clock. What the load balancer actually did, next to the weights.
 */
export const observeTraffic = async (
  ctx: ReadAccess,
  routes: readonly Route[],
  minutes: number,
): Promise<ObservedTraffic> => {
  const clusterOf = new Map<string, string>();
  const targets: { targetGroupArn: string; loadBalancerArn: string }[] = [];
  for (const route of routes) {
    for (const target of route.targets) {
      if (target.cluster === null) continue;
      clusterOf.set(target.targetGroupArn, target.cluster);
      targets.push({ targetGroupArn: target.targetGroupArn, loadBalancerArn: route.loadBalancerArn });
    }
  }
  const requests: Record<string, number> = Object.fromEntries(ctx.config.clusters.map((c) => [c.name, 0]));
  if (targets.length > 0) {
    const end = Math.floor((await ctx.serviceNow()).getTime() / 60_000) * 60_000;
    const window = { start: new Date(end - minutes * 60_000), end: new Date(end) };
    const counts = await getRequestCounts(targets, window, ctx.clients.cloudwatch());
    for (const [arn, points] of counts) {
      const cluster = clusterOf.get(arn);
      if (cluster === undefined) continue;
      requests[cluster] = (requests[cluster] ?? 0) + points.reduce((sum, p) => sum + p.sum, 0);
    }
  }
  const total = Object.values(requests).reduce((a, b) => a + b, 0);
  const shares =
    total === 0 ? {} : Object.fromEntries(Object.entries(requests).map(([c, n]) => [c, n / total]));
  return { minutes, requests, total, shares };
};

/** The message of whatever a read threw, for an "unavailable: …" line. */
export const reasonOf = (error: unknown): string =>
  isClusterShiftError(error)
    ? `${error.name}: ${error.message}`
    : error instanceof Error
      ? error.message
      : String(error);
