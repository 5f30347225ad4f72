/**
 * Where the CloudWatch twin gets metrics it does not store itself: the traffic model answers the
 * AWS/ApplicationELB metrics (RequestCount, RequestCountPerTarget, HTTPCode_Target_5XX_Count,
 * HealthyHostCount) from the live weights; PutMetricData answers the rest.
 */
export interface MetricQuery {
  readonly namespace: string;
  readonly metricName: string;
  /** Dimension name → value, e.g. { TargetGroup: 'targetgroup/blue-svc1/0123…', LoadBalancer: 'app/…' }. */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly start: Date;
  readonly end: Date;
  /** Seconds, a multiple of 60. */
  readonly period: number;
  /** Sum, Average, Minimum, Maximum or SampleCount. */
  readonly stat: string;
}

export interface Datapoint {
  /** Start of the period. */
  readonly timestamp: Date;
  readonly value: number;
}

/** Datapoints for the query (oldest first, periods with no data left out), or undefined if not this source's metric. */
export type MetricSource = (query: MetricQuery) => Datapoint[] | undefined;
