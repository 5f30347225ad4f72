import { listShifts } from '../aws/sfn';
import { healthTargetsOf, readTargetHealthWith } from '../aws/target-health';
import { fleetShare, type RouteState, type TargetGroupHealth } from '../core/routes';
import type { ReadAccess } from './access';
import {
  type AlarmReading,
  type ObservedTraffic,
  observeTraffic,
  readAlarms,
  readRoutes,
  reasonOf,
} from './fleet';
import { joinNames, percent, table, utc } from './format';

/**
 * The fleet at a glance — weights and observed share per cluster, target health, alarms, lock,
 * freeze, running shifts — for `clustershift status` and chat's `status`. A part that cannot be read
 * is listed as unavailable with why; the rest is still shown.
 */
export interface AlarmStatus {
  readonly name: string;
  readonly state: AlarmReading;
}

export interface ClusterStatus {
  readonly name: string;
  /** Mean share of the weights over the managed routes (each route counts the same). */
  readonly weightShare: number;
  /** Share of the requests CloudWatch counted; null when unavailable or there were none. */
  readonly observedShare: number | null;
  readonly routes: number;
  /** Summed over the cluster's target groups whose health was read; `health` says where from. */
  readonly targets: { healthy: number; total: number };
  readonly health: HealthSources;
  readonly alarms: AlarmStatus[];
  /** A drain's recorded baseline: what `restore` returns to. */
  readonly baseline: { recordedAt: string; executionId: string } | null;
}

/** Where a cluster's target health figures came from. */
export interface HealthSources {
  /** Target groups read from CloudWatch's HealthyHostCount/UnHealthyHostCount. */
  readonly cloudWatch: number;
  /** Start of the oldest CloudWatch minute summed (ISO); null when none. */
  readonly cloudWatchAsOf: string | null;
  /** Target groups read with DescribeTargetHealth (CloudWatch had no fresh datapoint). */
  readonly live: number;
  /** Target groups with neither: left out of the figures, never counted as 0. */
  readonly unknown: number;
}

const healthSources = (
  arns: readonly string[],
  health: ReadonlyMap<string, TargetGroupHealth>,
): HealthSources => {
  const read = arns.map((arn) => health.get(arn));
  const fromMetrics = read.filter((h) => h?.source === 'cloudwatch');
  const oldest = fromMetrics.reduce<Date | undefined>(
    (min, h) => (h?.at !== undefined && (min === undefined || h.at < min) ? h.at : min),
    undefined,
  );
  return {
    cloudWatch: fromMetrics.length,
    cloudWatchAsOf: oldest === undefined ? null : oldest.toISOString(),
    live: read.filter((h) => h !== undefined && h.source !== 'cloudwatch').length,
    unknown: read.filter((h) => h === undefined).length,
  };
};

export interface StatusReport {
  readonly fleet: string;
  readonly region: string;
  readonly stack: string;
  readonly routes: number;
  readonly clusters: ClusterStatus[];
  readonly gateAlarms: AlarmStatus[];
  /** Routes that do not reach every cluster: draining the missing one leaves them alone. */
  readonly partialRoutes: { route: string; clusters: string[] }[];
  readonly observed: ObservedTraffic | null;
  readonly lock: {
    executionId: string;
    action: string;
    cluster?: string;
    requestedBy: string;
    leaseUntil: string;
    expired: boolean;
    paused: boolean;
    aborted: boolean;
  } | null;
  readonly running: { executionArn: string; name: string; startDate: string }[];
  readonly freeze: { reason: string; by: string; at: string } | null;
  /** Parts that could not be read, and why; the rest is still shown. */
  readonly unavailable: { section: string; reason: string }[];
}

/** Runs a read; on failure records why and yields the fallback, so one denied call does not blank the view. */
const attempt = async <T>(
  unavailable: StatusReport['unavailable'],
  section: string,
  read: () => Promise<T>,
  fallback: T,
): Promise<T> => {
  try {
    return await read();
  } catch (error) {
    unavailable.push({ section, reason: reasonOf(error) });
    return fallback;
  }
};

const partialRoutes = (routes: readonly RouteState[], clusters: readonly string[]) =>
  routes.flatMap((route) => {
    const present = clusters.filter((c) => route.targets.some((t) => t.cluster === c));
    return present.length < clusters.length ? [{ route: route.name, clusters: present }] : [];
  });

export const readStatus = async (ctx: ReadAccess, minutes: number): Promise<StatusReport> => {
  const { config } = ctx;
  const unavailable: StatusReport['unavailable'] = [];
  const clusterNames = config.clusters.map((c) => c.name);
  const routes = await readRoutes(ctx);
  const targetGroups = [...new Set(routes.flatMap((r) => r.targets.filter((t) => t.cluster !== null)))];
  const [health, alarms] = await Promise.all([
    attempt(
      unavailable,
      'target health',
      async () => {
        // CloudWatch for every target group in one round; DescribeTargetHealth only for those it has
        // no fresh datapoint for (status over 500 routes was 1,000 of them).
        const read = await readTargetHealthWith(
          healthTargetsOf(routes, (t) => t.cluster !== null),
          await ctx.serviceNow(),
          { elbv2: ctx.clients.elbv2(), cloudwatch: ctx.clients.cloudwatch() },
        );
        if (read.cloudWatchError !== undefined) {
          unavailable.push({
            section: 'target health metrics (read live instead)',
            reason: reasonOf(read.cloudWatchError),
          });
        }
        return read.health;
      },
      new Map<string, TargetGroupHealth>(),
    ),
    attempt(
      unavailable,
      'alarms',
      () => readAlarms(ctx, [...config.clusters.flatMap((c) => c.healthAlarms), ...config.gateAlarms]),
      new Map<string, AlarmReading>(),
    ),
  ]);
  const observed = await attempt(
    unavailable,
    'observed traffic',
    () => observeTraffic(ctx, routes, minutes),
    null,
  );

  const deployment = await attempt(unavailable, 'deployment', () => ctx.deployment(), undefined);
  const store = deployment === undefined ? undefined : await ctx.store();
  const [lock, freeze, baselines, running] = await Promise.all([
    store === undefined ? undefined : attempt(unavailable, 'lock', () => store.getLock(), undefined),
    store === undefined ? undefined : attempt(unavailable, 'freeze', () => store.getFreeze(), undefined),
    store === undefined
      ? []
      : attempt(
          unavailable,
          'baselines',
          () => Promise.all(clusterNames.map((c) => store.getBaseline(c))),
          [],
        ),
    deployment === undefined
      ? []
      : attempt(
          unavailable,
          'executions',
          () =>
            listShifts(deployment.stateMachineArn, { status: 'RUNNING', maxResults: 10 }, ctx.clients.sfn()),
          [],
        ),
  ]);
  const control =
    store === undefined || lock === undefined
      ? undefined
      : await attempt(unavailable, 'control flags', () => store.getControl(lock.executionId), undefined);

  const now = await ctx.serviceNow();
  const alarmStatus = (names: readonly string[]): AlarmStatus[] =>
    names.map((name) => ({ name, state: alarms.get(name) ?? 'INSUFFICIENT_DATA' }));
  const weighted = routes.map((route) => ({ route, weights: route.weights }));
  return {
    fleet: config.fleet,
    region: ctx.region,
    stack: ctx.stackName,
    routes: routes.length,
    clusters: config.clusters.map((cluster, index) => {
      const own = targetGroups.filter((t) => t.cluster === cluster.name).map((t) => t.targetGroupArn);
      const baseline = baselines[index];
      return {
        name: cluster.name,
        weightShare: fleetShare(weighted, cluster.name),
        observedShare:
          observed === null || observed.total === 0 ? null : (observed.shares[cluster.name] ?? 0),
        routes: routes.filter((r) => r.targets.some((t) => t.cluster === cluster.name)).length,
        targets: {
          healthy: own.reduce((sum, arn) => sum + (health.get(arn)?.healthy ?? 0), 0),
          total: own.reduce((sum, arn) => sum + (health.get(arn)?.total ?? 0), 0),
        },
        health: healthSources(own, health),
        alarms: alarmStatus(cluster.healthAlarms),
        baseline:
          baseline === undefined
            ? null
            : { recordedAt: baseline.recordedAt, executionId: baseline.executionId },
      };
    }),
    gateAlarms: alarmStatus(config.gateAlarms),
    partialRoutes: partialRoutes(routes, clusterNames),
    observed,
    lock:
      lock === undefined
        ? null
        : {
            executionId: lock.executionId,
            action: lock.action,
            ...(lock.cluster === undefined ? {} : { cluster: lock.cluster }),
            requestedBy: lock.requestedBy,
            leaseUntil: new Date(lock.expiresAt * 1000).toISOString(),
            expired: lock.expiresAt * 1000 <= now.getTime(),
            paused: control?.paused ?? false,
            aborted: control?.aborted ?? false,
          },
    running: running.map((e) => ({
      executionArn: e.executionArn,
      name: e.name,
      startDate: e.startDate.toISOString(),
    })),
    freeze: freeze ?? null,
    unavailable,
  };
};

const alarmsText = (alarms: readonly AlarmStatus[]): string =>
  alarms.length === 0 ? '(none)' : alarms.map((a) => `${a.name} ${a.state}`).join(', ');

/**
 * Where the HEALTHY figures came from, when it matters: some were read live, some are unknown, or
 * the CloudWatch minutes are not the last few (all from one recent CloudWatch round says nothing new).
 */
const healthSourcesText = (clusters: readonly ClusterStatus[]): string | undefined => {
  const parts = clusters.flatMap((c) => {
    const { cloudWatch, cloudWatchAsOf, live, unknown } = c.health;
    const said = [
      cloudWatch > 0 && cloudWatchAsOf !== null
        ? `${cloudWatch} target groups from CloudWatch (oldest ${utc(cloudWatchAsOf).slice(11, 16)} UTC)`
        : '',
      live > 0 ? `${live} read live` : '',
      unknown > 0 ? `${unknown} health unknown (not counted)` : '',
    ].filter(Boolean);
    return live > 0 || unknown > 0 ? [`${c.name}: ${said.join(', ')}`] : [];
  });
  return parts.length === 0 ? undefined : `target health: ${parts.join('; ')}`;
};

export const renderStatus = (report: StatusReport): string[] => {
  const lines = [
    `fleet ${report.fleet} (${report.region}), stack ${report.stack}: ${report.routes} managed routes`,
    '',
  ];
  const observedHeader = report.observed === null ? 'OBSERVED' : `OBSERVED (${report.observed.minutes} min)`;
  lines.push(
    ...table(
      ['CLUSTER', 'WEIGHT', observedHeader, 'ROUTES', 'HEALTHY', 'HEALTH ALARMS'],
      report.clusters.map((c) => [
        c.name,
        percent(c.weightShare),
        c.observedShare === null ? '-' : percent(c.observedShare),
        c.routes,
        `${c.targets.healthy}/${c.targets.total}`,
        alarmsText(c.alarms),
      ]),
    ),
  );
  lines.push('', `gate alarms: ${alarmsText(report.gateAlarms)}`);
  const sources = healthSourcesText(report.clusters);
  if (sources !== undefined) lines.push(sources);
  if (report.observed !== null && report.observed.total === 0) {
    lines.push(`observed: no requests counted in the last ${report.observed.minutes} minutes`);
  }
  if (report.partialRoutes.length > 0) {
    lines.push('routes not on every cluster:');
    for (const p of report.partialRoutes) lines.push(`  ${p.route} → ${joinNames(p.clusters)} only`);
  }
  for (const c of report.clusters) {
    if (c.baseline !== null) {
      lines.push(
        `baseline: ${c.name} drained since ${utc(c.baseline.recordedAt)} UTC (restore ${c.name} returns to it)`,
      );
    }
  }
  const { lock } = report;
  if (lock === null) lines.push('lock: free');
  else {
    const what = [lock.action, lock.cluster].filter(Boolean).join(' ');
    const flags = [lock.paused ? 'PAUSED' : '', lock.aborted ? 'ABORT REQUESTED' : ''].filter(Boolean);
    lines.push(
      lock.expired
        ? `lock: stale (lease ran out ${utc(lock.leaseUntil)} UTC): ${lock.executionId} (${what} by ${lock.requestedBy})`
        : `lock: held by ${lock.executionId} (${what} by ${lock.requestedBy}, lease until ${utc(lock.leaseUntil)} UTC)${flags.length > 0 ? ` ${flags.join(', ')}` : ''}`,
    );
  }
  if (report.running.length === 0) lines.push('running: none');
  for (const e of report.running) lines.push(`running: ${e.executionArn} (since ${utc(e.startDate)} UTC)`);
  lines.push(
    report.freeze === null
      ? 'freeze: none'
      : `freeze: FROZEN by ${report.freeze.by} since ${utc(report.freeze.at)} UTC: ${report.freeze.reason}`,
  );
  for (const u of report.unavailable) lines.push(`unavailable: ${u.section}: ${u.reason}`);
  return lines;
};
