import { TwinError } from '../errors';
import { optionalBoolean, optionalInteger } from '../protocol/scalars';
import {
  constraint,
  type Dimension,
  dimensions,
  invalidCombination,
  missing,
  optionalEnum,
  requiredObject,
  requiredStringIn,
  STANDARD_UNITS,
  stringIn,
} from './input';

/** One MetricDataQuery as GetMetricData and PutMetricAlarm (Metrics) take it, normalised. */
export interface MetricStatQuery {
  readonly Metric: {
    readonly Namespace: string;
    readonly MetricName: string;
    readonly Dimensions: Dimension[];
  };
  readonly Period: number;
  readonly Stat: string;
  readonly Unit?: StandardUnit;
}

type StandardUnit = (typeof STANDARD_UNITS)[number];

export interface MetricDataQuery {
  readonly Id: string;
  readonly MetricStat?: MetricStatQuery;
  readonly Expression?: string;
  readonly Label?: string;
  readonly ReturnData?: boolean;
  readonly Period?: number;
  readonly AccountId?: string;
}

const ID = /^[a-z][a-zA-Z0-9_]*$/;

/** Periods AWS accepts for metric queries: 1, 5, 10, 20, 30 (high resolution) or a multiple of 60. */
export const isQueryPeriod = (period: number): boolean =>
  period > 0 && ([1, 5, 10, 20, 30].includes(period) || period % 60 === 0);

export const queryPeriod = (value: unknown, name: string, required: boolean): number | undefined => {
  const period = optionalInteger(value, name);
  if (period === undefined) {
    if (required) throw missing(name);
    return undefined;
  }
  if (period < 1) throw constraint(name, period, 'Member must have value greater than or equal to 1');
  if (!isQueryPeriod(period))
    throw new TwinError(
      'InvalidParameterValue',
      `The parameter ${name} must be 1, 5, 10, 20, 30 or a multiple of 60; got ${period}.`,
    );
  return period;
};

const metricStat = (value: unknown, path: string): MetricStatQuery => {
  const stat = requiredObject(value, `${path}.metricStat`);
  const metric = requiredObject(stat.Metric, `${path}.metricStat.metric`);
  const namespace = requiredStringIn(metric.Namespace, `${path}.metricStat.metric.namespace`, 1, 255);
  const metricName = requiredStringIn(metric.MetricName, `${path}.metricStat.metric.metricName`, 1, 255);
  const unit = optionalEnum(stat.Unit, `${path}.metricStat.unit`, STANDARD_UNITS);
  return {
    Metric: {
      Namespace: namespace,
      MetricName: metricName,
      Dimensions: dimensions(metric.Dimensions, `${path}.metricStat.metric.dimensions`),
    },
    Period: queryPeriod(stat.Period, `${path}.metricStat.period`, true) as number,
    Stat: requiredStringIn(stat.Stat, `${path}.metricStat.stat`, 1, 100),
    ...(unit === undefined ? {} : { Unit: unit }),
  };
};

/**
 * Parse `MetricDataQueries` (GetMetricData) or `Metrics` (PutMetricAlarm): ids valid and unique,
 * exactly one of MetricStat and Expression per query.
 */
export const metricDataQueries = (list: readonly unknown[], name: string): MetricDataQuery[] => {
  const ids = new Set<string>();
  return list.map((item, index) => {
    const path = `${name}.${index + 1}.member`;
    const query = requiredObject(item, path);
    const id = requiredStringIn(query.Id, `${path}.id`, 1, 255);
    if (!ID.test(id)) {
      throw new TwinError(
        'ValidationError',
        `The value ${id} for parameter ${path}.id is not valid: an Id starts with a lowercase letter and holds only letters, digits and underscores.`,
      );
    }
    if (ids.has(id)) throw new TwinError('ValidationError', `The Id ${id} is used by more than one query.`);
    ids.add(id);
    const hasStat = query.MetricStat !== undefined && query.MetricStat !== null;
    const expression = stringIn(query.Expression, `${path}.expression`, 1, 2048);
    if (hasStat && expression !== undefined)
      throw invalidCombination(
        `The parameters ${path}.metricStat and ${path}.expression are mutually exclusive.`,
      );
    if (!hasStat && expression === undefined)
      throw new TwinError(
        'ValidationError',
        `The parameter ${path}.metricStat or ${path}.expression is required.`,
      );
    const label = stringIn(query.Label, `${path}.label`, 0, 1024);
    const returnData = optionalBoolean(query.ReturnData, `${path}.returnData`);
    const period = queryPeriod(query.Period, `${path}.period`, false);
    const accountId = stringIn(query.AccountId, `${path}.accountId`, 1, 255);
    return {
      Id: id,
      ...(hasStat ? { MetricStat: metricStat(query.MetricStat, path) } : { Expression: expression }),
      ...(label === undefined ? {} : { Label: label }),
      ...(returnData === undefined ? {} : { ReturnData: returnData }),
      ...(period === undefined ? {} : { Period: period }),
      ...(accountId === undefined ? {} : { AccountId: accountId }),
    };
  });
};
