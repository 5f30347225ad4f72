import { TwinError } from '../errors';

/**
 * What the twin stores per PutMetricData datum, and the statistics it computes over a period:
 * SampleCount, Sum, Average, Minimum, Maximum, and percentiles pNN(.N) where the raw values are
 * known (Value/Values data; not StatisticValues, which carry no distribution, as in CloudWatch).
 */
export interface Sample {
  /** Epoch ms. */
  readonly at: number;
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  /** [value, count] pairs, when the datum carried raw values. */
  readonly values?: ReadonlyArray<readonly [number, number]>;
  readonly unit?: string;
}

export type Statistic =
  | { readonly kind: 'SampleCount' | 'Sum' | 'Average' | 'Minimum' | 'Maximum' }
  | { readonly kind: 'percentile'; readonly percentile: number };

const BASIC = ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'] as const;
const PERCENTILE = /^p(100(?:\.0+)?|[0-9]{1,2}(?:\.[0-9]+)?)$/;

export const parseStatistic = (stat: string, name: string): Statistic => {
  const basic = BASIC.find((candidate) => candidate === stat);
  if (basic !== undefined) return { kind: basic };
  const percentile = PERCENTILE.exec(stat);
  if (percentile !== null) return { kind: 'percentile', percentile: Number(percentile[1]) };
  throw new TwinError(
    'InvalidParameterValue',
    `The statistic ${stat} for parameter ${name} is not supported by the local twin, which computes ` +
      `${BASIC.join(', ')} and percentiles (p0–p100).`,
  );
};

/** Nearest-rank percentile of a [value, count] distribution. */
const percentileOf = (pairs: Array<readonly [number, number]>, percentile: number): number | undefined => {
  const total = pairs.reduce((sum, [, count]) => sum + count, 0);
  if (total <= 0) return undefined;
  const sorted = [...pairs].sort(([a], [b]) => a - b);
  const rank = Math.max(1, Math.ceil((percentile / 100) * total));
  let seen = 0;
  for (const [value, count] of sorted) {
    seen += count;
    if (seen >= rank) return value;
  }
  return sorted.at(-1)?.[0];
};

/** The statistic over samples of one period, or undefined when it cannot be computed. */
export const aggregate = (samples: readonly Sample[], statistic: Statistic): number | undefined => {
  if (samples.length === 0) return undefined;
  const count = samples.reduce((sum, sample) => sum + sample.count, 0);
  const sum = samples.reduce((total, sample) => total + sample.sum, 0);
  switch (statistic.kind) {
    case 'SampleCount':
      return count;
    case 'Sum':
      return sum;
    case 'Average':
      return count === 0 ? undefined : sum / count;
    case 'Minimum':
      return samples.reduce((min, sample) => Math.min(min, sample.min), Number.POSITIVE_INFINITY);
    case 'Maximum':
      return samples.reduce((max, sample) => Math.max(max, sample.max), Number.NEGATIVE_INFINITY);
    case 'percentile': {
      if (samples.some((sample) => sample.values === undefined)) return undefined;
      return percentileOf(
        samples.flatMap((sample) => sample.values ?? []),
        statistic.percentile,
      );
    }
  }
};
