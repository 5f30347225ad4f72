import type {
  CompositeAlarm,
  GetMetricDataOutput,
  MetricAlarm,
  MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import type { TwinClock } from '../clock';
import { partitionOf } from '../partition';
import {
  type Datapoint,
  insufficientDataReason,
  longDate,
  reasonTimestamp,
  thresholdReason,
} from './evaluate-reason';
import { AlarmRuleError, evaluateAlarmRule } from './evaluate-rule';
import type { AlarmStateChange, AlarmStateValue, CloudWatchTwin } from './index';

/**
 * Alarm evaluation as CloudWatch does it, over the twin's metrics (the traffic model, PutMetricData):
 * every minute of twin time each static-threshold metric alarm looks at its last EvaluationPeriods
 * complete periods, counts the datapoints crossing the threshold (missing ones per TreatMissingData)
 * and goes to ALARM when at least DatapointsToAlarm do, OK otherwise; composite alarms follow their
 * AlarmRule whenever a child's state changes. A state set with SetAlarmState stands until an
 * evaluation comes to a different one, as on AWS.
 *
 * Not evaluated: the twin's placeholder alarms (namespace ClusterShift/Twin, driven by hand through
 * SetAlarmState and the admin endpoint) and anomaly-band alarms (ThresholdMetricId).
 */
export const PLACEHOLDER_NAMESPACE = 'ClusterShift/Twin';
const MINUTE = 60_000;

export interface AlarmEvaluatorOptions {
  readonly clock: TwinClock;
  readonly cloudwatch: CloudWatchTwin;
  readonly region: string;
  readonly accountId: string;
  /** Where an alarm that cannot be evaluated is reported (the evaluation of the others goes on). */
  readonly onError?: (alarmName: string, error: unknown) => void;
}

export interface Evaluation {
  readonly alarmName: string;
  readonly state: AlarmStateValue;
  readonly changed: boolean;
}

type Alarms = { metric: MetricAlarm[]; composite: CompositeAlarm[] };

const breaches = (operator: string, value: number, threshold: number): boolean => {
  switch (operator) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
    default:
      return false;
  }
};

/** The queries that produce the alarm's one watched series, and its period in seconds. */
const alarmQueries = (alarm: MetricAlarm): { queries: MetricDataQuery[]; period: number } | undefined => {
  if (alarm.Metrics !== undefined && alarm.Metrics.length > 0) {
    const watched = alarm.Metrics.find((query) => query.ReturnData !== false);
    const period =
      watched?.MetricStat?.Period ??
      watched?.Period ??
      alarm.Metrics.find((query) => query.MetricStat !== undefined)?.MetricStat?.Period;
    return period === undefined ? undefined : { queries: alarm.Metrics, period };
  }
  if (alarm.Period === undefined || alarm.MetricName === undefined || alarm.Namespace === undefined)
    return undefined;
  return {
    period: alarm.Period,
    queries: [
      {
        Id: 'm',
        MetricStat: {
          Metric: {
            Namespace: alarm.Namespace,
            MetricName: alarm.MetricName,
            Dimensions: alarm.Dimensions ?? [],
          },
          Period: alarm.Period,
          Stat: alarm.Statistic ?? alarm.ExtendedStatistic,
          ...(alarm.Unit === undefined ? {} : { Unit: alarm.Unit }),
        },
      },
    ],
  };
};

export class AlarmEvaluator {
  private readonly arnPrefix: string;
  private readonly unsubscribe: () => void;
  private timer: AbortController | undefined;

  constructor(private readonly options: AlarmEvaluatorOptions) {
    this.arnPrefix = `arn:${partitionOf(options.region)}:cloudwatch:${options.region}:${options.accountId}:alarm:`;
    this.unsubscribe = options.cloudwatch.onAlarmStateChange((change) => this.evaluateComposites(change));
  }

  /** Evaluates every metric alarm at twin time `now`, then every composite alarm. */
  evaluateAlarms(now: number = this.options.clock.now()): Evaluation[] {
    const results: Evaluation[] = [];
    for (const alarm of this.alarms().metric) {
      const name = alarm.AlarmName ?? '';
      try {
        const result = this.evaluateMetricAlarm(alarm, now);
        if (result !== undefined) results.push(result);
      } catch (error) {
        this.report(name, error);
      }
    }
    results.push(...this.evaluateComposites());
    return results;
  }

  /**
   * Composite alarms' rules against their children's current states; `trigger` is the child change
   * that prompted it (it names the reason). Called on every alarm state change.
   */
  evaluateComposites(trigger?: AlarmStateChange): Evaluation[] {
    const alarms = this.alarms();
    const states = new Map<string, { value: AlarmStateValue; at: Date; arn: string }>();
    for (const alarm of [...alarms.metric, ...alarms.composite]) {
      states.set(alarm.AlarmName ?? '', {
        value: (alarm.StateValue ?? 'INSUFFICIENT_DATA') as AlarmStateValue,
        at: alarm.StateUpdatedTimestamp ?? new Date(0),
        arn: alarm.AlarmArn ?? '',
      });
    }
    const resolve = (reference: string): string =>
      reference.startsWith(this.arnPrefix) ? reference.slice(this.arnPrefix.length) : reference;
    const results: Evaluation[] = [];
    for (const alarm of alarms.composite) {
      const name = alarm.AlarmName ?? '';
      try {
        const referenced = new Set<string>();
        const holds = evaluateAlarmRule(alarm.AlarmRule ?? 'FALSE', (reference) => {
          referenced.add(resolve(reference));
          return states.get(resolve(reference))?.value;
        });
        const state: AlarmStateValue = holds ? 'ALARM' : 'OK';
        const current = states.get(name)?.value;
        if (current === state) {
          results.push({ alarmName: name, state, changed: false });
          continue;
        }
        const triggerName = trigger?.alarm.AlarmName;
        const child =
          triggerName !== undefined && referenced.has(triggerName) ? states.get(triggerName) : undefined;
        const triggering =
          child !== undefined ? [child] : [...referenced].flatMap((ref) => states.get(ref) ?? []);
        const reason =
          child !== undefined
            ? `${child.arn} transitioned to ${child.value} at ${longDate(child.at)}`
            : `${alarm.AlarmArn} was created and its alarm rule evaluates to ${state}`;
        const reasonData = JSON.stringify({
          triggeringAlarms: triggering.map((entry) => ({
            arn: entry.arn,
            state: { value: entry.value, timestamp: reasonTimestamp(entry.at.getTime()) },
          })),
        });
        this.options.cloudwatch.setAlarmState(name, state, reason, reasonData);
        states.set(name, { value: state, at: this.options.clock.date(), arn: alarm.AlarmArn ?? '' });
        results.push({ alarmName: name, state, changed: true });
      } catch (error) {
        this.report(name, error instanceof AlarmRuleError ? error.message : error);
      }
    }
    return results;
  }

  /** Evaluates every minute of twin time (on the minute) until `stop`. */
  start(): void {
    if (this.timer !== undefined) return;
    const timer = new AbortController();
    this.timer = timer;
    const { clock } = this.options;
    void (async () => {
      while (!timer.signal.aborted) {
        // A second past the minute: the period that just ended is complete.
        await clock.sleep(MINUTE - (clock.now() % MINUTE) + 1000, timer.signal);
        if (timer.signal.aborted) return;
        try {
          this.evaluateAlarms();
        } catch (error) {
          this.report('(all)', error);
        }
      }
    })();
  }

  stop(): void {
    this.timer?.abort();
    this.timer = undefined;
  }

  /** Stops the timer and the composite evaluation on state changes. */
  dispose(): void {
    this.stop();
    this.unsubscribe();
  }

  private evaluateMetricAlarm(alarm: MetricAlarm, now: number): Evaluation | undefined {
    const name = alarm.AlarmName ?? '';
    if (alarm.Namespace === PLACEHOLDER_NAMESPACE || alarm.Threshold === undefined) return undefined;
    if (alarm.ThresholdMetricId !== undefined) return undefined;
    const watched = alarmQueries(alarm);
    if (watched === undefined) return undefined;
    const periodMs = watched.period * 1000;
    const n = alarm.EvaluationPeriods ?? 1;
    const m = alarm.DatapointsToAlarm ?? n;
    const end = Math.floor(now / periodMs) * periodMs;
    const start = end - n * periodMs;
    const output = this.operation('GetMetricData')({
      MetricDataQueries: watched.queries,
      StartTime: new Date(start),
      EndTime: new Date(end),
      ScanBy: 'TimestampAscending',
    }) as GetMetricDataOutput;
    const [result] = output.MetricDataResults ?? [];
    const byStart = new Map<number, number>();
    (result?.Timestamps ?? []).forEach((timestamp, index) => {
      const value = result?.Values?.[index];
      if (value !== undefined) byStart.set(new Date(timestamp).getTime(), value);
    });
    const periods = Array.from({ length: n }, (_, i) => start + i * periodMs);
    const present: Datapoint[] = periods.flatMap((timestamp) => {
      const value = byStart.get(timestamp);
      return value === undefined ? [] : [{ timestamp, value }];
    });
    const missing = n - present.length;
    const threshold = alarm.Threshold;
    const operator = alarm.ComparisonOperator ?? 'GreaterThanThreshold';
    const crossing = present.filter((point) => breaches(operator, point.value, threshold));
    const treat = alarm.TreatMissingData ?? 'missing';
    const current = (alarm.StateValue ?? 'INSUFFICIENT_DATA') as AlarmStateValue;

    let state: AlarmStateValue;
    let reason: string;
    if (present.length === 0 && (treat === 'missing' || treat === 'ignore')) {
      if (treat === 'ignore') return { alarmName: name, state: current, changed: false };
      state = 'INSUFFICIENT_DATA';
      reason = insufficientDataReason(missing);
    } else {
      const breachCount = crossing.length + (treat === 'breaching' ? missing : 0);
      state = breachCount >= m ? 'ALARM' : 'OK';
      const listed = state === 'ALARM' ? crossing : present.filter((point) => !crossing.includes(point));
      reason =
        listed.length > 0
          ? thresholdReason({
              toAlarm: state === 'ALARM',
              datapoints: listed,
              evaluationPeriods: n,
              needed: state === 'ALARM' ? m : Math.max(1, n - m + 1),
              comparisonOperator: operator,
              threshold,
            })
          : `Threshold Crossed: no datapoints were received for ${missing} period${missing === 1 ? '' : 's'} and ` +
            `${missing} missing datapoint${missing === 1 ? ' was' : 's were'} treated as ` +
            `[${treat === 'breaching' ? 'Breaching' : 'NonBreaching'}].`;
    }
    if (state === current) return { alarmName: name, state, changed: false };
    const reasonData = JSON.stringify({
      version: '1.0',
      queryDate: reasonTimestamp(this.options.clock.now()),
      startDate: reasonTimestamp(start),
      ...(alarm.Statistic === undefined ? {} : { statistic: alarm.Statistic }),
      ...(alarm.ExtendedStatistic === undefined ? {} : { extendedStatistic: alarm.ExtendedStatistic }),
      period: watched.period,
      recentDatapoints: present.map((point) => point.value),
      threshold,
      evaluatedDatapoints: [...present].reverse().map((point) => ({
        timestamp: reasonTimestamp(point.timestamp),
        value: point.value,
      })),
    });
    this.options.cloudwatch.setAlarmState(name, state, reason, reasonData);
    return { alarmName: name, state, changed: true };
  }

  private alarms(): Alarms {
    const metric: MetricAlarm[] = [];
    const composite: CompositeAlarm[] = [];
    let token: string | undefined;
    do {
      const page = this.operation('DescribeAlarms')({
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        MaxRecords: 100,
        ...(token === undefined ? {} : { NextToken: token }),
      }) as { MetricAlarms?: MetricAlarm[]; CompositeAlarms?: CompositeAlarm[]; NextToken?: string };
      metric.push(...(page.MetricAlarms ?? []));
      composite.push(...(page.CompositeAlarms ?? []));
      token = page.NextToken;
    } while (token !== undefined);
    return { metric, composite };
  }

  private operation(name: string) {
    const operation = this.options.cloudwatch.operations[name];
    if (operation === undefined) throw new Error(`the CloudWatch twin has no ${name}`);
    return operation;
  }

  private report(alarmName: string, error: unknown): void {
    (this.options.onError ?? defaultError)(alarmName, error);
  }
}

const defaultError = (alarmName: string, error: unknown): void => {
  console.error(`alarm evaluation of ${alarmName} failed:`, error);
};
