/** Small numeric helpers the benchmarks share. */

/** `value` rounded to `digits` decimals. */
export const round = (value: number, digits = 1): number => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};

/** Nearest-rank percentile (p in 0..1) of an ascending list; NaN when the list is empty. */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1))] ?? Number.NaN;

export interface LatencySummary {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

/** Requests per second over `elapsedMs`, and the median and 95th percentile of the latencies. */
export const summarizeLatencies = (latenciesMs: readonly number[], elapsedMs: number): LatencySummary => {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    requestsPerSecond: elapsedMs > 0 ? round((sorted.length / elapsedMs) * 1000) : 0,
    p50Ms: round(percentile(sorted, 0.5)),
    p95Ms: round(percentile(sorted, 0.95)),
  };
};
