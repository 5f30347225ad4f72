import {
  type AlarmType,
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { ClusterShiftError } from '../core/errors';
import type { AlarmState } from '../core/routes';
import { chunk } from './bounded';
import { type RetryOptions, withRetry } from './retry';

/** DescribeAlarms takes at most 100 names; GetMetricData at most 500 queries. */
const ALARMS_PER_CALL = 100;
export const QUERIES_PER_CALL = 500;
const ALARM_TYPES: AlarmType[] = ['MetricAlarm', 'CompositeAlarm'];

let shared: CloudWatchClient | undefined;
export const defaultCloudWatchClient = (): CloudWatchClient => (shared ??= new CloudWatchClient({}));

export interface CloudWatchOptions {
  retry?: RetryOptions;
}

interface AlarmRecord {
  readonly state: AlarmState;
  /** When the alarm last changed state; absent if CloudWatch did not say. */
  readonly stateUpdatedAt?: Date;
}

/** Every named alarm, metric or composite, by name. Every name must exist: a typo is not "OK". */
const describeNamedAlarms = async (
  names: readonly string[],
  client: CloudWatchClient,
  options: CloudWatchOptions,
): Promise<Map<string, AlarmRecord>> => {
  const unique = [...new Set(names)];
  const records = new Map<string, AlarmRecord>();
  for (const batch of chunk(unique, ALARMS_PER_CALL)) {
    let token: string | undefined;
    do {
      const input = {
        AlarmNames: batch,
        AlarmTypes: ALARM_TYPES,
        MaxRecords: ALARMS_PER_CALL,
        NextToken: token,
      };
      const page = await withRetry(
        'DescribeAlarms',
        () => client.send(new DescribeAlarmsCommand(input)),
        options.retry,
      );
      for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
        if (alarm.AlarmName === undefined || alarm.StateValue === undefined) continue;
        const updated = alarm.StateUpdatedTimestamp;
        records.set(alarm.AlarmName, {
          state: alarm.StateValue,
          ...(updated === undefined ? {} : { stateUpdatedAt: new Date(updated) }),
        });
      }
      token = page.NextToken;
    } while (token);
  }
  const alarms = unique.filter((name) => !records.has(name));
  if (alarms.length > 0) {
    throw new ClusterShiftError('AlarmNotFound', `alarms not found: ${alarms.join(', ')}`, {
      details: { alarms },
    });
  }
  return records;
};

/** State of each named alarm, metric or composite. Every name must exist: a typo is not "OK". */
export const getAlarmStates = async (
  names: readonly string[],
  client: CloudWatchClient = defaultCloudWatchClient(),
  options: CloudWatchOptions = {},
): Promise<Map<string, AlarmState>> => {
  const records = await describeNamedAlarms(names, client, options);
  return new Map([...records].map(([name, record]) => [name, record.state]));
};

export type AlarmStateDetail = AlarmRecord;

/**
 * State of each named alarm and since when it has been in that state (auto-restore needs to know
 * how long an alarm has been OK, not only that it is OK now). Every name must exist.
 */
export const getAlarmStateDetails = async (
  names: readonly string[],
  client: CloudWatchClient = defaultCloudWatchClient(),
  options: CloudWatchOptions = {},
): Promise<Map<string, AlarmStateDetail>> => describeNamedAlarms(names, client, options);

export interface RequestCountTarget {
  readonly targetGroupArn: string;
  readonly loadBalancerArn: string;
}

export interface RequestCountPoint {
  readonly timestamp: Date;
  readonly sum: number;
}

/** The part of an ARN after `marker` (CloudWatch's ALB dimensions are ARN suffixes). */
const after = (arn: string, marker: string): string => {
  const at = arn.indexOf(marker);
  return at === -1 ? arn : arn.slice(at + marker.length);
};

/** The (TargetGroup, LoadBalancer) dimensions ALB publishes its per-target-group metrics under. */
export const targetGroupDimensions = (target: RequestCountTarget) => [
  { Name: 'TargetGroup', Value: `targetgroup/${after(target.targetGroupArn, ':targetgroup/')}` },
  { Name: 'LoadBalancer', Value: after(target.loadBalancerArn, ':loadbalancer/') },
];

/** One AWS/ApplicationELB metric of one (target group, load balancer) pair. */
export const targetGroupMetricQuery = (
  id: string,
  target: RequestCountTarget,
  metricName: string,
  stat: string,
  periodSeconds: number,
): MetricDataQuery => ({
  Id: id,
  ReturnData: true,
  MetricStat: {
    Metric: {
      Namespace: 'AWS/ApplicationELB',
      MetricName: metricName,
      Dimensions: targetGroupDimensions(target),
    },
    Period: periodSeconds,
    Stat: stat,
  },
});

const requestCountQuery = (id: string, target: RequestCountTarget, periodSeconds: number): MetricDataQuery =>
  targetGroupMetricQuery(id, target, 'RequestCount', 'Sum', periodSeconds);

export interface RequestCountOptions extends CloudWatchOptions {
  /** CloudWatch period, seconds (ALB metrics: whole minutes). Default 60. */
  readonly periodSeconds?: number;
}

/**
 * Requests per period over `window`, summed per key (`keyOf`: a target group, a cluster …), in time
 * order. Every key of `targets` is in the result; an empty series means no requests, since
 * CloudWatch publishes no RequestCount datapoint for an idle period. A target group behind several
 * load balancers counts the sum over all of them.
 */
export const sumRequestCounts = async <K extends string>(
  targets: readonly RequestCountTarget[],
  keyOf: (target: RequestCountTarget) => K,
  window: { start: Date; end: Date },
  client: CloudWatchClient = defaultCloudWatchClient(),
  options: RequestCountOptions = {},
): Promise<Map<K, RequestCountPoint[]>> => {
  const periodSeconds = options.periodSeconds ?? 60;
  const pairs = [
    ...new Map(targets.map((t) => [`${t.targetGroupArn} ${t.loadBalancerArn}`, t] as const)).values(),
  ].map((target, index) => ({ id: `q${index}`, target }));
  const keyById = new Map(pairs.map((pair) => [pair.id, keyOf(pair.target)]));
  const sums = new Map<K, Map<number, number>>(targets.map((t) => [keyOf(t), new Map()]));

  for (const batch of chunk(pairs, QUERIES_PER_CALL)) {
    const queries = batch.map(({ id, target }) => requestCountQuery(id, target, periodSeconds));
    let token: string | undefined;
    do {
      const input = {
        MetricDataQueries: queries,
        StartTime: window.start,
        EndTime: window.end,
        ScanBy: 'TimestampAscending' as const,
        NextToken: token,
      };
      const page = await withRetry(
        'GetMetricData',
        () => client.send(new GetMetricDataCommand(input)),
        options.retry,
      );
      for (const result of page.MetricDataResults ?? []) {
        const key = keyById.get(result.Id ?? '');
        const series = key === undefined ? undefined : sums.get(key);
        if (series === undefined) continue;
        (result.Timestamps ?? []).forEach((timestamp, i) => {
          const at = new Date(timestamp).getTime();
          const value = result.Values?.[i];
          if (Number.isFinite(at) && value !== undefined && Number.isFinite(value))
            series.set(at, (series.get(at) ?? 0) + value);
        });
      }
      token = page.NextToken;
    } while (token);
  }

  return new Map(
    [...sums].map(([key, series]) => [
      key,
      [...series].sort(([a], [b]) => a - b).map(([at, sum]) => ({ timestamp: new Date(at), sum })),
    ]),
  );
};

/** Requests per minute per target group over `window` (what drain verification reads). */
export const getRequestCounts = (
  targets: readonly RequestCountTarget[],
  window: { start: Date; end: Date },
  client: CloudWatchClient = defaultCloudWatchClient(),
  options: CloudWatchOptions = {},
): Promise<Map<string, RequestCountPoint[]>> =>
  sumRequestCounts(targets, (target) => target.targetGroupArn, window, client, options);
