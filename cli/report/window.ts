/**
 * The time span a report asks CloudWatch about, and how much of it CloudWatch has published yet.
 * Pure: `now` is the services' clock, passed in.
 */

const MINUTE = 60_000;
/** Charted before the execution started and after it ended, so the change stands out. */
export const REPORT_MARGIN_MS = 5 * MINUTE;
/**
 * ALB metrics reach CloudWatch 1–3 minutes after their minute ends. Until then a missing datapoint
 * means "not published yet", not "no requests": charting it as 0 would show a drop that never was.
 */
export const PUBLISH_LAG_MS = 3 * MINUTE;

export interface TimeWindow {
  readonly start: Date;
  readonly end: Date;
}

/**
 * The execution ±5 minutes widened to whole periods (CloudWatch aligns datapoints to the grid of the
 * start time, and a period cut by the end would look like a drop), never past now. A running
 * execution (no `stoppedAt`) is charted up to now.
 */
export const reportWindow = (
  startedAt: Date,
  stoppedAt: Date | undefined,
  now: Date,
  periodSeconds: number,
): TimeWindow => {
  const periodMs = periodSeconds * 1000;
  const startMs = Math.floor((startedAt.getTime() - REPORT_MARGIN_MS) / periodMs) * periodMs;
  const wantedEndMs = Math.ceil(((stoppedAt ?? now).getTime() + REPORT_MARGIN_MS) / periodMs) * periodMs;
  const endMs = Math.min(wantedEndMs, now.getTime());
  // Only a clock behind the execution's start ends before the start: chart one period then.
  return { start: new Date(startMs), end: new Date(endMs > startMs ? endMs : startMs + periodMs) };
};

/**
 * Up to when a period without a datapoint counts as idle: through the latest period any series has
 * a datapoint for, and in any case up to the publishing lag before now.
 */
export const publishedUntil = (latestDatapoint: Date | undefined, periodSeconds: number, now: Date): Date => {
  const settled = now.getTime() - PUBLISH_LAG_MS;
  const latest = latestDatapoint === undefined ? settled : latestDatapoint.getTime() + periodSeconds * 1000;
  return new Date(Math.min(now.getTime(), Math.max(latest, settled)));
};
