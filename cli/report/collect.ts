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
import { dateTime, duration, validDate } from './format';
import { type PlanFacts, readHistory } from './history';
import { type ClusterTarget, getClusterRequestCounts, retainedPeriod, validatePeriod } from './metrics';
import { fillIdlePeriods, observedShares } from './series';
import type { ReportData, ReportExecution, ReportPoint, ReportStep } from './types';
import { PUBLISH_LAG_MS, publishedUntil, REPORT_MARGIN_MS, reportWindow, type TimeWindow } from './window';

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

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const isPlanSummary = (value: unknown): value is PlanSummary =>
  typeof value === 'object' && value !== null && Array.isArray((value as PlanSummary).steps);

/**
 * Step Functions' description; none for an execution it no longer (or never) knew, and the error
 * when it could not be asked (e.g. an operator role without states:DescribeExecution): history
 * alone still makes a report.
 */
const describe = async (
  input: CollectInput,
): Promise<{ described?: ShiftDescription; failure?: unknown }> => {
  try {
    return {
      described: await describeShift(
        input.executionArn,
        input.sfn,
        input.retry === undefined ? {} : { retry: input.retry },
      ),
    };
  } catch (error) {
    if (failedAwsError(error) === 'ExecutionDoesNotExist') return {};
    return { failure: error };
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

/** Why an execution Step Functions knows has no history record (only a lock holder starts one). */
const noHistoryNote = (fleet: string, described: ShiftDescription | undefined): string => {
  if (requestOf(described).dryRun === true) return `A dry run: fleet ${fleet} keeps no history of it.`;
  if (described?.status === 'RUNNING')
    return `Fleet ${fleet} has no history of this execution yet: it has not taken the fleet lock.`;
  return `Fleet ${fleet} has no history of this execution: it ended before recording any, or it is not this fleet's.`;
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

/** The latest datapoint of any series, if any. */
const latestDatapoint = (counts: ReadonlyMap<string, readonly ReportPoint[]>): Date | undefined => {
  const times = [...counts.values()].flatMap((points) => points.map((p) => p.at.getTime()));
  return times.length === 0 ? undefined : new Date(times.reduce((a, b) => Math.max(a, b)));
};

/**
 * Requests per cluster over the window. Periods without a datapoint are idle (0) once CloudWatch
 * returned anything, up to what it has published: the last minutes before now may not be in yet.
 */
const chartSeries = async (
  input: CollectInput,
  targets: readonly ClusterTarget[],
  window: TimeWindow,
  periodSeconds: number,
  notes: string[],
): Promise<Map<string, ReportPoint[]>> => {
  if (targets.length === 0) return new Map();
  const charted = Math.min(window.end.getTime(), input.now.getTime());
  const recent = input.now.getTime() - charted < PUBLISH_LAG_MS;
  try {
    const counts = await getClusterRequestCounts(
      targets,
      window,
      periodSeconds,
      input.cloudwatch,
      input.retry === undefined ? {} : { retry: input.retry },
    );
    const latest = latestDatapoint(counts);
    if (latest === undefined) {
      notes.push(
        `CloudWatch returned no RequestCount datapoint for these target groups in this window${recent ? ' (it publishes them 1–3 minutes late: run the report again in a few minutes)' : ''}.`,
      );
      return new Map([...counts.keys()].map((cluster) => [cluster, []]));
    }
    const published = publishedUntil(latest, periodSeconds, input.now).getTime();
    if (charted - published >= periodSeconds * 1000) {
      notes.push(
        `The last ${duration(charted - published)} are not charted: CloudWatch has not published them yet (ALB metrics arrive 1–3 minutes late). Run the report again in a few minutes.`,
      );
    }
    const grid = { start: window.start, end: new Date(Math.min(charted, published)), periodSeconds };
    // A period still running has a partial count: it would chart as a drop.
    const whole = (points: readonly ReportPoint[]) =>
      points.filter((p) => p.at.getTime() + periodSeconds * 1000 <= input.now.getTime());
    return new Map([...counts].map(([cluster, points]) => [cluster, fillIdlePeriods(whole(points), grid)]));
  } catch (error) {
    notes.push(`RequestCount could not be read from CloudWatch (${message(error)}).`);
    return new Map();
  }
};

export const collectReport = async (input: CollectInput): Promise<ReportData> => {
  const requestedPeriod = validatePeriod(input.periodSeconds ?? 60);
  const [history, { described, failure }, stored] = await Promise.all([
    input.store.getHistory(input.executionArn),
    describe(input),
    input.store.loadPlan<StoredMeta, RoutePlan>(input.executionArn),
  ]);
  if (history === undefined && described === undefined) {
    // Nothing to report from: say why Step Functions could not tell, or that nobody knows it.
    if (failure !== undefined) throw failure;
    throw new ClusterShiftError(
      'InvalidRequest',
      `no execution ${input.executionArn}: Step Functions does not know it and fleet ${input.config.fleet} has no history of it (clustershift history lists past shifts)`,
      { details: { executionArn: input.executionArn, fleet: input.config.fleet } },
    );
  }
  const notes: string[] = [];
  if (failure !== undefined)
    notes.push(
      `Step Functions could not describe this execution (${message(failure)}): facts from history only.`,
    );
  else if (described === undefined)
    notes.push(
      'Step Functions no longer knows this execution (retention is 90 days): facts from history only.',
    );
  if (history === undefined) notes.push(noHistoryNote(input.config.fleet, described));

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

  if (!validDate(execution.startedAt))
    throw new ClusterShiftError('InvalidRequest', `execution ${input.executionArn} has no start time`);
  // Step Functions' word only: a history left RUNNING by an execution it no longer knows is not running.
  if (described?.status === 'RUNNING')
    notes.push(
      `The execution is still running: this report shows it up to ${dateTime(input.now)}. Run the report again once it has ended.`,
    );
  // The window CloudWatch is asked for: the execution ±5 min, on the period grid, never past now.
  const periodSeconds = retainedPeriod(
    requestedPeriod,
    new Date(execution.startedAt.getTime() - REPORT_MARGIN_MS),
    input.now,
  );
  if (periodSeconds !== requestedPeriod) {
    notes.push(
      `Period raised from ${requestedPeriod} s to ${periodSeconds} s: CloudWatch keeps finer data only for recent windows (1-minute data for 15 days, 5-minute data for 63 days).`,
    );
  }
  const window = reportWindow(execution.startedAt, execution.stoppedAt, input.now, periodSeconds);

  const targets = await chartTargets(input, stored?.routes, notes);
  const series = await chartSeries(input, targets, window, periodSeconds, notes);
  // A step's weights hold until the next write or a rollback; the last step's, until the execution
  // ended (after it, another shift may move traffic) or, while it runs, to the window's end.
  const changes = [
    ...(view?.steps ?? []).map((s) => s.at),
    ...(view?.markers ?? []).filter((m) => m.kind === 'rollback').map((m) => m.at),
  ].sort((a, b) => a.getTime() - b.getTime());
  const steps = (view?.steps ?? []).map((step): ReportStep => {
    const to = changes.find((at) => at > step.at) ?? execution.stoppedAt ?? window.end;
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
