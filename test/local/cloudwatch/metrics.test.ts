import type { GetMetricDataOutput } from '@aws-sdk/client-cloudwatch';
import type { Datapoint, MetricQuery } from '../../../local/cloudwatch/metric-source';
import { MINUTE, newTwin, T0, twinErrorOf } from './fixtures';

const SECOND = 1000;
const at = (ms: number): number => (T0 + ms) / 1000;

type Call = (op: string, input: Record<string, unknown>) => unknown;

const put = (call: Call, data: Array<Record<string, unknown>>, namespace = 'App') =>
  call('PutMetricData', { Namespace: namespace, MetricData: data });

const stat = (metricName: string, statName: string, extra: Record<string, unknown> = {}) => ({
  Metric: { Namespace: 'App', MetricName: metricName, ...extra },
  Period: 60,
  Stat: statName,
});

const get = (call: Call, queries: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) =>
  call('GetMetricData', {
    MetricDataQueries: queries,
    StartTime: at(0),
    EndTime: at(5 * MINUTE),
    ...extra,
  }) as GetMetricDataOutput;

const valuesOf = (output: GetMetricDataOutput, id: string) => {
  const result = output.MetricDataResults?.find((r) => r.Id === id);
  return {
    timestamps: result?.Timestamps?.map((t) => (t.getTime() - T0) / MINUTE),
    values: result?.Values,
  };
};

describe('PutMetricData then GetMetricData', () => {
  const seeded = () => {
    const fixture = newTwin();
    put(fixture.call, [
      { MetricName: 'Latency', Value: 10, Timestamp: at(5 * SECOND) },
      { MetricName: 'Latency', Value: 30, Timestamp: at(50 * SECOND) },
      { MetricName: 'Latency', Values: [1, 2, 100], Counts: [5, 4, 1], Timestamp: at(MINUTE + 5 * SECOND) },
      {
        MetricName: 'Latency',
        StatisticValues: { SampleCount: 4, Sum: 40, Minimum: 2, Maximum: 20 },
        Timestamp: at(3 * MINUTE),
      },
    ]);
    return fixture;
  };

  it.each([
    ['Sum', [0, 1, 3], [40, 113, 40]],
    ['Average', [0, 1, 3], [20, 11.3, 10]],
    ['Minimum', [0, 1, 3], [10, 1, 2]],
    ['Maximum', [0, 1, 3], [30, 100, 20]],
    ['SampleCount', [0, 1, 3], [2, 10, 4]],
    // Percentiles need the distribution: not available from StatisticValues (minute 3).
    ['p50', [0, 1], [10, 1]],
    ['p90', [0, 1], [30, 2]],
    ['p100', [0, 1], [30, 100]],
  ])('aggregates %s per period, oldest first with ScanBy=TimestampAscending', (statName, minutes, values) => {
    const { call } = seeded();

    const output = get(call, [{ Id: 'q', MetricStat: stat('Latency', statName) }], {
      ScanBy: 'TimestampAscending',
    });

    expect(valuesOf(output, 'q')).toEqual({ timestamps: minutes, values });
  });

  it('answers newest first by default, labelled with the metric name, Complete', () => {
    const { call } = seeded();

    const output = get(call, [{ Id: 'q', MetricStat: stat('Latency', 'Sum') }]);

    expect(output.MetricDataResults).toEqual([
      {
        Id: 'q',
        Label: 'Latency',
        Timestamps: [new Date(T0 + 3 * MINUTE), new Date(T0 + MINUTE), new Date(T0)],
        Values: [40, 113, 40],
        StatusCode: 'Complete',
        Messages: [],
      },
    ]);
    expect(output.NextToken).toBeUndefined();
  });

  it('uses the Label given and leaves out queries with ReturnData false', () => {
    const { call } = seeded();

    const output = get(call, [
      { Id: 'hidden', MetricStat: stat('Latency', 'Sum'), ReturnData: false },
      { Id: 'shown', MetricStat: stat('Latency', 'Sum'), Label: 'latency sum' },
    ]);

    expect(output.MetricDataResults?.map((r) => [r.Id, r.Label])).toEqual([['shown', 'latency sum']]);
  });

  it('matches the exact set of dimensions, in any order', () => {
    const { call } = newTwin();
    put(call, [
      {
        MetricName: 'Hits',
        Value: 1,
        Timestamp: at(0),
        Dimensions: [
          { Name: 'A', Value: '1' },
          { Name: 'B', Value: '2' },
        ],
      },
      { MetricName: 'Hits', Value: 10, Timestamp: at(0), Dimensions: [{ Name: 'A', Value: '1' }] },
      { MetricName: 'Hits', Value: 100, Timestamp: at(0) },
    ]);

    const output = get(call, [
      {
        Id: 'both',
        MetricStat: stat('Hits', 'Sum', {
          Dimensions: [
            { Name: 'B', Value: '2' },
            { Name: 'A', Value: '1' },
          ],
        }),
      },
      { Id: 'one', MetricStat: stat('Hits', 'Sum', { Dimensions: [{ Name: 'A', Value: '1' }] }) },
      { Id: 'none', MetricStat: stat('Hits', 'Sum') },
      { Id: 'other', MetricStat: stat('Hits', 'Sum', { Dimensions: [{ Name: 'A', Value: '2' }] }) },
    ]);

    expect(output.MetricDataResults?.map((r) => [r.Id, r.Values])).toEqual([
      ['both', [1]],
      ['one', [10]],
      ['none', [100]],
      ['other', []],
    ]);
  });

  it('filters by Unit when the query names one', () => {
    const { call } = newTwin();
    put(call, [
      { MetricName: 'Size', Value: 1, Unit: 'Bytes', Timestamp: at(0) },
      { MetricName: 'Size', Value: 5, Unit: 'Kilobytes', Timestamp: at(0) },
    ]);

    const output = get(call, [
      { Id: 'bytes', MetricStat: { ...stat('Size', 'Sum'), Unit: 'Bytes' } },
      { Id: 'any', MetricStat: stat('Size', 'Sum') },
    ]);

    expect(output.MetricDataResults?.map((r) => r.Values)).toEqual([[1], [6]]);
  });

  it('stamps data without a Timestamp with the twin clock', () => {
    const { call, clock } = newTwin();
    clock.advance(2 * MINUTE + 7 * SECOND);

    put(call, [{ MetricName: 'Hits', Value: 3 }]);

    expect(valuesOf(get(call, [{ Id: 'q', MetricStat: stat('Hits', 'Sum') }]), 'q')).toEqual({
      timestamps: [2],
      values: [3],
    });
  });

  it('rounds StartTime down to the minute, includes it, and excludes EndTime', () => {
    const { call } = newTwin();
    put(call, [
      { MetricName: 'Hits', Value: 1, Timestamp: at(10 * SECOND) },
      { MetricName: 'Hits', Value: 2, Timestamp: at(MINUTE + 10 * SECOND) },
      { MetricName: 'Hits', Value: 4, Timestamp: at(2 * MINUTE) },
    ]);

    const output = get(call, [{ Id: 'q', MetricStat: stat('Hits', 'Sum') }], {
      StartTime: at(30 * SECOND),
      EndTime: at(2 * MINUTE),
      ScanBy: 'TimestampAscending',
    });

    expect(valuesOf(output, 'q')).toEqual({ timestamps: [0, 1], values: [1, 2] });
  });

  it('rounds StartTime to the period for sub-minute periods', () => {
    const { call } = newTwin();
    put(call, [
      { MetricName: 'Hits', Value: 1, Timestamp: at(12 * SECOND), StorageResolution: 1 },
      { MetricName: 'Hits', Value: 2, Timestamp: at(25 * SECOND), StorageResolution: 1 },
    ]);

    const output = get(call, [{ Id: 'q', MetricStat: { ...stat('Hits', 'Sum'), Period: 10 } }], {
      StartTime: at(15 * SECOND),
      EndTime: at(MINUTE),
      ScanBy: 'TimestampAscending',
    });

    expect(output.MetricDataResults?.[0]?.Timestamps).toEqual([
      new Date(T0 + 10 * SECOND),
      new Date(T0 + 20 * SECOND),
    ]);
  });

  it('pages by MaxDatapoints across results, marking a split result PartialData', () => {
    const { call } = newTwin();
    put(
      call,
      [0, 1, 2].flatMap((m) => [
        { MetricName: 'A', Value: m, Timestamp: at(m * MINUTE) },
        { MetricName: 'B', Value: 10 + m, Timestamp: at(m * MINUTE) },
      ]),
    );
    const queries = [
      { Id: 'a', MetricStat: stat('A', 'Sum') },
      { Id: 'b', MetricStat: stat('B', 'Sum') },
    ];

    const first = get(call, queries, { MaxDatapoints: 4, ScanBy: 'TimestampAscending' });
    const second = get(call, queries, {
      MaxDatapoints: 4,
      ScanBy: 'TimestampAscending',
      NextToken: first.NextToken,
    });

    expect(first.MetricDataResults?.map((r) => [r.Id, r.Values, r.StatusCode])).toEqual([
      ['a', [0, 1, 2], 'Complete'],
      ['b', [10], 'PartialData'],
    ]);
    expect(first.NextToken).toEqual(expect.any(String));
    expect(second.MetricDataResults?.map((r) => [r.Id, r.Values, r.StatusCode])).toEqual([
      ['b', [11, 12], 'Complete'],
    ]);
    expect(second.NextToken).toBeUndefined();
  });
});

describe('GetMetricData with a metric source', () => {
  it('asks the source first, with the aligned start, and uses its datapoints (newest first)', () => {
    const asked: MetricQuery[] = [];
    const source = (query: MetricQuery): Datapoint[] | undefined => {
      asked.push(query);
      if (query.namespace !== 'AWS/ApplicationELB') return undefined;
      return [
        { timestamp: new Date(T0), value: 120 },
        { timestamp: new Date(T0 + MINUTE), value: 60 },
      ];
    };
    const { call } = newTwin({ metricSource: source });
    put(call, [{ MetricName: 'Hits', Value: 7, Timestamp: at(0) }]);

    const output = get(
      call,
      [
        {
          Id: 'elb',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/ApplicationELB',
              MetricName: 'RequestCount',
              Dimensions: [
                { Name: 'TargetGroup', Value: 'targetgroup/blue/1' },
                { Name: 'LoadBalancer', Value: 'app/lb/2' },
              ],
            },
            Period: 60,
            Stat: 'Sum',
          },
        },
        { Id: 'app', MetricStat: stat('Hits', 'Sum') },
      ],
      { StartTime: at(20 * SECOND) },
    );

    expect(asked[0]).toEqual({
      namespace: 'AWS/ApplicationELB',
      metricName: 'RequestCount',
      dimensions: { TargetGroup: 'targetgroup/blue/1', LoadBalancer: 'app/lb/2' },
      start: new Date(T0),
      end: new Date(T0 + 5 * MINUTE),
      period: 60,
      stat: 'Sum',
    });
    expect(valuesOf(output, 'elb')).toEqual({ timestamps: [1, 0], values: [60, 120] });
    // The source declined the App metric: the stored datapoint answers it.
    expect(valuesOf(output, 'app')).toEqual({ timestamps: [0], values: [7] });
  });
});

describe('GetMetricData expressions', () => {
  const seeded = () => {
    const fixture = newTwin();
    put(fixture.call, [
      { MetricName: 'Errors', Value: 5, Timestamp: at(0) },
      { MetricName: 'Errors', Value: 0, Timestamp: at(MINUTE) },
      { MetricName: 'Requests', Value: 100, Timestamp: at(0) },
      { MetricName: 'Requests', Value: 50, Timestamp: at(MINUTE) },
      { MetricName: 'Requests', Value: 10, Timestamp: at(2 * MINUTE) },
    ]);
    return fixture;
  };
  const queries = (expression: string) => [
    { Id: 'errors', MetricStat: stat('Errors', 'Sum'), ReturnData: false },
    { Id: 'requests', MetricStat: stat('Requests', 'Sum'), ReturnData: false },
    { Id: 'e', Expression: expression },
  ];

  it.each([
    ['100 * errors / requests', [0, 1], [5, 0]],
    ['errors + requests', [0, 1], [105, 50]],
    ['SUM([errors, requests])', [0, 1, 2], [105, 50, 10]],
    ['SUM(METRICS())', [0, 1, 2], [105, 50, 10]],
    ['MAX(METRICS("req"))', [0, 1, 2], [100, 50, 10]],
    ['requests - MIN(requests)', [0, 1, 2], [90, 40, 0]],
    ['-(errors - 1) * 2', [0, 1], [-8, 2]],
    ['requests / errors', [0], [20]],
  ])('evaluates %s over the shared timestamps', (expression, minutes, values) => {
    const { call } = seeded();

    const output = get(call, queries(expression), { ScanBy: 'TimestampAscending' });

    expect(valuesOf(output, 'e')).toEqual({ timestamps: minutes, values });
    expect(output.MetricDataResults?.[0]?.Label).toBe('e');
  });

  it('evaluates expressions that use other expressions, in any order', () => {
    const { call } = seeded();

    const output = get(
      call,
      [
        { Id: 'pct', Expression: 'ratio * 100' },
        { Id: 'ratio', Expression: 'errors / requests', ReturnData: false },
        { Id: 'errors', MetricStat: stat('Errors', 'Sum'), ReturnData: false },
        { Id: 'requests', MetricStat: stat('Requests', 'Sum'), ReturnData: false },
      ],
      { ScanBy: 'TimestampAscending' },
    );

    expect(valuesOf(output, 'pct').values).toEqual([5, 0]);
  });

  it.each([
    ['RATE(errors)', 'RATE is not supported'],
    ['AVG(errors)', 'evaluates to a number'],
    ['errors +', 'unexpected end'],
    ['errors ~ 2', 'unexpected character'],
    ['missing * 2', 'unknown Ids'],
    ['SELECT SUM(Hits) FROM App', 'Metrics Insights'],
  ])('refuses %s with a ValidationError that says why', (expression, message) => {
    const { call } = seeded();

    const error = twinErrorOf(() => get(call, queries(expression)));

    expect(error.code).toBe('ValidationError');
    expect(error.message).toContain(message);
  });

  it('refuses expressions that depend on each other in a cycle', () => {
    const { call } = seeded();

    const error = twinErrorOf(() =>
      get(call, [
        { Id: 'a', Expression: 'b * 2' },
        { Id: 'b', Expression: 'a * 2' },
      ]),
    );

    expect(error.message).toContain('cycle');
  });
});

describe('GetMetricData validation', () => {
  const query = { Id: 'q', MetricStat: stat('Hits', 'Sum') };

  it.each([
    ['no MetricDataQueries', { MetricDataQueries: undefined }, 'ValidationError', "'metricDataQueries'"],
    ['no queries', { MetricDataQueries: [] }, 'ValidationError', 'greater than or equal to 1'],
    [
      '501 queries',
      { MetricDataQueries: Array.from({ length: 501 }, (_, i) => ({ ...query, Id: `q${i}` })) },
      'ValidationError',
      'less than or equal to 500',
    ],
    [
      'an Id starting with a capital',
      { MetricDataQueries: [{ ...query, Id: 'Q1' }] },
      'ValidationError',
      'lowercase letter',
    ],
    ['an Id used twice', { MetricDataQueries: [query, query] }, 'ValidationError', 'more than one query'],
    [
      'a query with MetricStat and Expression',
      { MetricDataQueries: [{ ...query, Expression: 'q' }] },
      'InvalidParameterCombination',
      'mutually exclusive',
    ],
    ['a query with neither', { MetricDataQueries: [{ Id: 'q' }] }, 'ValidationError', 'metricStat or'],
    [
      'a period of 45 s',
      { MetricDataQueries: [{ Id: 'q', MetricStat: { ...stat('Hits', 'Sum'), Period: 45 } }] },
      'InvalidParameterValue',
      'multiple of 60',
    ],
    [
      'no Stat',
      {
        MetricDataQueries: [
          { Id: 'q', MetricStat: { Metric: { Namespace: 'App', MetricName: 'H' }, Period: 60 } },
        ],
      },
      'ValidationError',
      "'metricDataQueries.1.member.metricStat.stat'",
    ],
    [
      'an unsupported statistic',
      { MetricDataQueries: [{ Id: 'q', MetricStat: stat('Hits', 'tm90') }] },
      'InvalidParameterValue',
      'tm90',
    ],
    ['no StartTime', { StartTime: undefined }, 'ValidationError', "'startTime'"],
    ['no EndTime', { EndTime: undefined }, 'ValidationError', "'endTime'"],
    [
      'StartTime after EndTime',
      { StartTime: at(MINUTE), EndTime: at(0) },
      'ValidationError',
      'StartTime must be less than',
    ],
    ['a bad timestamp', { StartTime: 'yesterday' }, 'ValidationError', "'startTime'"],
    ['an unknown ScanBy', { ScanBy: 'Sideways' }, 'ValidationError', 'TimestampDescending'],
    ['MaxDatapoints 0', { MaxDatapoints: 0 }, 'ValidationError', "'maxDatapoints'"],
    ['a NextToken it did not issue', { NextToken: 'abc' }, 'InvalidNextToken', 'NextToken'],
  ])('refuses %s', (_case, overrides, code, message) => {
    const { call } = newTwin();

    const error = twinErrorOf(() => get(call, [query], overrides));

    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });
});

describe('PutMetricData validation', () => {
  it.each([
    [
      'an AWS/ namespace',
      'AWS/ApplicationELB',
      [{ MetricName: 'X', Value: 1 }],
      'InvalidParameterValue',
      'reserved',
    ],
    ['no MetricData', 'App', undefined, 'ValidationError', "'metricData'"],
    [
      '1001 data',
      'App',
      Array.from({ length: 1001 }, () => ({ MetricName: 'X', Value: 1 })),
      'ValidationError',
      'less than or equal to 1000',
    ],
    ['no MetricName', 'App', [{ Value: 1 }], 'ValidationError', "'metricData.1.member.metricName'"],
    [
      'Value and Values',
      'App',
      [{ MetricName: 'X', Value: 1, Values: [1] }],
      'InvalidParameterCombination',
      'MetricData.member.1.Value and MetricData.member.1.Values',
    ],
    [
      'Value and StatisticValues',
      'App',
      [{ MetricName: 'X', Value: 1, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } }],
      'InvalidParameterCombination',
      'mutually exclusive',
    ],
    ['no value at all', 'App', [{ MetricName: 'X' }], 'InvalidParameterCombination', 'must be specified'],
    [
      'Counts of another length',
      'App',
      [{ MetricName: 'X', Values: [1, 2], Counts: [1] }],
      'InvalidParameterValue',
      'same size',
    ],
    [
      '151 values',
      'App',
      [{ MetricName: 'X', Values: Array.from({ length: 151 }, (_, i) => i) }],
      'ValidationError',
      'less than or equal to 150',
    ],
    [
      'StatisticValues without Maximum',
      'App',
      [{ MetricName: 'X', StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1 } }],
      'ValidationError',
      "'metricData.1.member.statisticValues.maximum'",
    ],
    [
      'StatisticValues with Minimum above Maximum',
      'App',
      [{ MetricName: 'X', StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 2, Maximum: 1 } }],
      'InvalidParameterValue',
      'Minimum must be less than',
    ],
    [
      'a NaN value',
      'App',
      [{ MetricName: 'X', Value: 'NaN' }],
      'ValidationError',
      "'metricData.1.member.value'",
    ],
    ['a value beyond 2^360', 'App', [{ MetricName: 'X', Value: 2 ** 361 }], 'InvalidParameterValue', '2^360'],
    [
      'a timestamp three hours ahead',
      'App',
      [{ MetricName: 'X', Value: 1, Timestamp: at(3 * 60 * MINUTE) }],
      'InvalidParameterValue',
      'two hours in the future',
    ],
    [
      'a timestamp three weeks old',
      'App',
      [{ MetricName: 'X', Value: 1, Timestamp: at(-21 * 24 * 60 * MINUTE) }],
      'InvalidParameterValue',
      'past two weeks',
    ],
    [
      'a StorageResolution of 5',
      'App',
      [{ MetricName: 'X', Value: 1, StorageResolution: 5 }],
      'InvalidParameterValue',
      'StorageResolution',
    ],
    [
      'an unknown Unit',
      'App',
      [{ MetricName: 'X', Value: 1, Unit: 'Parsecs' }],
      'ValidationError',
      "'metricData.1.member.unit'",
    ],
  ])('refuses %s', (_case, namespace, data, code, message) => {
    const { call } = newTwin();

    const error = twinErrorOf(() => call('PutMetricData', { Namespace: namespace, MetricData: data }));

    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });

  it('stores nothing from a request with one bad datum', () => {
    const { call } = newTwin();

    twinErrorOf(() =>
      put(call, [{ MetricName: 'Hits', Value: 1, Timestamp: at(0) }, { MetricName: 'Hits' }]),
    );

    expect(get(call, [{ Id: 'q', MetricStat: stat('Hits', 'Sum') }]).MetricDataResults?.[0]?.Values).toEqual(
      [],
    );
  });

  it('accepts the awsQuery form, where numbers and timestamps are strings', () => {
    const { call } = newTwin();

    put(call, [{ MetricName: 'Hits', Value: '2.5', Timestamp: new Date(T0).toISOString(), Unit: 'Count' }]);

    expect(get(call, [{ Id: 'q', MetricStat: stat('Hits', 'Sum') }]).MetricDataResults?.[0]?.Values).toEqual([
      2.5,
    ]);
  });
});
