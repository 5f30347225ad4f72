import type { TwinClock } from '../clock';
import { TwinError } from '../errors';
import type { Operation, TwinInput, TwinService } from '../service';
import { parsePutCompositeAlarm, parsePutMetricAlarm } from './alarm-input';
import { type AlarmStateChange, AlarmStore, type AlarmType, notFound } from './alarms';
import { describeAlarms } from './describe-alarms';
import { getMetricData } from './get-metric-data';
import {
  ALARM_STATES,
  type AlarmStateValue,
  missing,
  requiredEnum,
  requiredStringIn,
  stringIn,
  stringList,
} from './input';
import type { MetricSource } from './metric-source';
import { MetricStore } from './metrics';
import { putMetricData } from './put-metric-data';

export type { AlarmStateChange, AlarmType } from './alarms';
export type { AlarmStateValue } from './input';

export interface CloudWatchTwinOptions {
  readonly clock: TwinClock;
  readonly region: string;
  readonly accountId: string;
  /** Answers the metrics the twin simulates (the traffic model); PutMetricData's store answers the rest. */
  readonly metricSource?: MetricSource;
  /** Where a throwing state-change listener's error goes (the state change itself stands). */
  readonly onListenerError?: (error: unknown) => void;
}

export interface AlarmSummary {
  readonly name: string;
  readonly type: AlarmType;
  readonly state: AlarmStateValue;
  readonly reason: string;
}

const SEEDED_REASON = 'Set by the local twin';

/**
 * The twin's CloudWatch: metric and composite alarms (state set by SetAlarmState or by the twin),
 * PutMetricData/GetMetricData, and a state-change feed for the EventBridge side.
 */
export class CloudWatchTwin implements TwinService {
  readonly operations: Readonly<Record<string, Operation>>;
  private readonly alarmStore: AlarmStore;
  private readonly metricStore = new MetricStore();
  private readonly listeners = new Set<(change: AlarmStateChange) => void>();

  constructor(private readonly options: CloudWatchTwinOptions) {
    this.alarmStore = new AlarmStore(options.clock, options.region, options.accountId, (change) =>
      this.emit(change),
    );
    this.operations = {
      DescribeAlarms: (input) => describeAlarms(this.alarmStore, input),
      PutMetricAlarm: (input) => {
        this.alarmStore.putMetricAlarm(parsePutMetricAlarm(input));
        return {};
      },
      PutCompositeAlarm: (input) => {
        this.alarmStore.putCompositeAlarm(parsePutCompositeAlarm(input));
        return {};
      },
      SetAlarmState: (input) => this.setAlarmStateOperation(input),
      DeleteAlarms: (input) => {
        if (input.AlarmNames === undefined || input.AlarmNames === null) throw missing('alarmNames');
        this.alarmStore.delete(stringList(input.AlarmNames, 'alarmNames', 100, 255));
        return {};
      },
      PutMetricData: (input) => putMetricData(this.metricStore, options.clock, input),
      GetMetricData: (input) => getMetricData(this.metricStore, options.clock, options.metricSource, input),
    };
  }

  /** Set an alarm's state as SetAlarmState does (ResourceNotFound for an unknown alarm). */
  setAlarmState(name: string, state: AlarmStateValue, reason: string, reasonData?: string): void {
    this.alarmStore.setState(name, state, reason, reasonData);
  }

  /** Every alarm, by name. */
  alarms(): AlarmSummary[] {
    return this.alarmStore.all().map((alarm) => ({
      name: alarm.name,
      type: alarm.type,
      state: alarm.state.value,
      reason: alarm.state.reason,
    }));
  }

  /** Called on every change of an alarm's state value; returns the unsubscribe function. */
  onAlarmStateChange(listener: (change: AlarmStateChange) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Seeding: make sure an alarm of this name exists (a placeholder metric alarm on a metric of
   * the twin's own namespace if it does not) and, if `state` is given, put it in that state.
   */
  ensureAlarm(name: string, state?: AlarmStateValue): void {
    if (this.alarmStore.get(name) === undefined) {
      this.alarmStore.putMetricAlarm(
        parsePutMetricAlarm({
          AlarmName: name,
          AlarmDescription: 'Placeholder alarm seeded by the local twin',
          Namespace: 'ClusterShift/Twin',
          MetricName: name,
          Statistic: 'Maximum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      );
    }
    if (state !== undefined) this.setAlarmState(name, state, SEEDED_REASON);
  }

  private setAlarmStateOperation(input: TwinInput): Record<string, never> {
    const name = requiredStringIn(input.AlarmName, 'alarmName', 1, 255);
    const state = requiredEnum(input.StateValue, 'stateValue', ALARM_STATES);
    const reason = requiredStringIn(input.StateReason, 'stateReason', 0, 1023);
    const reasonData = stringIn(input.StateReasonData, 'stateReasonData', 0, 4000);
    if (this.alarmStore.get(name) === undefined) throw notFound(name);
    if (reasonData !== undefined) {
      try {
        JSON.parse(reasonData);
      } catch (error) {
        throw new TwinError(
          'InvalidFormat',
          `StateReasonData is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    this.alarmStore.setState(name, state, reason, reasonData);
    return {};
  }

  private emit(change: AlarmStateChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        (this.options.onListenerError ?? defaultListenerError)(error);
      }
    }
  }
}

const defaultListenerError = (error: unknown): void => {
  console.error('CloudWatch twin: an alarm state-change listener failed:', error);
};
