import type { GetMetricDataOutput, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { TwinClock } from '../clock';
import { validationError } from '../errors';
import { optionalInteger, optionalTimestamp } from '../protocol/scalars';
import type { TwinInput } from '../service';
import { constraint, listOf, missing, optionalEnum, stringIn } from './input';
import { evaluateExpression, expressionReferences, type Series } from './math';
import { type MetricDataQuery, type MetricStatQuery, metricDataQueries } from './metric-query';
import type { Datapoint, MetricSource } from './metric-source';
import type { MetricStore } from './metrics';
import { decodeToken, encodeToken } from './paging';
import { parseStatistic } from './statistics';

/**
 * GetMetricData: each MetricStat query is answered by the metric source (the traffic model) when
 * it knows the metric, else from PutMetricData's store; Expression queries are evaluated over
 * those results (local/cloudwatch/math.ts). Periods start at StartTime rounded down as AWS
 * documents; results are newest first unless ScanBy=TimestampAscending; MaxDatapoints pages.
 */
const MAX_QUERIES = 500;
const DEFAULT_MAX_DATAPOINTS = 100_800;
const TOKEN_KIND = 'GetMetricData';
const SCAN_BY = ['TimestampDescending', 'TimestampAscending'] as const;
const MINUTE = 60_000;
const DAY = 86_400_000;

/** Round the start time down as CloudWatch does, by period and by how old it is. */
export const alignStart = (start: number, periodSeconds: number, now: number): number => {
  const age = now - start;
  const unit =
    periodSeconds < 60
      ? periodSeconds * 1000
      : age > 63 * DAY
        ? 60 * MINUTE
        : age > 15 * DAY
          ? 5 * MINUTE
          : MINUTE;
  return Math.floor(start / unit) * unit;
};

const statSeries = (
  query: MetricDataQuery & { MetricStat: MetricStatQuery },
  index: number,
  start: Date,
  end: Date,
  now: number,
  store: MetricStore,
  source: MetricSource | undefined,
): Series => {
  const stat = query.MetricStat;
  const statistic = parseStatistic(stat.Stat, `MetricDataQueries.member.${index + 1}.MetricStat.Stat`);
  const alignedStart = alignStart(start.getTime(), stat.Period, now);
  const metric = {
    namespace: stat.Metric.Namespace,
    metricName: stat.Metric.MetricName,
    dimensions: Object.fromEntries(stat.Metric.Dimensions.map((d) => [d.Name, d.Value])),
  };
  const fromSource = source?.({
    ...metric,
    start: new Date(alignedStart),
    end,
    period: stat.Period,
    stat: stat.Stat,
  });
  const datapoints: Datapoint[] =
    fromSource ??
    store.query({
      ...metric,
      start: alignedStart,
      end: end.getTime(),
      period: stat.Period,
      statistic,
      ...(stat.Unit === undefined ? {} : { unit: stat.Unit }),
    });
  const sorted = [...datapoints].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
  return {
    timestamps: sorted.map((point) => point.timestamp.getTime()),
    values: sorted.map((point) => point.value),
  };
};

interface Answer {
  readonly id: string;
  readonly label: string;
  /** Oldest first. */
  readonly series: Series;
}

const answers = (
  queries: MetricDataQuery[],
  start: Date,
  end: Date,
  now: number,
  store: MetricStore,
  source: MetricSource | undefined,
): Answer[] => {
  const computed = new Map<string, Series>();
  queries.forEach((query, index) => {
    if (query.MetricStat !== undefined)
      computed.set(
        query.Id,
        statSeries({ ...query, MetricStat: query.MetricStat }, index, start, end, now, store, source),
      );
  });
  const metricIds = queries.filter((query) => query.MetricStat !== undefined).map((query) => query.Id);
  // Expressions may use other expressions' results: evaluate in dependency order.
  const pending = queries.filter((query) => query.Expression !== undefined);
  const insights = pending.find((query) => /^\s*SELECT\b/i.test(query.Expression ?? ''));
  if (insights !== undefined)
    throw validationError(`The local twin does not run Metrics Insights queries (${insights.Id}).`);
  while (pending.length > 0) {
    const ready = pending.findIndex((query) =>
      expressionReferences(query.Expression ?? '').every((id) => computed.has(id)),
    );
    if (ready === -1) {
      const ids = pending.map((query) => query.Id).join(', ');
      throw validationError(`The expressions of ${ids} refer to unknown Ids or to each other in a cycle.`);
    }
    const [query] = pending.splice(ready, 1);
    if (query?.Expression !== undefined)
      computed.set(query.Id, evaluateExpression(query.Expression, computed, metricIds, query.Id));
  }
  return queries
    .filter((query) => query.ReturnData !== false)
    .map((query) => ({
      id: query.Id,
      label: query.Label ?? query.MetricStat?.Metric.MetricName ?? query.Id,
      series: computed.get(query.Id) ?? { timestamps: [], values: [] },
    }));
};

export const getMetricData = (
  store: MetricStore,
  clock: TwinClock,
  source: MetricSource | undefined,
  input: TwinInput,
): GetMetricDataOutput => {
  const list = listOf(input.MetricDataQueries, 'metricDataQueries', MAX_QUERIES);
  if (list === undefined) throw missing('metricDataQueries');
  if (list.length === 0)
    throw constraint('metricDataQueries', '[]', 'Member must have length greater than or equal to 1');
  const queries = metricDataQueries(list, 'metricDataQueries');
  const start = optionalTimestamp(input.StartTime, 'startTime');
  if (start === undefined) throw missing('startTime');
  const end = optionalTimestamp(input.EndTime, 'endTime');
  if (end === undefined) throw missing('endTime');
  if (start.getTime() >= end.getTime())
    throw validationError('The parameter StartTime must be less than the parameter EndTime.');
  const scanBy = optionalEnum(input.ScanBy, 'scanBy', SCAN_BY) ?? 'TimestampDescending';
  const maxDatapoints = optionalInteger(input.MaxDatapoints, 'maxDatapoints') ?? DEFAULT_MAX_DATAPOINTS;
  if (maxDatapoints < 1)
    throw constraint('maxDatapoints', maxDatapoints, 'Member must have value greater than or equal to 1');
  const token = stringIn(input.NextToken, 'nextToken', 1, 1024);
  const offset = token === undefined ? 0 : Math.max(0, decodeOffset(token));

  const all = answers(queries, start, end, clock.now(), store, source);
  // Page over the datapoints of all results in order; a result whose datapoints continue on the
  // next page is PartialData there, as CloudWatch marks it.
  const pageEnd = offset + maxDatapoints;
  let position = 0;
  const results: MetricDataResult[] = [];
  for (const answer of all) {
    const count = answer.series.timestamps.length;
    const first = position;
    position += count;
    const from = Math.max(offset, first) - first;
    const to = Math.min(pageEnd, position) - first;
    // A result with no datapoints is listed once, on the first page.
    const onPage = count === 0 ? offset === 0 : to > from;
    if (!onPage) continue;
    const order = [...answer.series.timestamps.keys()];
    if (scanBy === 'TimestampDescending') order.reverse();
    const slice = order.slice(from, Math.max(from, to));
    results.push({
      Id: answer.id,
      Label: answer.label,
      Timestamps: slice.map((i) => new Date(answer.series.timestamps[i] as number)),
      Values: slice.map((i) => answer.series.values[i] as number),
      StatusCode: to < count ? 'PartialData' : 'Complete',
      Messages: [],
    });
  }
  return {
    MetricDataResults: results,
    ...(position > pageEnd ? { NextToken: encodeOffset(pageEnd) } : {}),
    Messages: [],
  };
};

const encodeOffset = (offset: number): string => encodeToken(TOKEN_KIND, offset);
const decodeOffset = (token: string): number => decodeToken<number>(token, TOKEN_KIND, 'number');
