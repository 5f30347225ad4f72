import type { Datapoint } from './metric-source';
import { aggregate, type Sample, type Statistic } from './statistics';

/**
 * Datapoints from PutMetricData, one series per metric (namespace, name and the exact set of
 * dimensions: CloudWatch treats each combination as its own metric).
 */
export interface MetricIdentity {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

export interface SeriesQuery extends MetricIdentity {
  /** Epoch ms of the first period's start (already aligned). */
  readonly start: number;
  /** Epoch ms, exclusive. */
  readonly end: number;
  /** Seconds. */
  readonly period: number;
  readonly statistic: Statistic;
  readonly unit?: string;
}

/**
 * Samples kept per series. The twin runs for minutes to hours; this bounds memory if a client
 * publishes in a loop for longer (the oldest half is dropped when the cap is reached).
 */
const MAX_SAMPLES_PER_SERIES = 200_000;

const seriesKey = (metric: MetricIdentity): string =>
  JSON.stringify([
    metric.namespace,
    metric.metricName,
    Object.entries(metric.dimensions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  ]);

export class MetricStore {
  private readonly series = new Map<string, Sample[]>();

  put(metric: MetricIdentity, sample: Sample): void {
    const key = seriesKey(metric);
    let samples = this.series.get(key);
    if (samples === undefined) {
      samples = [];
      this.series.set(key, samples);
    }
    if (samples.length >= MAX_SAMPLES_PER_SERIES) samples.splice(0, samples.length / 2);
    samples.push(sample);
  }

  /** One datapoint per period that has data, oldest first; the timestamp is the period's start. */
  query(query: SeriesQuery): Datapoint[] {
    const samples = this.series.get(seriesKey(query)) ?? [];
    const periodMs = query.period * 1000;
    const buckets = new Map<number, Sample[]>();
    for (const sample of samples) {
      if (sample.at < query.start || sample.at >= query.end) continue;
      if (query.unit !== undefined && sample.unit !== query.unit) continue;
      const bucket = query.start + Math.floor((sample.at - query.start) / periodMs) * periodMs;
      const list = buckets.get(bucket);
      if (list === undefined) buckets.set(bucket, [sample]);
      else list.push(sample);
    }
    const datapoints: Datapoint[] = [];
    for (const [start, list] of [...buckets].sort(([a], [b]) => a - b)) {
      const value = aggregate(list, query.statistic);
      if (value !== undefined) datapoints.push({ timestamp: new Date(start), value });
    }
    return datapoints;
  }
}
