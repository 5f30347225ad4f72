import type { Datapoint } from '../cloudwatch/metric-source';
import type { HealthCounts } from './health-log';
import type { StepSeries } from './step-series';

export const MINUTE = 60_000;
const DAY = 86_400_000;

export const STATISTICS = new Set(['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount']);

/** A query's time range in twin epoch ms, with the twin's present (nothing is returned past it). */
export interface Window {
  readonly start: number;
  readonly end: number;
  readonly periodMs: number;
  readonly now: number;
}

/**
 * CloudWatch rounds StartTime down: to the minute if under 15 days ago, to 5 minutes if under 63
 * days, else to the hour; periods then run from that start (so with 60 s periods, or a start that
 * is already a multiple of the period, they fall on multiples of the period from the epoch).
 */
export const alignedStart = (start: number, now: number): number => {
  const age = now - start;
  const unit = age < 15 * DAY ? MINUTE : age < 63 * DAY ? 5 * MINUTE : 60 * MINUTE;
  return Math.floor(start / unit) * unit;
};

/** Starts of the window's periods that have begun by `now` and end after `dataFrom` (nothing earlier has data). */
export function* periodStarts(window: Window, dataFrom: number): Generator<number> {
  const first = alignedStart(window.start, window.now);
  const skipped = Math.max(0, Math.floor((dataFrom - first) / window.periodMs));
  for (
    let at = first + skipped * window.periodMs;
    at < window.end && at < window.now;
    at += window.periodMs
  ) {
    yield at;
  }
}

/**
 * Whole requests up to `t`: the floor of the exact integral, so the counts of consecutive periods
 * always add up to the floor of the total. The tolerance keeps an exact 400 computed as
 * 399.99999999997 from losing a request.
 */
export const wholeRequests = (series: StepSeries, t: number): number => {
  const exact = series.integral(t);
  return Math.floor(exact + 1e-9 * Math.max(1, exact));
};

export const requestsBetween = (series: StepSeries, from: number, to: number): number =>
  wholeRequests(series, to) - wholeRequests(series, from);

/** Each request is one sample of 1, as ALB publishes its count metrics. */
const countStatistic = (count: number, stat: string): number =>
  stat === 'Sum' || stat === 'SampleCount' ? count : 1;

const statisticOf = (samples: readonly number[], stat: string): number => {
  const sum = samples.reduce((a, b) => a + b, 0);
  switch (stat) {
    case 'Sum':
      return sum;
    case 'SampleCount':
      return samples.length;
    case 'Average':
      return sum / samples.length;
    case 'Minimum':
      return Math.min(...samples);
    default:
      return Math.max(...samples);
  }
};

/** RequestCount and the HTTPCode counts: per-period sums, no datapoint for a period without requests. */
export const countDatapoints = (series: StepSeries, window: Window, stat: string): Datapoint[] => {
  const from = series.start;
  if (from === undefined) return [];
  const points: Datapoint[] = [];
  for (const at of periodStarts(window, from)) {
    const count = requestsBetween(series, at, Math.min(at + window.periodMs, window.now));
    if (count > 0) points.push({ timestamp: new Date(at), value: countStatistic(count, stat) });
  }
  return points;
};

/** The minutes a period samples: each minute that has begun, read at its last instant or now. */
function* minuteSamples(periodStart: number, window: Window): Generator<{ minute: number; at: number }> {
  const end = Math.min(periodStart + window.periodMs, window.now);
  for (let minute = periodStart; minute < end; minute += MINUTE) {
    yield { minute, at: Math.min(minute + MINUTE - 1, window.now) };
  }
}

/**
 * RequestCountPerTarget: each minute's requests divided by the healthy targets then, or by all
 * registered targets when none is healthy (as AWS documents); periods sum the minutes.
 */
export const perTargetDatapoints = (
  series: StepSeries,
  healthAt: (t: number) => HealthCounts | undefined,
  window: Window,
  stat: string,
): Datapoint[] => {
  const from = series.start;
  if (from === undefined) return [];
  const points: Datapoint[] = [];
  for (const at of periodStarts(window, from)) {
    const samples: number[] = [];
    for (const { minute, at: sampledAt } of minuteSamples(at, window)) {
      const requests = requestsBetween(series, minute, Math.min(minute + MINUTE, window.now));
      const health = healthAt(sampledAt);
      const targets = health === undefined ? 0 : health.healthy > 0 ? health.healthy : health.registered;
      if (requests > 0 && targets > 0) samples.push(requests / targets);
    }
    if (samples.length > 0) points.push({ timestamp: new Date(at), value: statisticOf(samples, stat) });
  }
  return points;
};

/** HealthyHostCount / UnHealthyHostCount: a sample per minute; zero is a datapoint too. */
export const gaugeDatapoints = (
  valueAt: (t: number) => number | undefined,
  dataFrom: number | undefined,
  window: Window,
  stat: string,
): Datapoint[] => {
  if (dataFrom === undefined) return [];
  const points: Datapoint[] = [];
  for (const at of periodStarts(window, dataFrom)) {
    const samples: number[] = [];
    for (const { at: sampledAt } of minuteSamples(at, window)) {
      const value = valueAt(sampledAt);
      if (value !== undefined) samples.push(value);
    }
    if (samples.length > 0) points.push({ timestamp: new Date(at), value: statisticOf(samples, stat) });
  }
  return points;
};
