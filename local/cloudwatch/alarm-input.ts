import type { CompositeAlarm, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { validationError } from '../errors';
import { optionalBoolean, optionalInteger, optionalNumber } from '../protocol/scalars';
import type { TwinInput } from '../service';
import {
  constraint,
  dimensions,
  invalidCombination,
  invalidValue,
  listOf,
  missing,
  optionalEnum,
  requiredEnum,
  requiredObject,
  requiredStringIn,
  STANDARD_UNITS,
  STATISTICS,
  stringIn,
  stringList,
} from './input';
import { type MetricDataQuery, metricDataQueries } from './metric-query';

/**
 * PutMetricAlarm / PutCompositeAlarm input → the alarm's configuration, with AWS's field names (so
 * DescribeAlarms can return it as is), validated the way AWS documents it.
 */
export type MetricAlarmConfig = Omit<
  MetricAlarm,
  | 'AlarmName'
  | 'AlarmArn'
  | 'AlarmConfigurationUpdatedTimestamp'
  | 'StateValue'
  | 'StateReason'
  | 'StateReasonData'
  | 'StateUpdatedTimestamp'
  | 'StateTransitionedTimestamp'
>;

export type CompositeAlarmConfig = Omit<
  CompositeAlarm,
  | 'AlarmName'
  | 'AlarmArn'
  | 'AlarmConfigurationUpdatedTimestamp'
  | 'StateValue'
  | 'StateReason'
  | 'StateReasonData'
  | 'StateUpdatedTimestamp'
  | 'StateTransitionedTimestamp'
>;

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

export interface ParsedAlarm<Config> {
  readonly name: string;
  readonly config: Config;
  readonly tags: Tag[];
}

export const COMPARISON_OPERATORS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
  'LessThanLowerOrGreaterThanUpperThreshold',
  'LessThanLowerThreshold',
  'GreaterThanUpperThreshold',
] as const;

const ANOMALY_OPERATORS: readonly string[] = [
  'LessThanLowerOrGreaterThanUpperThreshold',
  'LessThanLowerThreshold',
  'GreaterThanUpperThreshold',
];

const TREAT_MISSING_DATA = ['breaching', 'notBreaching', 'ignore', 'missing'] as const;
const LOW_SAMPLE_COUNT = ['evaluate', 'ignore'] as const;

/** p90, p99.9, tm90, tc90, ts90, wm90, IQM, PR(n:m), TC/TM/TS/WM(X%:X%), as the PutMetricAlarm reference lists. */
const EXTENDED_STATISTIC =
  /^(?:(?:p|tm|tc|ts|wm)(?:100|[0-9]{1,2}(?:\.[0-9]+)?)|IQM|PR\([^:()]*:[^:()]*\)|(?:TC|TM|TS|WM)\([^:()]*:[^:()]*\))$/;

const ONE_DAY = 86_400;
const SEVEN_DAYS = 604_800;

const alarmName = (input: TwinInput): string => requiredStringIn(input.AlarmName, 'alarmName', 1, 255);

const actions = (input: TwinInput) => ({
  OKActions: stringList(input.OKActions, 'oKActions', 5),
  AlarmActions: stringList(input.AlarmActions, 'alarmActions', 5),
  InsufficientDataActions: stringList(input.InsufficientDataActions, 'insufficientDataActions', 5),
});

const tags = (value: unknown): Tag[] =>
  (listOf(value, 'tags', 50) ?? []).map((item, index) => {
    const path = `tags.${index + 1}.member`;
    const tag = requiredObject(item, path);
    return {
      Key: requiredStringIn(tag.Key, `${path}.key`, 1, 128),
      Value: requiredStringIn(tag.Value, `${path}.value`, 0, 256),
    };
  });

/** Valid alarm periods: 10, 20, 30 or a multiple of 60. */
const alarmPeriod = (value: unknown): number => {
  const period = optionalInteger(value, 'period');
  if (period === undefined) throw missing('period');
  if (period < 1) throw constraint('period', period, 'Member must have value greater than or equal to 1');
  if (![10, 20, 30].includes(period) && period % 60 !== 0)
    throw invalidValue(`The parameter Period must be 10, 20, 30 or a multiple of 60; got ${period}.`);
  return period;
};

const singleMetric = (input: TwinInput) => {
  const metricName = requiredStringIn(input.MetricName, 'metricName', 1, 255);
  const namespace = requiredStringIn(input.Namespace, 'namespace', 1, 255);
  const statistic = optionalEnum(input.Statistic, 'statistic', STATISTICS);
  const extended = stringIn(input.ExtendedStatistic, 'extendedStatistic', 1, 100);
  if ((statistic === undefined) === (extended === undefined))
    throw invalidCombination(
      'Exactly one of the parameters Statistic and ExtendedStatistic must be specified.',
    );
  if (extended !== undefined && !EXTENDED_STATISTIC.test(extended))
    throw invalidValue(`The value ${extended} for parameter ExtendedStatistic is not supported.`);
  const unit = optionalEnum(input.Unit, 'unit', STANDARD_UNITS);
  return {
    MetricName: metricName,
    Namespace: namespace,
    ...(statistic === undefined ? {} : { Statistic: statistic }),
    ...(extended === undefined ? {} : { ExtendedStatistic: extended }),
    Dimensions: dimensions(input.Dimensions, 'dimensions'),
    Period: alarmPeriod(input.Period),
    ...(unit === undefined ? {} : { Unit: unit }),
  };
};

const SINGLE_METRIC_FIELDS = [
  'MetricName',
  'Namespace',
  'Statistic',
  'ExtendedStatistic',
  'Dimensions',
  'Period',
  'Unit',
] as const;

const mathMetrics = (input: TwinInput, list: unknown[]): { Metrics: MetricDataQuery[] } => {
  const given = SINGLE_METRIC_FIELDS.filter((field) => input[field] !== undefined && input[field] !== null);
  if (given.length > 0)
    throw invalidCombination(`The parameters Metrics and ${given.join(', ')} are mutually exclusive.`);
  if (list.length === 0)
    throw constraint('metrics', '[]', 'Member must have length greater than or equal to 1');
  const metrics = metricDataQueries(list, 'metrics');
  // In an alarm ReturnData defaults to true too, and exactly one query is what the alarm watches.
  const watched = metrics.filter((query) => query.ReturnData !== false);
  if (watched.length !== 1)
    throw validationError(
      `Exactly one element of the Metrics list must have ReturnData set to true; ${watched.length} do.`,
    );
  return { Metrics: metrics };
};

/** The evaluation range AWS allows: Period × EvaluationPeriods ≤ 7 days, ≤ 1 day for periods under an hour. */
const checkEvaluationRange = (period: number, evaluationPeriods: number): void => {
  const limit = period < 3600 ? ONE_DAY : SEVEN_DAYS;
  if (period * evaluationPeriods > limit)
    throw validationError(
      `Period (${period}) multiplied by EvaluationPeriods (${evaluationPeriods}) must not exceed ${limit} seconds.`,
    );
};

export const parsePutMetricAlarm = (input: TwinInput): ParsedAlarm<MetricAlarmConfig> => {
  const name = alarmName(input);
  if (input.EvaluationCriteria !== undefined && input.EvaluationCriteria !== null)
    throw invalidValue('The local twin does not support EvaluationCriteria (PromQL) alarms.');
  const comparisonOperator = requiredEnum(
    input.ComparisonOperator,
    'comparisonOperator',
    COMPARISON_OPERATORS,
  );
  const evaluationPeriods = optionalInteger(input.EvaluationPeriods, 'evaluationPeriods');
  if (evaluationPeriods === undefined) throw missing('evaluationPeriods');
  if (evaluationPeriods < 1)
    throw constraint(
      'evaluationPeriods',
      evaluationPeriods,
      'Member must have value greater than or equal to 1',
    );
  const datapointsToAlarm = optionalInteger(input.DatapointsToAlarm, 'datapointsToAlarm');
  if (datapointsToAlarm !== undefined && datapointsToAlarm < 1)
    throw constraint(
      'datapointsToAlarm',
      datapointsToAlarm,
      'Member must have value greater than or equal to 1',
    );
  if (datapointsToAlarm !== undefined && datapointsToAlarm > evaluationPeriods)
    throw validationError(
      `DatapointsToAlarm (${datapointsToAlarm}) must be less than or equal to EvaluationPeriods (${evaluationPeriods}).`,
    );

  const metricsList = listOf(input.Metrics, 'metrics', 10);
  const metric = metricsList === undefined ? singleMetric(input) : mathMetrics(input, metricsList);
  if ('Period' in metric) checkEvaluationRange(metric.Period, evaluationPeriods);

  const threshold = optionalNumber(input.Threshold, 'threshold');
  const thresholdMetricId = stringIn(input.ThresholdMetricId, 'thresholdMetricId', 1, 255);
  const anomaly = ANOMALY_OPERATORS.includes(comparisonOperator);
  if (anomaly && thresholdMetricId === undefined)
    throw validationError(
      `ComparisonOperator ${comparisonOperator} needs ThresholdMetricId (an anomaly band).`,
    );
  if (!anomaly && threshold === undefined)
    throw validationError('Threshold is required for a static threshold alarm.');
  if (threshold !== undefined && thresholdMetricId !== undefined)
    throw invalidCombination('The parameters Threshold and ThresholdMetricId are mutually exclusive.');

  const description = stringIn(input.AlarmDescription, 'alarmDescription', 0, 1024);
  const treatMissingData = optionalEnum(input.TreatMissingData, 'treatMissingData', TREAT_MISSING_DATA);
  const lowSampleCount = optionalEnum(
    input.EvaluateLowSampleCountPercentile,
    'evaluateLowSampleCountPercentile',
    LOW_SAMPLE_COUNT,
  );
  const config: MetricAlarmConfig = {
    ...(description === undefined ? {} : { AlarmDescription: description }),
    ActionsEnabled: optionalBoolean(input.ActionsEnabled, 'actionsEnabled') ?? true,
    ...actions(input),
    ...metric,
    EvaluationPeriods: evaluationPeriods,
    ...(datapointsToAlarm === undefined ? {} : { DatapointsToAlarm: datapointsToAlarm }),
    ...(threshold === undefined ? {} : { Threshold: threshold }),
    ...(thresholdMetricId === undefined ? {} : { ThresholdMetricId: thresholdMetricId }),
    ComparisonOperator: comparisonOperator,
    ...(treatMissingData === undefined ? {} : { TreatMissingData: treatMissingData }),
    ...(lowSampleCount === undefined ? {} : { EvaluateLowSampleCountPercentile: lowSampleCount }),
  };
  return { name, config, tags: tags(input.Tags) };
};

export const parsePutCompositeAlarm = (input: TwinInput): ParsedAlarm<CompositeAlarmConfig> => {
  const name = alarmName(input);
  const rule = requiredStringIn(input.AlarmRule, 'alarmRule', 1, 10_240);
  const description = stringIn(input.AlarmDescription, 'alarmDescription', 0, 1024);
  const suppressor = stringIn(input.ActionsSuppressor, 'actionsSuppressor', 1, 1600);
  const waitPeriod = optionalInteger(input.ActionsSuppressorWaitPeriod, 'actionsSuppressorWaitPeriod');
  const extensionPeriod = optionalInteger(
    input.ActionsSuppressorExtensionPeriod,
    'actionsSuppressorExtensionPeriod',
  );
  if (suppressor !== undefined && (waitPeriod === undefined || extensionPeriod === undefined))
    throw invalidCombination(
      'ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod are required when ActionsSuppressor is specified.',
    );
  if (suppressor === undefined && (waitPeriod !== undefined || extensionPeriod !== undefined))
    throw invalidCombination(
      'ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod are only valid with ActionsSuppressor.',
    );
  const config: CompositeAlarmConfig = {
    ActionsEnabled: optionalBoolean(input.ActionsEnabled, 'actionsEnabled') ?? true,
    ...actions(input),
    ...(description === undefined ? {} : { AlarmDescription: description }),
    AlarmRule: rule,
    ...(suppressor === undefined
      ? {}
      : {
          ActionsSuppressor: suppressor,
          ActionsSuppressorWaitPeriod: waitPeriod,
          ActionsSuppressorExtensionPeriod: extensionPeriod,
        }),
  };
  return { name, config, tags: tags(input.Tags) };
};
