import type { ReportPoint } from './types';

/**
 * Turning CloudWatch datapoints into what the report shows. Pure.
 * CloudWatch stores no RequestCount datapoint for a period without requests, so a missing period on
 * the query's grid means zero: filled in, a drained cluster's line drops to 0 instead of stopping.
 */
export const fillIdlePeriods = (
  points: readonly ReportPoint[],
  grid: { start: Date; end: Date; periodSeconds: number },
): ReportPoint[] => {
  const period = grid.periodSeconds * 1000;
  const start = grid.start.getTime();
  // Points off the grid mean the source aligns periods differently: leave them as they came.
  if (points.some((p) => (p.at.getTime() - start) % period !== 0)) return [...points];
  const byTime = new Map(points.map((p) => [p.at.getTime(), p.requests]));
  const filled: ReportPoint[] = [];
  // Only whole periods: the one still running has no final count yet.
  for (let at = start; at + period <= grid.end.getTime(); at += period) {
    filled.push({ at: new Date(at), requests: byTime.get(at) ?? 0 });
  }
  const kept = new Set(filled.map((p) => p.at.getTime()));
  // A datapoint outside the grid's whole periods is still real data.
  const extra = points.filter((p) => !kept.has(p.at.getTime()));
  return [...filled, ...extra].sort((a, b) => a.at.getTime() - b.at.getTime());
};

/**
 * Each cluster's share of the requests in the periods that lie wholly inside [from, to]: a period
 * that began before the write mixes traffic from before it. Undefined when no such period has any
 * request.
 */
export const observedShares = (
  series: ReadonlyMap<string, readonly ReportPoint[]>,
  from: Date,
  to: Date,
  periodSeconds: number,
): Record<string, number> | undefined => {
  const period = periodSeconds * 1000;
  const totals = new Map<string, number>();
  for (const [cluster, points] of series) {
    const inside = points.filter(
      (p) => p.at.getTime() >= from.getTime() && p.at.getTime() + period <= to.getTime(),
    );
    totals.set(
      cluster,
      inside.reduce((sum, p) => sum + p.requests, 0),
    );
  }
  const all = [...totals.values()].reduce((sum, value) => sum + value, 0);
  if (all <= 0) return undefined;
  return Object.fromEntries(
    [...totals].map(([cluster, sum]) => [cluster, Math.round((sum / all) * 1000) / 1000]),
  );
};
