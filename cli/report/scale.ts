/**
 * Axis ticks for the chart. Hand-written (d3-scale would do it) to keep the report free of
 * dependencies: the page must open offline, and these two rules are short.
 */

/** 0 to a round maximum at or above `max`, in about 5 steps of 1, 2, 2.5 or 5 × 10^k (whole numbers). */
export const countTicks = (max: number): { max: number; ticks: number[] } => {
  const top = Number.isFinite(max) && max > 0 ? max : 0;
  if (top === 0) return { max: 4, ticks: [0, 1, 2, 3, 4] };
  const rough = top / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step =
    [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough && Number.isInteger(s)) ??
    Math.max(1, Math.ceil(rough));
  const ticks: number[] = [];
  for (let value = 0; value < top + step; value += step) ticks.push(value);
  return { max: ticks[ticks.length - 1] ?? step, ticks };
};

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** Every interval divides a UTC day, so ticks fall on round clock times. */
const TIME_INTERVALS = [
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  24 * HOUR,
];

/** Round clock times (epoch ms) inside [start, end], at most `maxTicks` of them. */
export const timeTicks = (
  start: number,
  end: number,
  maxTicks = 8,
): { ticks: number[]; interval: number } => {
  const span = Math.max(end - start, 1);
  const interval =
    TIME_INTERVALS.find((candidate) => span / candidate <= maxTicks) ??
    Math.ceil(span / maxTicks / (24 * HOUR)) * 24 * HOUR;
  const ticks: number[] = [];
  for (let at = Math.ceil(start / interval) * interval; at <= end; at += interval) ticks.push(at);
  return { ticks, interval };
};

/** Maps [domainStart, domainEnd] onto [rangeStart, rangeEnd]; a zero-width domain maps to the middle. */
export const linear =
  (domainStart: number, domainEnd: number, rangeStart: number, rangeEnd: number) =>
  (value: number): number =>
    domainEnd === domainStart
      ? (rangeStart + rangeEnd) / 2
      : rangeStart + ((value - domainStart) / (domainEnd - domainStart)) * (rangeEnd - rangeStart);
