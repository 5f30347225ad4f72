import type { Datapoint, MetricQuery } from '../cloudwatch/metric-source';
import type { HealthCounts, HealthLog } from './health-log';
import type { PairTraffic, TrafficLedger } from './ledger';
import { countDatapoints, gaugeDatapoints, perTargetDatapoints, STATISTICS, type Window } from './periods';
import type { StepSeries } from './step-series';

export const ALB_NAMESPACE = 'AWS/ApplicationELB';

/** The metrics the traffic model answers, and whether answering needs current target health. */
const METRICS: Readonly<Record<string, { readonly needsHealth: boolean }>> = {
  RequestCount: { needsHealth: false },
  HTTPCode_Target_5XX_Count: { needsHealth: false },
  HTTPCode_ELB_5XX_Count: { needsHealth: false },
  HTTPCode_ELB_503_Count: { needsHealth: false },
  RequestCountPerTarget: { needsHealth: true },
  HealthyHostCount: { needsHealth: true },
  UnHealthyHostCount: { needsHealth: true },
};

/** Whether the query is one the traffic model answers, and if so whether it reads target health. */
export const metricKind = (query: MetricQuery): { needsHealth: boolean } | undefined =>
  query.namespace === ALB_NAMESPACE && Object.hasOwn(METRICS, query.metricName)
    ? METRICS[query.metricName]
    : undefined;

/** What the answers are read from. */
export interface TrafficReadings {
  readonly ledger: TrafficLedger;
  /** Health log by TargetGroup dimension value. */
  healthOf(targetGroup: string): HealthLog | undefined;
  /** Whether the target group (dimension value) is attached to the load balancer (dimension value). */
  attached(targetGroup: string, loadBalancer: string): boolean;
}

const dimensionNames = (query: MetricQuery): string => Object.keys(query.dimensions).sort().join(',');

/**
 * Datapoints for one of the model's metrics. A dimension set ALB does not publish, an unknown
 * resource or a statistic other than the five plain ones gives no datapoints (as CloudWatch does
 * for a metric nobody publishes), not an error.
 */
export const answerMetric = (query: MetricQuery, readings: TrafficReadings, now: number): Datapoint[] => {
  const periodMs = query.period * 1000;
  if (!STATISTICS.has(query.stat) || !(periodMs >= 1000) || !Number.isFinite(periodMs)) return [];
  const window: Window = { start: query.start.getTime(), end: query.end.getTime(), periodMs, now };
  if (!(window.start < window.end)) return [];
  const { LoadBalancer: loadBalancer, TargetGroup: targetGroup } = query.dimensions;
  const names = dimensionNames(query);
  const { ledger } = readings;
  const pair = (): PairTraffic | undefined => pairOf(readings, loadBalancer, targetGroup);

  switch (query.metricName) {
    case 'RequestCount':
      if (names === 'LoadBalancer,TargetGroup') return series(pair()?.served.series, window, query.stat);
      if (names === 'LoadBalancer')
        return series(ledger.loadBalancer(loadBalancer ?? '')?.served.series, window, query.stat);
      return [];
    case 'HTTPCode_Target_5XX_Count':
      if (names === 'LoadBalancer,TargetGroup') return series(pair()?.target5xx, window, query.stat);
      if (names === 'LoadBalancer')
        return series(ledger.loadBalancer(loadBalancer ?? '')?.target5xx.series, window, query.stat);
      return [];
    case 'HTTPCode_ELB_5XX_Count':
    case 'HTTPCode_ELB_503_Count':
      if (names === 'LoadBalancer')
        return series(ledger.loadBalancer(loadBalancer ?? '')?.rejected.series, window, query.stat);
      return [];
    case 'RequestCountPerTarget': {
      const health = readings.healthOf(targetGroup ?? '');
      if (health === undefined) return [];
      const healthAt = (t: number): HealthCounts | undefined => health.at(t);
      if (names === 'TargetGroup') {
        const traffic = ledger.targetGroupByDimension(targetGroup ?? '')?.served.series;
        return traffic === undefined ? [] : perTargetDatapoints(traffic, healthAt, window, query.stat);
      }
      if (names === 'LoadBalancer,TargetGroup') {
        const traffic = pair()?.served.series;
        return traffic === undefined ? [] : perTargetDatapoints(traffic, healthAt, window, query.stat);
      }
      return [];
    }
    case 'HealthyHostCount':
    case 'UnHealthyHostCount': {
      if (names !== 'LoadBalancer,TargetGroup') return [];
      if (!readings.attached(targetGroup ?? '', loadBalancer ?? '')) return [];
      const health = readings.healthOf(targetGroup ?? '');
      if (health === undefined) return [];
      const healthy = query.metricName === 'HealthyHostCount';
      const valueAt = (t: number): number | undefined => {
        const counts = health.at(t);
        return counts === undefined ? undefined : healthy ? counts.healthy : counts.unhealthy;
      };
      return gaugeDatapoints(valueAt, health.start, window, query.stat);
    }
    default:
      return [];
  }
};

const pairOf = (
  readings: TrafficReadings,
  loadBalancer: string | undefined,
  targetGroup: string | undefined,
): PairTraffic | undefined =>
  readings.ledger.targetGroupByDimension(targetGroup ?? '')?.byLoadBalancer.get(loadBalancer ?? '');

const series = (source: StepSeries | undefined, window: Window, stat: string): Datapoint[] =>
  source === undefined ? [] : countDatapoints(source, window, stat);
