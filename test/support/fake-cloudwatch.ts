import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { FakeAlb } from './fake-alb';

/**
 * In-memory CloudWatch for tests: alarm states by name, RequestCount per target group derived from
 * the fake ALB's weight history (each route serves `requestsPerMinute`, split by weight), and
 * HealthyHostCount/UnHealthyHostCount per minute from the fake ALB's current target health.
 */
export class FakeCloudWatch {
  readonly alarms = new Map<string, { state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'; composite?: boolean }>();
  readonly calls: string[] = [];
  /** Target groups that keep receiving traffic whatever their weight (a stuck client, a cached route). */
  readonly stuckTargetGroups = new Set<string>();
  /** Target groups CloudWatch has no health datapoints for (published nothing, or not yet). */
  readonly silentHealth = new Set<string>();

  constructor(
    private readonly alb: FakeAlb,
    private readonly requestsPerMinute = 600,
  ) {}

  setAlarm(name: string, state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA', composite = false): void {
    this.alarms.set(name, { state, composite });
  }

  describeAlarms(input: { AlarmNames?: string[]; AlarmTypes?: string[]; NextToken?: string }) {
    this.calls.push('DescribeAlarms');
    const found = (input.AlarmNames ?? []).filter((name) => this.alarms.has(name));
    const shape = (name: string) => ({ AlarmName: name, StateValue: this.alarms.get(name)?.state });
    return {
      MetricAlarms: found.filter((n) => !this.alarms.get(n)?.composite).map(shape),
      CompositeAlarms: found.filter((n) => this.alarms.get(n)?.composite).map(shape),
    };
  }

  private requestsInMinute(targetGroupSuffix: string, minuteStart: number): number {
    const weights = this.alb.weightsAt(minuteStart + 30_000);
    let sum = 0;
    for (const routeWeights of weights.values()) {
      const total = Object.values(routeWeights).reduce((a, b) => a + b, 0);
      for (const [arn, weight] of Object.entries(routeWeights)) {
        if (!arn.endsWith(targetGroupSuffix)) continue;
        if (this.stuckTargetGroups.has(arn)) sum += this.requestsPerMinute / 2;
        else if (total > 0) sum += (this.requestsPerMinute * weight) / total;
      }
    }
    return Math.round(sum);
  }

  /** The gauge a health query reads, or undefined when CloudWatch has none for the target group. */
  private healthGauge(metricName: string, arn: string | undefined): number | undefined {
    const health = arn === undefined ? undefined : this.alb.health.get(arn);
    if (arn === undefined || health === undefined || this.silentHealth.has(arn)) return undefined;
    return metricName === 'HealthyHostCount' ? health.healthy : health.unhealthy;
  }

  getMetricData(input: { MetricDataQueries?: MetricDataQuery[]; StartTime?: Date; EndTime?: Date }) {
    this.calls.push('GetMetricData');
    const start = Math.ceil((input.StartTime?.getTime() ?? 0) / 60_000) * 60_000;
    const end = input.EndTime?.getTime() ?? 0;
    // TargetGroup dimension value (the ARN's suffix) → ARN, for the health gauges.
    const arnOf = new Map(
      [...this.alb.health.keys()].map((arn) => [arn.slice(arn.indexOf(':targetgroup/') + 1), arn]),
    );
    return {
      MetricDataResults: (input.MetricDataQueries ?? []).map((query) => {
        const dimension =
          query.MetricStat?.Metric?.Dimensions?.find((d) => d.Name === 'TargetGroup')?.Value ?? '';
        const metricName = query.MetricStat?.Metric?.MetricName ?? 'RequestCount';
        const timestamps: Date[] = [];
        const values: number[] = [];
        const health = metricName === 'HealthyHostCount' || metricName === 'UnHealthyHostCount';
        for (let minute = start; minute + 60_000 <= end; minute += 60_000) {
          const value = health
            ? this.healthGauge(metricName, arnOf.get(dimension))
            : this.requestsInMinute(dimension, minute);
          // CloudWatch stores no RequestCount datapoint for a minute without requests; a gauge may be 0.
          if (value === undefined || (!health && value === 0)) continue;
          timestamps.push(new Date(minute));
          values.push(value);
        }
        return {
          Id: query.Id,
          Label: query.Id,
          StatusCode: 'Complete' as const,
          Timestamps: timestamps.reverse(),
          Values: values.reverse(),
        };
      }),
    };
  }
}
