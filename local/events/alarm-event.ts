import { createHash } from 'node:crypto';
import type { CompositeAlarm, MetricAlarm, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { AlarmStateChange } from '../cloudwatch';
import { buildEvent, cloudWatchTimestamp, type EventEnvelope } from './envelope';

/**
 * "CloudWatch Alarm State Change" events, shaped as CloudWatch's documented samples
 * (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html):
 * detail { alarmName, state, previousState, configuration }; a metric alarm's configuration lists
 * its metrics (metricStat / expression queries), a composite alarm's carries its alarmRule and
 * suppressor settings.
 */
export const ALARM_STATE_CHANGE = 'CloudWatch Alarm State Change';

type Dimensions = readonly { Name?: string | undefined; Value?: string | undefined }[] | undefined;

const dimensionMap = (dimensions: Dimensions): Record<string, string> =>
  Object.fromEntries((dimensions ?? []).map((d) => [d.Name ?? '', d.Value ?? '']));

/** CloudWatch names a single-metric alarm's one query with a UUID-shaped id; a stable one here. */
const queryIdOf = (alarmArn: string): string => {
  const hex = createHash('sha256').update(alarmArn).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

const metricQuery = (query: MetricDataQuery): Record<string, unknown> => {
  const stat = query.MetricStat;
  return {
    ...(query.Expression === undefined ? {} : { expression: query.Expression }),
    id: query.Id,
    ...(query.Label === undefined ? {} : { label: query.Label }),
    ...(stat === undefined
      ? {}
      : {
          metricStat: {
            metric: {
              dimensions: dimensionMap(stat.Metric?.Dimensions),
              name: stat.Metric?.MetricName,
              namespace: stat.Metric?.Namespace,
            },
            period: stat.Period,
            stat: stat.Stat,
            ...(stat.Unit === undefined ? {} : { unit: stat.Unit }),
          },
        }),
    ...(query.Period === undefined ? {} : { period: query.Period }),
    returnData: query.ReturnData ?? true,
  };
};

const metricConfiguration = (alarm: MetricAlarm): Record<string, unknown> => {
  const metrics =
    alarm.Metrics !== undefined && alarm.Metrics.length > 0
      ? alarm.Metrics.map(metricQuery)
      : [
          {
            id: queryIdOf(alarm.AlarmArn ?? alarm.AlarmName ?? ''),
            metricStat: {
              metric: {
                dimensions: dimensionMap(alarm.Dimensions),
                name: alarm.MetricName,
                namespace: alarm.Namespace,
              },
              period: alarm.Period,
              stat: alarm.Statistic ?? alarm.ExtendedStatistic,
              ...(alarm.Unit === undefined ? {} : { unit: alarm.Unit }),
            },
            returnData: true,
          },
        ];
  return {
    ...(alarm.AlarmDescription === undefined ? {} : { description: alarm.AlarmDescription }),
    metrics,
  };
};

const compositeConfiguration = (alarm: CompositeAlarm): Record<string, unknown> => ({
  alarmRule: alarm.AlarmRule,
  ...(alarm.AlarmDescription === undefined ? {} : { description: alarm.AlarmDescription }),
  ...(alarm.ActionsSuppressor === undefined
    ? {}
    : {
        actionsSuppressor: alarm.ActionsSuppressor,
        actionsSuppressorWaitPeriod: alarm.ActionsSuppressorWaitPeriod,
        actionsSuppressorExtensionPeriod: alarm.ActionsSuppressorExtensionPeriod,
      }),
});

const stateOf = (value: string, reason: string, reasonData: string | undefined, at: Date) => ({
  value,
  reason,
  ...(reasonData === undefined ? {} : { reasonData }),
  timestamp: cloudWatchTimestamp(at),
});

export const alarmStateChangeEvent = (
  change: AlarmStateChange,
  where: { readonly account: string; readonly region: string },
): EventEnvelope => {
  const alarm = change.alarm;
  const configuration =
    change.type === 'CompositeAlarm'
      ? compositeConfiguration(alarm as CompositeAlarm)
      : metricConfiguration(alarm as MetricAlarm);
  return buildEvent({
    source: 'aws.cloudwatch',
    detailType: ALARM_STATE_CHANGE,
    resources: [alarm.AlarmArn ?? ''],
    time: change.at,
    detail: {
      alarmName: alarm.AlarmName,
      state: stateOf(change.state, change.reason, change.reasonData, change.at),
      previousState: stateOf(
        change.previousState,
        change.previousReason,
        change.previousReasonData,
        change.previousAt,
      ),
      configuration,
    },
    ...where,
  });
};
