import { readWeights } from '../aws/elbv2';
import { describeShift } from '../aws/sfn';
import { gateAlarmNames } from '../core/gates';
import { type RoutePlan, receivingClusters } from '../core/planner';
import type { PlanMeta } from '../core/stored-plan';
import { toPlan } from '../core/stored-plan';
import { clusterShares } from '../core/summary';
import { type AlarmReading, observeTraffic, readAlarms, reasonOf } from '../ops/fleet';
import { shares, stepLabel, utc } from '../ops/format';
import type { Context } from './context';

/** One look at a running (or ended) shift: what watch prints per update. */
export interface Progress {
  readonly at: string;
  readonly executionArn: string;
  readonly status: string;
  readonly action?: string;
  readonly cluster?: string;
  /** Steps written so far out of the plan's; absent while Prepare runs (or for a dry run). */
  readonly step?: { readonly applied: number; readonly total: number; readonly fraction: number };
  /** Each cluster's mean weight share over the routes the plan changes, read live. */
  readonly weights?: Record<string, number>;
  /** Each cluster's share of the requests CloudWatch counted lately on those routes. */
  readonly observed?: Record<string, number>;
  readonly gates?: { readonly alarms: Record<string, AlarmReading>; readonly ok: boolean };
  readonly paused?: boolean;
  readonly abortRequested?: boolean;
  /** Why the workflow will hold before its next step, if it will. */
  readonly holding?: string;
  readonly error?: string;
  readonly cause?: string;
  /** Reads that failed this time (shown, not fatal: the next update tries again). */
  readonly unavailable?: string[];
}

const OBSERVED_MINUTES = 2;

export const readProgress = async (ctx: Context, executionArn: string): Promise<Progress> => {
  const described = await describeShift(executionArn, ctx.clients.sfn());
  const base = {
    at: ctx.now().toISOString(),
    executionArn,
    status: described.status,
    ...(described.error === undefined ? {} : { error: described.error }),
    ...(described.cause === undefined ? {} : { cause: described.cause }),
  };
  const store = await ctx.store();
  const stored = await store.loadPlan<PlanMeta, RoutePlan>(executionArn);
  if (stored === undefined) return base;
  const { meta } = stored;
  const plan = toPlan(meta, stored.routes);
  const routes = plan.routes.map((r) => r.route);
  const clusters = ctx.config.clusters.map((c) => c.name);
  const unavailable: string[] = [];
  const guard = async <T>(what: string, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      unavailable.push(`${what}: ${reasonOf(error)}`);
      return undefined;
    }
  };
  const alarmNames = gateAlarmNames(ctx.config, receivingClusters(plan), meta.action !== 'failover');
  const [live, alarms, control] = await Promise.all([
    guard('weights', () => readWeights(routes, ctx.clients.elbv2())),
    guard('alarms', () => readAlarms(ctx, alarmNames)),
    guard('control flags', () => store.getControl(executionArn)),
  ]);
  const observed = await guard('observed traffic', () => observeTraffic(ctx, routes, OBSERVED_MINUTES));
  const applied = meta.appliedStepIndex + 1;
  const next = meta.appliedStepIndex + 1;
  const awaitingApproval =
    meta.pauseBeforeSteps.includes(next) &&
    (control?.approvedThroughStep ?? -1) < next &&
    next < plan.steps.length;
  const holding = control?.paused
    ? 'paused by an operator (clustershift resume)'
    : awaitingApproval
      ? `approval needed before step ${next + 1} (clustershift approve)`
      : undefined;
  return {
    ...base,
    action: meta.action,
    ...(meta.cluster === undefined ? {} : { cluster: meta.cluster }),
    step: { applied, total: plan.steps.length, fraction: applied === 0 ? 0 : (plan.steps[applied - 1] ?? 1) },
    ...(live === undefined
      ? {}
      : {
          weights: clusterShares(
            routes.map((route) => ({ route, weights: live.get(route.id) ?? {} })),
            clusters,
          ),
        }),
    ...(observed === undefined || observed.total === 0 ? {} : { observed: observed.shares }),
    ...(alarms === undefined
      ? {}
      : {
          gates: {
            alarms: Object.fromEntries(alarms),
            ok: [...alarms.values()].every((state) => state === 'OK'),
          },
        }),
    ...(control === undefined ? {} : { paused: control.paused, abortRequested: control.aborted }),
    ...(holding === undefined ? {} : { holding }),
    ...(unavailable.length === 0 ? {} : { unavailable }),
  };
};

const time = (iso: string): string => utc(iso).slice(11);

/** One line per update: `10:04:12 RUNNING drain blue step 2/4 (50%) weights … observed … gates OK`. */
export const progressLine = (p: Progress): string => {
  const parts = [time(p.at), p.status];
  if (p.action !== undefined) parts.push([p.action, p.cluster].filter(Boolean).join(' '));
  if (p.step === undefined) parts.push(p.status === 'RUNNING' ? 'preparing' : '');
  else {
    parts.push(
      `step ${p.step.applied}/${p.step.total}${p.step.applied === 0 ? '' : ` (${stepLabel(p.step.fraction)})`}`,
    );
  }
  if (p.weights !== undefined) parts.push(`weights ${shares(p.weights)}`);
  if (p.observed !== undefined) parts.push(`observed ${shares(p.observed)}`);
  if (p.gates !== undefined) {
    const firing = Object.entries(p.gates.alarms).filter(([, state]) => state !== 'OK');
    parts.push(
      firing.length === 0
        ? 'gates OK'
        : `gates: ${firing.map(([name, state]) => `${name} ${state}`).join(', ')}`,
    );
  }
  if (p.abortRequested) parts.push('ABORT REQUESTED');
  if (p.holding !== undefined) parts.push(`HOLDING: ${p.holding}`);
  for (const note of p.unavailable ?? []) parts.push(`(${note})`);
  return parts.filter((part) => part !== '').join('  ');
};

/** Still going: running, or about to run again after a redrive. */
export { isRunning } from '../aws/sfn';
