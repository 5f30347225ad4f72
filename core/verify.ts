/** Drain verification over CloudWatch RequestCount datapoints (one-minute sums per target group). */

export interface Datapoint {
  readonly timestamp: Date;
  readonly sum: number;
}

export interface DrainCheck {
  /** Every drained target group's per-minute requests are at or below the threshold. */
  readonly drained: boolean;
  /** Target groups still receiving more than the threshold, with their latest per-minute count. */
  readonly stillReceiving: readonly { targetGroupArn: string; requestsPerMinute: number }[];
  /** Whether any full minute after the last write has been observed at all yet. */
  readonly observed: boolean;
}

/**
 * Judges the minutes that started at or after the last weight write (earlier minutes mix traffic
 * from before the write). No datapoint for a minute means no requests: CloudWatch stores none.
 * Until one full minute after the write has ended, nothing can be said (`observed` false).
 */
export const checkDrained = (
  datapoints: ReadonlyMap<string, readonly Datapoint[]>,
  lastWriteAt: Date,
  now: Date,
  thresholdPerMinute: number,
): DrainCheck => {
  const minute = 60_000;
  const firstFullMinute = Math.ceil(lastWriteAt.getTime() / minute) * minute;
  const observed = now.getTime() >= firstFullMinute + minute;
  const stillReceiving: { targetGroupArn: string; requestsPerMinute: number }[] = [];
  for (const [targetGroupArn, points] of datapoints) {
    const after = points.filter(
      (p) => p.timestamp.getTime() >= firstFullMinute && p.timestamp.getTime() + minute <= now.getTime(),
    );
    const latest = after.reduce<Datapoint | undefined>(
      (a, b) => (a === undefined || b.timestamp > a.timestamp ? b : a),
      undefined,
    );
    if (latest !== undefined && latest.sum > thresholdPerMinute) {
      stillReceiving.push({ targetGroupArn, requestsPerMinute: latest.sum });
    }
  }
  return { drained: observed && stillReceiving.length === 0, stillReceiving, observed };
};
