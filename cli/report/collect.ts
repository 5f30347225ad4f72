import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { failedAwsError } from '../../aws/aws-errors';
import { discoverRoutes } from '../../aws/elbv2';
import type { RetryOptions } from '../../aws/retry';
import { describeShift, type ShiftDescription } from '../../aws/sfn';
import type { HistoryRecord, ShiftStore } from '../../aws/store';
import type { FleetConfig } from '../../core/config';
import { ClusterShiftError } from '../../core/errors';
import type { RoutePlan } from '../../core/planner';
import type { Route } from '../../core/routes';
import type { PlanMeta } from '../../core/stored-plan';
import type { PlanSummary } from '../../core/summary';
import { validDate } from './format';
import { type PlanFacts, readHistory } from './history';
import { type ClusterTarget, getClusterRequestCounts, retainedPeriod, validatePeriod } from './metrics';
import { fillIdlePeriods, observedShares } from './series';
import type { ReportData, ReportExecution, ReportPoint, ReportStep } from './types';

/**
 * Gathers one execution's report: its history record (who, why, the plan summary, every step
 * written, the outcome), Step Functions' view of it (status, dates), the stored plan (which target
 * groups it moved, the bake time) and CloudWatch RequestCount per cluster over the execution ±5 min.
 * What cannot be read (an execution past Step Functions' retention, metrics denied) becomes a note
 * in the report rather than no report.
 */

export interface CollectInput {
  readonly executionArn: string;
  readonly store: ShiftStore;
  readonly sfn: SFNClient;
  readonly cloudwatch: CloudWatchClient;
  readonly config: FleetConfig;
  /** The routes whose target groups to chart; default: the execution's stored plan, else discovered now. */
  readonly routes?: readonly Route[];
  /** For discovering routes when neither `routes` nor a stored plan has them. */
  readonly elbv2?: ElasticLoadBalancingV2Client;
  readonly now: Date;
  /** Seconds per datapoint: whole minutes (default 60). */
  readonly periodSeconds?: number;
  readonly retry?: RetryOptions;
}

type StoredMeta = PlanMeta & { readonly summary?: PlanSummary };

const MARGIN_MS = 5 * 60_000;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const isPlanSummary = (value: unknown): value is PlanSummary =>
  typeof value === 'object' && value !== null && Array.isArray((value as PlanSummary).steps);

/** Step Functions' description, or undefined for an execution it no longer (or never) knew. */
const describe = async (input: CollectInput): Promise<ShiftDescription | undefined> => {
  try {
    return await describeShift(
      input.executionArn,
      input.sfn,
      input.retry === undefined ? {} : { retry: input.retry },
    );
  } catch (error) {
    if (failedAwsError(error) === 'ExecutionDoesNotExist') return undefined;
    throw error;
  }
};

const executionName = (arn: string): string => arn.split(':').pop() ?? arn;

const planFacts = (summary: PlanSummary | undefined, meta: StoredMeta | undefined): PlanFacts => ({
  ...(summary === undefined
    ? {}
    : {
        totalSteps: summary.steps.length,
        routeSteps: summary.routes,
        routesOmitted: summary.routesOmitted,
        plannedShares: summary.steps.map((s) => s.shares),
      }),
  ...(meta === undefined ? {} : { bakeSeconds: meta.bakeSeconds, totalSteps: meta.steps.length }),
});

/** The execution facts, from history first (it outlives Step Functions' 90 days), then the description. */
const executionFacts = (
  arn: string,
  history: HistoryRecord | undefined,
  described: ShiftDescription | undefined,
): ReportExecution => {
  const request = requestOf(described);
  const startedAt = described?.startDate ?? new Date(history?.startedAt ?? Number.NaN);
  const finished = history?.finishedAt === undefined ? undefined : new Date(history.finishedAt);
  const stoppedAt = described?.stopDate ?? finished;
  const status =
    described?.status ?? (history?.status === 'REFUSED' ? 'FAILED' : (history?.status ?? 'UNKNOWN'));
  const cluster = history?.cluster ?? text(request.cluster);
  const reason = history?.reason ?? text(request.reason);
  const error = history?.error ?? described?.error;
  return {
    arn,
    name: executionName(arn),
    action: history?.action ?? text(request.action) ?? 'unknown',
    ...(cluster === undefined ? {} : { cluster }),
    requestedBy: history?.requestedBy ?? text(request.requestedBy) ?? 'unknown',
    ...(reason === undefined || reason === '' ? {} : { reason }),
    startedAt,
    ...(stoppedAt === undefined ? {} : { stoppedAt }),
    status,
    ...(history?.status === undefined ? {} : { outcome: history.status }),
    ...(error === undefined ? {} : { error }),
  };
};

/** The execution input as Step Functions recorded it (the request: action, cluster, reason …). */
const requestOf = (described: ShiftDescription | undefined): Record<string, unknown> =>
  typeof described?.input === 'object' && described.input !== null
    ? (described.input as Record<string, unknown>)
    : {};

/** Without history (a dry run records none), the end state comes from Step Functions. */
const describedEndState = (described: ShiftDescription | undefined): string | undefined => {
  if (requestOf(described).dryRun === true) return 'Dry run: the plan was checked and nothing was written.';
  return described?.cause ?? (described?.status === 'SUCCEEDED' ? 'Succeeded.' : undefined);
};

/** Target groups per cluster, and a note saying where they came from. */
const chartTargets = async (
  input: CollectInput,
  planRoutes: readonly RoutePlan[] | undefined,
  notes: string[],
): Promise<ClusterTarget[]> => {
  let routes: readonly Route[];
  if (input.routes !== undefined) {
    routes = input.routes;
    notes.push(`Requests of the ${routes.length} route(s) given to the report.`);
  } else if (planRoutes !== undefined && planRoutes.length > 0) {
    routes = planRoutes.map((r) => r.route);
    notes.push(
      `Requests of the ${routes.length} route(s) this execution changed (target groups from its stored plan).`,
    );
  } else {
    try {
      routes = await discoverRoutes(
        input.config,
        input.elbv2,
        input.retry === undefined ? {} : { retry: input.retry },
      );
      notes.push(
        `No stored plan for this execution: requests of the ${routes.length} route(s) the fleet has now, which may differ from those it had then.`,
      );
    } catch (error) {
      notes.push(
        `No stored plan, and the routes could not be discovered (${message(error)}): no requests charted.`,
      );
      return [];
    }
  }
  return routes.flatMap((route) =>
    route.targets.flatMap((target) =>
      target.cluster === null
        ? []
        : [
            {
              cluster: target.cluster,
              targetGroupArn: target.targetGroupArn,
              loadBalancerArn: route.loadBalancerArn,
            },
          ],
    ),
  );
};

/** Requests per cluster over the window, idle periods filled with 0 once CloudWatch returned anything. */
const chartSeries = async (
  input: CollectInput,
  targets: readonly ClusterTarget[],
  window: { start: Date; end: Date },
  periodSeconds: number,
  notes: string[],
): Promise<Map<string, ReportPoint[]>> => {
  if (targets.length === 0) return new Map();
  try {
    const counts = await getClusterRequestCounts(
      targets,
      window,
      periodSeconds,
      input.cloudwatch,
      input.retry === undefined ? {} : { retry: input.retry },
    );
    const anyData = [...counts.values()].some((points) => points.length > 0);
    if (!anyData) {
      notes.push('CloudWatch returned no RequestCount datapoint for these target groups in this window.');
      return new Map([...counts.keys()].map((cluster) => [cluster, []]));
    }
    const grid = {
      start: window.start,
      end: new Date(Math.min(window.end.getTime(), input.now.getTime())),
      periodSeconds,
    };
    return new Map([...counts].map(([cluster, points]) => [cluster, fillIdlePeriods(points, grid)]));
  } catch (error) {
    notes.push(`RequestCount could not be read from CloudWatch (${message(error)}).`);
    return new Map();
  }
};

export const collectReport = async (input: CollectInput): Promise<ReportData> => {
  const requestedPeriod = validatePeriod(input.periodSeconds ?? 60);
  const [history, described, stored] = await Promise.all([
    input.store.getHistory(input.executionArn),
    describe(input),
    input.store.loadPlan<StoredMeta, RoutePlan>(input.executionArn),
  ]);
  if (history === undefined && described === undefined) {
    throw new ClusterShiftError(
      'InvalidRequest',
      `no execution ${input.executionArn}: Step Functions does not know it and fleet ${input.config.fleet} has no history of it`,
      { details: { executionArn: input.executionArn, fleet: input.config.fleet } },
    );
  }
  const notes: string[] = [];
  if (described === undefined)
    notes.push(
      'Step Functions no longer knows this execution (retention is 90 days): facts from history only.',
    );
  if (history === undefined)
    notes.push('No clustershift history for this execution (a dry run records none).');

  const summary = isPlanSummary(history?.planSummary) ? history.planSummary : stored?.meta.summary;
  const facts = executionFacts(input.executionArn, history, described);
  const view =
    history === undefined
      ? undefined
      : readHistory(history, planFacts(summary, stored?.meta), {
          status: facts.status,
          ...(validDate(facts.startedAt) ? { startedAt: facts.startedAt } : {}),
          ...(facts.stoppedAt === undefined ? {} : { stoppedAt: facts.stoppedAt }),
        });
  const endState = view?.endState ?? describedEndState(described);
  const execution = endState === undefined ? facts : { ...facts, endState };

  // The window CloudWatch is asked for: the execution ±5 min, on the period grid, never past now.
  const startMs = execution.startedAt.getTime();
  if (!Number.isFinite(startMs))
    throw new ClusterShiftError('InvalidRequest', `execution ${input.executionArn} has no start time`);
  const periodSeconds = retainedPeriod(requestedPeriod, new Date(startMs - MARGIN_MS), input.now);
  if (periodSeconds !== requestedPeriod) {
    notes.push(
      `Period raised from ${requestedPeriod} s to ${periodSeconds} s: CloudWatch keeps finer data only for recent windows.`,
    );
  }
  const periodMs = periodSeconds * 1000;
  const endMs = Math.min((execution.stoppedAt ?? input.now).getTime() + MARGIN_MS, input.now.getTime());
  const window = {
    start: new Date(Math.floor((startMs - MARGIN_MS) / periodMs) * periodMs),
    end: new Date(Math.max(endMs, startMs + periodMs)),
  };

  const targets = await chartTargets(input, stored?.routes, notes);
  const series = await chartSeries(input, targets, window, periodSeconds, notes);
  // A step's weights hold until the next write or a rollback; the last step's, to the window's end.
  const changes = [
    ...(view?.steps ?? []).map((s) => s.at),
    ...(view?.markers ?? []).filter((m) => m.kind === 'rollback').map((m) => m.at),
  ].sort((a, b) => a.getTime() - b.getTime());
  const steps = (view?.steps ?? []).map((step): ReportStep => {
    const to = changes.find((at) => at > step.at) ?? window.end;
    const observed = observedShares(series, step.at, to, periodSeconds);
    return observed === undefined ? step : { ...step, observedShares: observed };
  });
  const configured = input.config.clusters.map((c) => c.name);
  return {
    fleet: input.config.fleet,
    execution,
    clusters: [...new Set([...configured, ...series.keys()])].map((name) => ({ name })),
    series: [...series].map(([cluster, points]) => ({ cluster, points })),
    steps,
    markers: view?.markers ?? [],
    periodSeconds,
    window,
    notes,
    generatedAt: input.now,
  };
};
