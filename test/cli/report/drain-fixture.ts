import type { ReportData, ReportPoint, ReportStep } from '../../../cli/report/types';

/**
 * One realistic drain, for the report tests: blue drained from two routes (`api`, `web`, 600
 * requests a minute each, split 50/50 before) in four steps written 15 s into minutes 1, 4, 7 and
 * 10, each baking two minutes, verified drained at minute 13, finished at 13.5. Times are minutes
 * from `t0` (epoch ms), so a test can place the drain where its clock needs it.
 */

const MINUTE = 60_000;
export const ROUTE_NAMES = ['api', 'web'] as const;
export const CLUSTERS = ['blue', 'green'] as const;
export type RouteName = (typeof ROUTE_NAMES)[number];
export type ClusterName = (typeof CLUSTERS)[number];

export const DRAIN = {
  /** When each step's weights were written. */
  stepMinutes: [1.25, 4.25, 7.25, 10.25],
  /** Blue's share of each route after each step. */
  blueShares: [0.375, 0.25, 0.125, 0],
  bakeMinutes: 2,
  verifyMinute: 13,
  finishMinute: 13.5,
  requestsPerRoute: 600,
} as const;

export const minuteAt = (t0: number, minute: number): Date => new Date(t0 + minute * MINUTE);

/** Blue's share of a route at a moment: 0.5 before the first write, then each step's. */
const blueShareAt = (minute: number): number => {
  let share = 0.5;
  DRAIN.stepMinutes.forEach((at, i) => {
    if (minute >= at) share = DRAIN.blueShares[i] ?? share;
  });
  return share;
};

/**
 * What CloudWatch counts for one route's target group of `cluster` in the minute starting at
 * `minute`: the minute's traffic (a small deterministic wobble, as real traffic has) split by the
 * shares in effect, a minute with a write counting both splits for their part of it.
 */
export const requestsInMinute = (route: RouteName, cluster: ClusterName, minute: number): number => {
  const total = DRAIN.requestsPerRoute * (1 + 0.04 * Math.sin(minute * 1.3 + ROUTE_NAMES.indexOf(route)));
  let blue = 0;
  for (let quarter = 0; quarter < 4; quarter++) blue += blueShareAt(minute + quarter / 4 + 0.01) / 4;
  return Math.round(total * (cluster === 'blue' ? blue : 1 - blue));
};

/** A cluster's requests per minute over both routes, from minute `from` to `to` (inclusive). */
export const clusterMinutes = (t0: number, cluster: ClusterName, from: number, to: number): ReportPoint[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    at: minuteAt(t0, from + i),
    requests: ROUTE_NAMES.reduce((sum, route) => sum + requestsInMinute(route, cluster, from + i), 0),
  }));

/** The report data of the drain, as collectReport gathers it: what the screenshot test renders. */
export const drainReportData = (t0: number): ReportData => {
  const at = (minute: number) => minuteAt(t0, minute);
  const steps: ReportStep[] = DRAIN.stepMinutes.map((minute, index) => {
    const blue = DRAIN.blueShares[index] ?? 0;
    const blueWeight = Math.round(blue * 100);
    return {
      index,
      total: DRAIN.stepMinutes.length,
      at: at(minute),
      bakeUntil: at(minute + DRAIN.bakeMinutes),
      shares: { blue, green: 1 - blue },
      weightsSummary: `2 routes written; blue=${blueWeight} green=${100 - blueWeight} on 2 routes`,
      gates: 'before write: passed · bake: passed',
      observedShares: { blue, green: 1 - blue },
    };
  });
  return {
    fleet: 'prod-eu',
    execution: {
      arn: 'arn:aws:states:eu-west-1:123456789012:execution:ClusterShift-prod-eu:cli-drain-blue-1',
      name: 'cli-drain-blue-1',
      action: 'drain',
      cluster: 'blue',
      requestedBy: 'cli:arn:aws:sts::123456789012:assumed-role/oncall/alice',
      reason: 'EKS 1.31 upgrade',
      startedAt: at(0),
      stoppedAt: at(DRAIN.finishMinute),
      status: 'SUCCEEDED',
      outcome: 'SUCCEEDED',
      endState:
        'Succeeded: every changed route is at the plan target (mean share over the changed routes: blue 0 %, green 100 %).',
    },
    clusters: CLUSTERS.map((name) => ({ name })),
    series: CLUSTERS.map((cluster) => ({ cluster, points: clusterMinutes(t0, cluster, -5, 17) })),
    steps,
    markers: [
      { at: at(0), kind: 'note', label: 'started' },
      { at: at(DRAIN.verifyMinute), kind: 'verify', label: 'verified drained' },
      { at: at(DRAIN.finishMinute), kind: 'note', label: 'finished' },
    ],
    periodSeconds: 60,
    window: { start: at(-5), end: at(18.5) },
    notes: ['Requests of the 2 route(s) this execution changed (target groups from its stored plan).'],
    generatedAt: at(40),
  };
};
