import type { TwinClock } from '../clock';
import { optionalInteger, optionalNumber, optionalObject, optionalTimestamp } from '../protocol/scalars';
import type { TwinInput } from '../service';
import {
  constraint,
  dimensions,
  invalidCombination,
  invalidValue,
  listOf,
  missing,
  optionalEnum,
  requiredObject,
  requiredStringIn,
  STANDARD_UNITS,
} from './input';
import type { MetricIdentity, MetricStore } from './metrics';
import type { Sample } from './statistics';

/**
 * PutMetricData, validated as AWS documents it: at most 1000 data, each with exactly one of Value,
 * Values (+Counts) and StatisticValues; values finite and within ±2^360; timestamps within the
 * past two weeks and at most two hours ahead (of twin time); namespaces starting AWS/ reserved.
 */
const MAX_MAGNITUDE = 2 ** 360;
const TWO_WEEKS_MS = 14 * 86_400_000;
const TWO_HOURS_MS = 2 * 3_600_000;

const value = (raw: unknown, path: string, label: string): number | undefined => {
  const number = optionalNumber(raw, path);
  if (number !== undefined && Math.abs(number) > MAX_MAGNITUDE)
    throw invalidValue(`The value ${number} for parameter ${label} is invalid: it must lie within ±2^360.`);
  return number;
};

const requiredValue = (raw: unknown, path: string, label: string): number => {
  const number = value(raw, path, label);
  if (number === undefined) throw missing(path);
  return number;
};

const statisticSet = (raw: Record<string, unknown>, path: string, label: string) => {
  const sampleCount = requiredValue(raw.SampleCount, `${path}.sampleCount`, `${label}.SampleCount`);
  const sum = requiredValue(raw.Sum, `${path}.sum`, `${label}.Sum`);
  const min = requiredValue(raw.Minimum, `${path}.minimum`, `${label}.Minimum`);
  const max = requiredValue(raw.Maximum, `${path}.maximum`, `${label}.Maximum`);
  if (sampleCount <= 0) throw invalidValue(`The parameter ${label}.SampleCount must be greater than 0.`);
  if (min > max)
    throw invalidValue(`The parameter ${label}.Minimum must be less than or equal to ${label}.Maximum.`);
  return { count: sampleCount, sum, min, max };
};

const distribution = (datum: Record<string, unknown>, path: string, label: string) => {
  const values = (listOf(datum.Values, `${path}.values`, 150) ?? []).map((raw, i) =>
    requiredValue(raw, `${path}.values.${i + 1}.member`, `${label}.Values`),
  );
  const countsList = listOf(datum.Counts, `${path}.counts`, 150);
  const counts = (countsList ?? values.map(() => 1)).map((raw, i) =>
    requiredValue(raw, `${path}.counts.${i + 1}.member`, `${label}.Counts`),
  );
  if (counts.length !== values.length)
    throw invalidValue(`The parameters ${label}.Values and ${label}.Counts must be of the same size.`);
  if (counts.some((count) => count < 0))
    throw invalidValue(`The parameter ${label}.Counts must not be negative.`);
  const pairs = values.map((v, i) => [v, counts[i] ?? 1] as const);
  const weighted = pairs.filter(([, count]) => count > 0);
  if (weighted.length === 0)
    throw invalidValue(`The parameter ${label}.Values must hold at least one value with a count above 0.`);
  return {
    count: weighted.reduce((total, [, count]) => total + count, 0),
    sum: weighted.reduce((total, [v, count]) => total + v * count, 0),
    min: weighted.reduce((min, [v]) => Math.min(min, v), Number.POSITIVE_INFINITY),
    max: weighted.reduce((max, [v]) => Math.max(max, v), Number.NEGATIVE_INFINITY),
    values: pairs,
  };
};

const timestamp = (raw: unknown, path: string, label: string, now: number): number => {
  const at = optionalTimestamp(raw, path)?.getTime() ?? now;
  if (at < now - TWO_WEEKS_MS)
    throw invalidValue(`The parameter ${label}.Timestamp must specify a time within the past two weeks.`);
  if (at > now + TWO_HOURS_MS)
    throw invalidValue(
      `The parameter ${label}.Timestamp must specify a time no more than two hours in the future.`,
    );
  return at;
};

const datum = (
  raw: unknown,
  index: number,
  namespace: string,
  now: number,
): { metric: MetricIdentity; sample: Sample } => {
  const path = `metricData.${index + 1}.member`;
  const label = `MetricData.member.${index + 1}`;
  const item = requiredObject(raw, path);
  const metricName = requiredStringIn(item.MetricName, `${path}.metricName`, 1, 255);
  const dims = dimensions(item.Dimensions, `${path}.dimensions`);
  const unit = optionalEnum(item.Unit, `${path}.unit`, STANDARD_UNITS);
  const resolution = optionalInteger(item.StorageResolution, `${path}.storageResolution`);
  if (resolution !== undefined && resolution !== 1 && resolution !== 60)
    throw invalidValue(
      `The value ${resolution} for parameter ${label}.StorageResolution is invalid: use 1 or 60.`,
    );

  const single = value(item.Value, `${path}.value`, `${label}.Value`);
  const statistics = optionalObject(item.StatisticValues, `${path}.statisticValues`);
  const hasValues = item.Values !== undefined && item.Values !== null;
  const given = [
    single === undefined ? undefined : `${label}.Value`,
    statistics === undefined ? undefined : `${label}.StatisticValues`,
    hasValues ? `${label}.Values` : undefined,
  ].filter((name) => name !== undefined);
  if (given.length > 1)
    throw invalidCombination(
      `The parameters ${given.join(' and ')} are mutually exclusive and you have specified both.`,
    );
  if (given.length === 0)
    throw invalidCombination(
      `One of the parameters ${label}.Value, ${label}.StatisticValues and ${label}.Values must be specified.`,
    );
  if (item.Counts !== undefined && item.Counts !== null && !hasValues)
    throw invalidCombination(`The parameter ${label}.Counts needs ${label}.Values.`);

  const aggregate =
    single !== undefined
      ? { count: 1, sum: single, min: single, max: single, values: [[single, 1] as const] }
      : statistics !== undefined
        ? statisticSet(statistics, `${path}.statisticValues`, `${label}.StatisticValues`)
        : distribution(item, path, label);
  return {
    metric: {
      namespace,
      metricName,
      dimensions: Object.fromEntries(dims.map((d) => [d.Name, d.Value])),
    },
    sample: {
      at: timestamp(item.Timestamp, `${path}.timestamp`, label, now),
      ...aggregate,
      ...(unit === undefined ? {} : { unit }),
    },
  };
};

export const putMetricData = (
  store: MetricStore,
  clock: TwinClock,
  input: TwinInput,
): Record<string, never> => {
  const namespace = requiredStringIn(input.Namespace, 'namespace', 1, 255);
  if (namespace.startsWith('AWS/'))
    throw invalidValue(
      `The value ${namespace} for parameter Namespace is invalid: namespaces starting AWS/ are reserved.`,
    );
  const list = listOf(input.MetricData, 'metricData', 1000);
  if (list === undefined) throw missing('metricData');
  if (list.length === 0)
    throw constraint('metricData', '[]', 'Member must have length greater than or equal to 1');
  const now = clock.now();
  // Validate every datum before storing any, so a bad request stores nothing.
  const data = list.map((raw, index) => datum(raw, index, namespace, now));
  for (const { metric, sample } of data) store.put(metric, sample);
  return {};
};
