import type { CompositeAlarm, DescribeAlarmsOutput, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { AlarmStateChange } from '../../../local/cloudwatch';
import { arnOf, MINUTE, metricAlarm, newTwin, T0, twinErrorOf } from './fixtures';

const describe_ = (call: (op: string, input: Record<string, unknown>) => unknown, input = {}) =>
  call('DescribeAlarms', input) as DescribeAlarmsOutput;

describe('PutMetricAlarm', () => {
  it('creates an alarm in INSUFFICIENT_DATA with the configuration, ARN and timestamps DescribeAlarms shows', () => {
    const { call } = newTwin();

    call(
      'PutMetricAlarm',
      metricAlarm('blue-5xx', { AlarmDescription: 'blue errors', DatapointsToAlarm: 2 }),
    );

    const [alarm] = describe_(call).MetricAlarms ?? [];
    expect(alarm).toEqual({
      AlarmName: 'blue-5xx',
      AlarmArn: arnOf('blue-5xx'),
      AlarmDescription: 'blue errors',
      AlarmConfigurationUpdatedTimestamp: new Date(T0),
      ActionsEnabled: true,
      OKActions: [],
      AlarmActions: [],
      InsufficientDataActions: [],
      MetricName: 'HTTPCode_Target_5XX_Count',
      Namespace: 'AWS/ApplicationELB',
      Statistic: 'Sum',
      Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/blue-svc1/73e2d6bc24d8a067' }],
      Period: 60,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      Threshold: 10,
      ComparisonOperator: 'GreaterThanThreshold',
      StateValue: 'INSUFFICIENT_DATA',
      StateReason: 'Unchecked: Initial alarm creation',
      StateUpdatedTimestamp: new Date(T0),
      StateTransitionedTimestamp: new Date(T0),
    });
  });

  it('accepts the awsQuery form of the same input, where every scalar is a string', () => {
    const { call } = newTwin();

    call(
      'PutMetricAlarm',
      metricAlarm('blue-5xx', {
        Period: '300',
        EvaluationPeriods: '2',
        Threshold: '1.5',
        ActionsEnabled: 'false',
      }),
    );

    const [alarm] = describe_(call).MetricAlarms ?? [];
    expect(alarm).toMatchObject({ Period: 300, EvaluationPeriods: 2, Threshold: 1.5, ActionsEnabled: false });
  });

  it('keeps the state of an alarm it updates and records the new configuration time', () => {
    const { call, clock } = newTwin();
    call('PutMetricAlarm', metricAlarm('blue-5xx'));
    call('SetAlarmState', { AlarmName: 'blue-5xx', StateValue: 'ALARM', StateReason: 'test' });
    clock.advance(MINUTE);

    call('PutMetricAlarm', metricAlarm('blue-5xx', { Threshold: 20 }));

    const [alarm] = describe_(call).MetricAlarms ?? [];
    expect(alarm).toMatchObject({
      Threshold: 20,
      StateValue: 'ALARM',
      StateReason: 'test',
      AlarmConfigurationUpdatedTimestamp: new Date(T0 + MINUTE),
      StateUpdatedTimestamp: new Date(T0),
    });
  });

  it('stores a metric-math alarm given as Metrics', () => {
    const { call } = newTwin();
    const metrics = [
      {
        Id: 'errors',
        MetricStat: { Metric: { Namespace: 'App', MetricName: 'Errors' }, Period: 60, Stat: 'Sum' },
        ReturnData: false,
      },
      { Id: 'rate', Expression: 'errors * 100', Label: 'error rate', ReturnData: true },
    ];
    const input = metricAlarm('rate', { Metrics: metrics });
    for (const field of ['Namespace', 'MetricName', 'Dimensions', 'Statistic', 'Period']) delete input[field];

    call('PutMetricAlarm', input);

    const [alarm] = describe_(call).MetricAlarms ?? [];
    expect(alarm?.Metrics).toEqual([
      {
        Id: 'errors',
        MetricStat: {
          Metric: { Namespace: 'App', MetricName: 'Errors', Dimensions: [] },
          Period: 60,
          Stat: 'Sum',
        },
        ReturnData: false,
      },
      { Id: 'rate', Expression: 'errors * 100', Label: 'error rate', ReturnData: true },
    ]);
    expect(alarm?.MetricName).toBeUndefined();
  });

  it.each([
    [
      'no AlarmName',
      { AlarmName: undefined },
      'ValidationError',
      "at 'alarmName' failed to satisfy constraint: Member must not be null",
    ],
    [
      'an AlarmName over 255 characters',
      { AlarmName: 'a'.repeat(256) },
      'ValidationError',
      'length less than or equal to 255',
    ],
    ['an unknown ComparisonOperator', { ComparisonOperator: 'Bigger' }, 'ValidationError', 'enum value set'],
    ['no ComparisonOperator', { ComparisonOperator: undefined }, 'ValidationError', "'comparisonOperator'"],
    ['no EvaluationPeriods', { EvaluationPeriods: undefined }, 'ValidationError', "'evaluationPeriods'"],
    ['EvaluationPeriods 0', { EvaluationPeriods: 0 }, 'ValidationError', 'greater than or equal to 1'],
    [
      'a Period of 45 s',
      { Period: 45 },
      'InvalidParameterValue',
      'Period must be 10, 20, 30 or a multiple of 60',
    ],
    ['no Period', { Period: undefined }, 'ValidationError', "'period'"],
    ['an unknown Statistic', { Statistic: 'Median' }, 'ValidationError', 'enum value set: [SampleCount'],
    [
      'both Statistic and ExtendedStatistic',
      { ExtendedStatistic: 'p99' },
      'InvalidParameterCombination',
      'Exactly one',
    ],
    [
      'neither Statistic nor ExtendedStatistic',
      { Statistic: undefined },
      'InvalidParameterCombination',
      'Exactly one',
    ],
    [
      'a malformed ExtendedStatistic',
      { Statistic: undefined, ExtendedStatistic: 'p1000' },
      'InvalidParameterValue',
      'p1000',
    ],
    [
      'DatapointsToAlarm above EvaluationPeriods',
      { DatapointsToAlarm: 4 },
      'ValidationError',
      'DatapointsToAlarm (4)',
    ],
    [
      'an evaluation range over a day',
      { Period: 3000, EvaluationPeriods: 30 },
      'ValidationError',
      'must not exceed 86400',
    ],
    [
      'an evaluation range over seven days',
      { Period: 86400, EvaluationPeriods: 8 },
      'ValidationError',
      'must not exceed 604800',
    ],
    ['no Threshold', { Threshold: undefined }, 'ValidationError', 'Threshold is required'],
    [
      'an anomaly operator without ThresholdMetricId',
      { ComparisonOperator: 'LessThanLowerThreshold' },
      'ValidationError',
      'ThresholdMetricId',
    ],
    ['a bad TreatMissingData', { TreatMissingData: 'zero' }, 'ValidationError', 'breaching'],
    ['a bad Unit', { Unit: 'Furlongs' }, 'ValidationError', "'unit'"],
    [
      'six alarm actions',
      { AlarmActions: ['a', 'b', 'c', 'd', 'e', 'f'] },
      'ValidationError',
      "'alarmActions'",
    ],
    [
      'a dimension without a value',
      { Dimensions: [{ Name: 'TargetGroup' }] },
      'ValidationError',
      "'dimensions.1.member.value'",
    ],
    [
      'the same dimension twice',
      {
        Dimensions: [
          { Name: 'A', Value: '1' },
          { Name: 'A', Value: '2' },
        ],
      },
      'InvalidParameterValue',
      'more than once',
    ],
    [
      'Metrics together with MetricName',
      { Metrics: [{ Id: 'm1', Expression: 'x' }] },
      'InvalidParameterCombination',
      'Metrics and MetricName',
    ],
    ['a non-numeric Threshold', { Threshold: 'ten' }, 'ValidationError', "'threshold'"],
    [
      'a PromQL EvaluationCriteria',
      { EvaluationCriteria: { PromQLCriteria: {} } },
      'InvalidParameterValue',
      'EvaluationCriteria',
    ],
  ])('refuses %s', (_case, overrides, code, message) => {
    const { call } = newTwin();

    const error = twinErrorOf(() => call('PutMetricAlarm', metricAlarm('a', overrides)));

    expect(error.code).toBe(code);
    expect(error.status).toBe(400);
    expect(error.message).toContain(message);
    expect(describe_(call).MetricAlarms).toEqual([]);
  });

  it('refuses Metrics in which not exactly one query has ReturnData', () => {
    const { call } = newTwin();
    const input = {
      AlarmName: 'rate',
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      Metrics: [
        { Id: 'a', MetricStat: { Metric: { Namespace: 'N', MetricName: 'M' }, Period: 60, Stat: 'Sum' } },
        { Id: 'b', Expression: 'a * 2' },
      ],
    };

    const error = twinErrorOf(() => call('PutMetricAlarm', input));

    expect(error).toMatchObject({ code: 'ValidationError' });
    expect(error.message).toContain('2 do');
  });

  it('refuses to turn a composite alarm into a metric alarm', () => {
    const { call } = newTwin();
    call('PutMetricAlarm', metricAlarm('child'));
    call('PutCompositeAlarm', { AlarmName: 'parent', AlarmRule: 'ALARM(child)' });

    const error = twinErrorOf(() => call('PutMetricAlarm', metricAlarm('parent')));

    expect(error.code).toBe('ValidationError');
    expect(error.message).toContain('composite');
  });
});

describe('PutCompositeAlarm', () => {
  it('stores the rule and starts in INSUFFICIENT_DATA', () => {
    const { call } = newTwin();
    call('PutMetricAlarm', metricAlarm('blue-5xx'));
    call('PutMetricAlarm', metricAlarm('blue-latency'));

    call('PutCompositeAlarm', {
      AlarmName: 'blue-health',
      AlarmRule: `ALARM("blue-5xx") OR ALARM(${arnOf('blue-latency')})`,
      AlarmActions: ['arn:aws:sns:us-east-1:123456789012:ops'],
    });

    const { CompositeAlarms, MetricAlarms } = describe_(call, { AlarmTypes: ['CompositeAlarm'] });
    expect(MetricAlarms).toEqual([]);
    expect(CompositeAlarms).toEqual([
      {
        AlarmName: 'blue-health',
        AlarmArn: arnOf('blue-health'),
        AlarmConfigurationUpdatedTimestamp: new Date(T0),
        ActionsEnabled: true,
        OKActions: [],
        AlarmActions: ['arn:aws:sns:us-east-1:123456789012:ops'],
        InsufficientDataActions: [],
        AlarmRule: `ALARM("blue-5xx") OR ALARM(${arnOf('blue-latency')})`,
        StateValue: 'INSUFFICIENT_DATA',
        StateReason: 'Unchecked: Initial alarm creation',
        StateUpdatedTimestamp: new Date(T0),
        StateTransitionedTimestamp: new Date(T0),
      },
    ]);
  });

  it('accepts TRUE/FALSE rules and AT_LEAST lists', () => {
    const { call } = newTwin();
    call('PutMetricAlarm', metricAlarm('a'));
    call('PutMetricAlarm', metricAlarm('b c'));

    call('PutCompositeAlarm', { AlarmName: 'always', AlarmRule: 'TRUE' });
    call('PutCompositeAlarm', {
      AlarmName: 'two',
      AlarmRule: 'AT_LEAST(2, ALARM, (a, "b c")) AND NOT FALSE',
    });

    const children = describe_(call, { ChildrenOfAlarmName: 'two' }).MetricAlarms?.map((a) => a.AlarmName);
    expect(children).toEqual(['a', 'b c']);
  });

  it.each([
    ['no AlarmRule', { AlarmRule: undefined }, 'ValidationError', "'alarmRule'"],
    [
      'a rule naming alarms that do not exist',
      { AlarmRule: 'ALARM(ghost) OR OK("phantom")' },
      'ValidationError',
      '[ghost, phantom]',
    ],
    ['a rule naming itself', { AlarmRule: 'ALARM(self)' }, 'ValidationError', 'itself'],
    [
      'a suppressor without its periods',
      { AlarmRule: 'TRUE', ActionsSuppressor: 'x' },
      'InvalidParameterCombination',
      'WaitPeriod',
    ],
  ])('refuses %s', (_case, overrides, code, message) => {
    const { call } = newTwin();

    const error = twinErrorOf(() => call('PutCompositeAlarm', { AlarmName: 'self', ...overrides }));

    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });
});

describe('DescribeAlarms', () => {
  const seeded = () => {
    const fixture = newTwin();
    for (const name of ['green-5xx', 'blue-5xx', 'blue-latency', 'green-latency'])
      fixture.call(
        'PutMetricAlarm',
        metricAlarm(name, { AlarmActions: [`arn:aws:sns:us-east-1:1:${name}`] }),
      );
    fixture.call('PutCompositeAlarm', {
      AlarmName: 'blue-health',
      AlarmRule: 'ALARM(blue-5xx) OR ALARM(blue-latency)',
    });
    fixture.call('SetAlarmState', { AlarmName: 'green-5xx', StateValue: 'ALARM', StateReason: 'r' });
    return fixture;
  };
  const names = (output: DescribeAlarmsOutput): string[] =>
    [...(output.MetricAlarms ?? []), ...(output.CompositeAlarms ?? [])].map((a) => a.AlarmName ?? '');

  it('returns only metric alarms, sorted by name, when AlarmTypes is omitted', () => {
    const { call } = seeded();

    expect(names(describe_(call))).toEqual(['blue-5xx', 'blue-latency', 'green-5xx', 'green-latency']);
  });

  it.each([
    [
      'AlarmNames (unknown names ignored)',
      { AlarmNames: ['green-5xx', 'nope', 'blue-5xx'] },
      ['blue-5xx', 'green-5xx'],
    ],
    ['AlarmNamePrefix', { AlarmNamePrefix: 'blue-' }, ['blue-5xx', 'blue-latency']],
    ['StateValue', { StateValue: 'ALARM' }, ['green-5xx']],
    ['ActionPrefix', { ActionPrefix: 'arn:aws:sns:us-east-1:1:green' }, ['green-5xx', 'green-latency']],
    [
      'both alarm types',
      { AlarmNamePrefix: 'blue', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] },
      ['blue-5xx', 'blue-health', 'blue-latency'],
    ],
    ['CompositeAlarm only', { AlarmTypes: ['CompositeAlarm'] }, ['blue-health']],
    ['ParentsOfAlarmName', { ParentsOfAlarmName: 'blue-latency' }, ['blue-health']],
  ])('filters by %s', (_case, input, expected) => {
    const { call } = seeded();

    expect(names(describe_(call, input)).sort()).toEqual(expected);
  });

  it('answers ChildrenOfAlarmName with name, ARN, state and state time only', () => {
    const { call } = seeded();

    const output = describe_(call, { ChildrenOfAlarmName: 'blue-health' });

    expect(output.MetricAlarms).toEqual([
      {
        AlarmName: 'blue-5xx',
        AlarmArn: arnOf('blue-5xx'),
        StateValue: 'INSUFFICIENT_DATA',
        StateUpdatedTimestamp: new Date(T0),
      },
      {
        AlarmName: 'blue-latency',
        AlarmArn: arnOf('blue-latency'),
        StateValue: 'INSUFFICIENT_DATA',
        StateUpdatedTimestamp: new Date(T0),
      },
    ]);
  });

  it('pages by MaxRecords with a NextToken until the last page', () => {
    const { call } = seeded();
    const pages: string[][] = [];
    let token: string | undefined;

    do {
      const page = describe_(call, {
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        MaxRecords: 2,
        NextToken: token,
      });
      pages.push(names(page));
      token = page.NextToken;
    } while (token !== undefined);

    expect(pages).toEqual([['blue-5xx', 'blue-health'], ['blue-latency', 'green-5xx'], ['green-latency']]);
  });

  it('answers LogAlarms, empty, when asked for them', () => {
    const { call } = seeded();

    expect(describe_(call, { AlarmTypes: ['LogAlarm'] })).toEqual({
      MetricAlarms: [],
      CompositeAlarms: [],
      LogAlarms: [],
    });
  });

  it.each([
    ['MaxRecords 0', { MaxRecords: 0 }, 'ValidationError', "'maxRecords'"],
    ['MaxRecords 101', { MaxRecords: 101 }, 'ValidationError', 'less than or equal to 100'],
    ['a token it did not issue', { NextToken: 'garbage' }, 'InvalidNextToken', 'NextToken'],
    [
      'AlarmNames with AlarmNamePrefix',
      { AlarmNames: ['a'], AlarmNamePrefix: 'a' },
      'ValidationError',
      'cannot be specified together',
    ],
    ['an unknown StateValue', { StateValue: 'BROKEN' }, 'ValidationError', 'enum value set'],
    [
      'an unknown AlarmType',
      { AlarmTypes: ['MetricAlarm', 'Other'] },
      'ValidationError',
      "'alarmTypes.2.member'",
    ],
    [
      'ChildrenOfAlarmName with another filter',
      { ChildrenOfAlarmName: 'x', StateValue: 'OK' },
      'ValidationError',
      'StateValue',
    ],
    [
      '101 AlarmNames',
      { AlarmNames: Array.from({ length: 101 }, (_, i) => `a${i}`) },
      'ValidationError',
      "'alarmNames'",
    ],
  ])('refuses %s', (_case, input, code, message) => {
    const { call } = seeded();

    const error = twinErrorOf(() => describe_(call, input));

    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });
});

describe('SetAlarmState', () => {
  it('changes the state, reason and reason data, and both state timestamps', () => {
    const { call, clock } = newTwin();
    call('PutMetricAlarm', metricAlarm('blue-5xx'));
    clock.advance(MINUTE);

    call('SetAlarmState', {
      AlarmName: 'blue-5xx',
      StateValue: 'ALARM',
      StateReason: 'drill',
      StateReasonData: '{"version":"1.0"}',
    });

    const [alarm] = describe_(call).MetricAlarms ?? [];
    expect(alarm).toMatchObject({
      StateValue: 'ALARM',
      StateReason: 'drill',
      StateReasonData: '{"version":"1.0"}',
      StateUpdatedTimestamp: new Date(T0 + MINUTE),
      StateTransitionedTimestamp: new Date(T0 + MINUTE),
    });
  });

  it('setting the same state again updates the reason and StateUpdatedTimestamp but not the transition time', () => {
    const { call, clock } = newTwin();
    call('PutMetricAlarm', metricAlarm('blue-5xx'));
    call('SetAlarmState', { AlarmName: 'blue-5xx', StateValue: 'ALARM', StateReason: 'first' });
    clock.advance(MINUTE);

    call('SetAlarmState', { AlarmName: 'blue-5xx', StateValue: 'ALARM', StateReason: 'second' });

    const [alarm] = describe_(call).MetricAlarms ?? [];
    expect(alarm).toMatchObject({
      StateReason: 'second',
      StateUpdatedTimestamp: new Date(T0 + MINUTE),
      StateTransitionedTimestamp: new Date(T0),
    });
  });

  it('sets the state of a composite alarm', () => {
    const { call } = newTwin();
    call('PutCompositeAlarm', { AlarmName: 'c', AlarmRule: 'FALSE' });

    call('SetAlarmState', { AlarmName: 'c', StateValue: 'OK', StateReason: 'r' });

    expect(describe_(call, { AlarmTypes: ['CompositeAlarm'] }).CompositeAlarms?.[0]?.StateValue).toBe('OK');
  });

  it('answers ResourceNotFound (404) for an unknown alarm', () => {
    const { call } = newTwin();

    const error = twinErrorOf(() =>
      call('SetAlarmState', { AlarmName: 'ghost', StateValue: 'OK', StateReason: 'r' }),
    );

    expect(error).toMatchObject({ code: 'ResourceNotFound', status: 404, message: 'Alarm ghost not found' });
  });

  it('answers InvalidFormat for StateReasonData that is not JSON, and leaves the state alone', () => {
    const { call } = newTwin();
    call('PutMetricAlarm', metricAlarm('blue-5xx'));

    const error = twinErrorOf(() =>
      call('SetAlarmState', {
        AlarmName: 'blue-5xx',
        StateValue: 'OK',
        StateReason: 'r',
        StateReasonData: '{oops',
      }),
    );

    expect(error).toMatchObject({ code: 'InvalidFormat', status: 400 });
    expect(describe_(call).MetricAlarms?.[0]?.StateValue).toBe('INSUFFICIENT_DATA');
  });

  it.each([
    ['an unknown StateValue', { StateValue: 'RED' }, "'stateValue'"],
    ['no StateReason', { StateReason: undefined }, "'stateReason'"],
    ['a StateReason over 1023 characters', { StateReason: 'x'.repeat(1024) }, 'less than or equal to 1023'],
  ])('refuses %s with ValidationError', (_case, overrides, message) => {
    const { call } = newTwin();
    call('PutMetricAlarm', metricAlarm('a'));

    const error = twinErrorOf(() =>
      call('SetAlarmState', { AlarmName: 'a', StateValue: 'OK', StateReason: 'r', ...overrides }),
    );

    expect(error.code).toBe('ValidationError');
    expect(error.message).toContain(message);
  });
});

describe('DeleteAlarms', () => {
  it('deletes the named alarms and ignores names that do not exist', () => {
    const { call } = newTwin();
    for (const name of ['a', 'b', 'c']) call('PutMetricAlarm', metricAlarm(name));

    call('DeleteAlarms', { AlarmNames: ['a', 'ghost', 'c'] });

    expect(describe_(call).MetricAlarms?.map((a) => a.AlarmName)).toEqual(['b']);
  });

  it('refuses, deleting nothing, to delete an alarm a composite alarm depends on', () => {
    const { call } = newTwin();
    call('PutMetricAlarm', metricAlarm('child'));
    call('PutMetricAlarm', metricAlarm('other'));
    call('PutCompositeAlarm', { AlarmName: 'parent', AlarmRule: 'ALARM(child)' });

    const error = twinErrorOf(() => call('DeleteAlarms', { AlarmNames: ['other', 'child'] }));

    expect(error).toMatchObject({ code: 'ValidationError' });
    expect(error.message).toBe('Cannot delete child as there are composite alarm(s) depending on them.');
    expect(describe_(call).MetricAlarms?.map((a) => a.AlarmName)).toEqual(['child', 'other']);
  });

  it('deletes a composite alarm together with its children', () => {
    const { call } = newTwin();
    call('PutMetricAlarm', metricAlarm('child'));
    call('PutCompositeAlarm', { AlarmName: 'parent', AlarmRule: 'ALARM(child)' });

    call('DeleteAlarms', { AlarmNames: ['parent', 'child'] });

    expect(describe_(call, { AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] })).toEqual({
      MetricAlarms: [],
      CompositeAlarms: [],
    });
  });

  it.each([
    ['no AlarmNames', {}, "'alarmNames'"],
    [
      '101 names',
      { AlarmNames: Array.from({ length: 101 }, (_, i) => `a${i}`) },
      'less than or equal to 100',
    ],
  ])('refuses %s', (_case, input, message) => {
    const { call } = newTwin();

    const error = twinErrorOf(() => call('DeleteAlarms', input));

    expect(error.code).toBe('ValidationError');
    expect(error.message).toContain(message);
  });

  it('refuses to delete two composite alarms in one call', () => {
    const { call } = newTwin();
    call('PutCompositeAlarm', { AlarmName: 'c1', AlarmRule: 'TRUE' });
    call('PutCompositeAlarm', { AlarmName: 'c2', AlarmRule: 'TRUE' });

    const error = twinErrorOf(() => call('DeleteAlarms', { AlarmNames: ['c1', 'c2'] }));

    expect(error.message).toContain('at most one composite alarm');
  });
});

describe('the twin-facing alarm methods', () => {
  it('alarms() lists every alarm with its type, state and reason', () => {
    const { twin, call } = newTwin();
    call('PutMetricAlarm', metricAlarm('m'));
    call('PutCompositeAlarm', { AlarmName: 'c', AlarmRule: 'ALARM(m)' });
    twin.setAlarmState('m', 'ALARM', 'drill');

    expect(twin.alarms()).toEqual([
      {
        name: 'c',
        type: 'CompositeAlarm',
        state: 'INSUFFICIENT_DATA',
        reason: 'Unchecked: Initial alarm creation',
      },
      { name: 'm', type: 'MetricAlarm', state: 'ALARM', reason: 'drill' },
    ]);
  });

  it('ensureAlarm creates a placeholder alarm once and sets the state it is given', () => {
    const { twin, call } = newTwin();

    twin.ensureAlarm('blue-5xx');
    twin.ensureAlarm('blue-5xx', 'OK');

    expect(twin.alarms()).toEqual([
      { name: 'blue-5xx', type: 'MetricAlarm', state: 'OK', reason: 'Set by the local twin' },
    ]);
    expect(describe_(call).MetricAlarms?.[0]).toMatchObject({
      Namespace: 'ClusterShift/Twin',
      MetricName: 'blue-5xx',
    });
  });

  it('ensureAlarm leaves an existing alarm configuration alone', () => {
    const { twin, call } = newTwin();
    call('PutMetricAlarm', metricAlarm('blue-5xx'));

    twin.ensureAlarm('blue-5xx', 'ALARM');

    expect(describe_(call).MetricAlarms?.[0]).toMatchObject({
      MetricName: 'HTTPCode_Target_5XX_Count',
      StateValue: 'ALARM',
    });
  });

  it('setAlarmState throws ResourceNotFound for an unknown alarm', () => {
    const { twin } = newTwin();

    expect(twinErrorOf(() => twin.setAlarmState('ghost', 'OK', 'r'))).toMatchObject({
      code: 'ResourceNotFound',
    });
  });

  it('reports every change of state value, with the previous state, to each listener until it unsubscribes', () => {
    const { twin, call, clock } = newTwin();
    call('PutMetricAlarm', metricAlarm('blue-5xx'));
    const seen: AlarmStateChange[] = [];
    const unsubscribe = twin.onAlarmStateChange((change) => seen.push(change));

    clock.advance(MINUTE);
    call('SetAlarmState', {
      AlarmName: 'blue-5xx',
      StateValue: 'ALARM',
      StateReason: 'r1',
      StateReasonData: '{}',
    });
    call('SetAlarmState', { AlarmName: 'blue-5xx', StateValue: 'ALARM', StateReason: 'same value' });
    twin.setAlarmState('blue-5xx', 'OK', 'r2');
    unsubscribe();
    twin.setAlarmState('blue-5xx', 'ALARM', 'unseen');

    expect(seen.map(({ previousState, state, reason }) => ({ previousState, state, reason }))).toEqual([
      { previousState: 'INSUFFICIENT_DATA', state: 'ALARM', reason: 'r1' },
      { previousState: 'ALARM', state: 'OK', reason: 'r2' },
    ]);
    const [first] = seen;
    expect(first).toMatchObject({
      type: 'MetricAlarm',
      previousReason: 'Unchecked: Initial alarm creation',
      previousAt: new Date(T0),
      reasonData: '{}',
      at: new Date(T0 + MINUTE),
    });
    expect(first?.alarm as MetricAlarm | undefined).toMatchObject({
      AlarmArn: arnOf('blue-5xx'),
      StateValue: 'ALARM',
    });
  });

  it('keeps notifying the other listeners when one throws, and reports the error', () => {
    const errors: unknown[] = [];
    const { twin } = newTwin({ onListenerError: (error) => errors.push(error) });
    twin.ensureAlarm('a');
    const seen: string[] = [];
    twin.onAlarmStateChange(() => {
      throw new Error('listener broke');
    });
    twin.onAlarmStateChange((change) => seen.push(change.state));

    twin.setAlarmState('a', 'ALARM', 'r');

    expect(seen).toEqual(['ALARM']);
    expect(errors).toEqual([new Error('listener broke')]);
    expect(twin.alarms()[0]?.state).toBe('ALARM');
  });

  it('describes a composite alarm in its change event', () => {
    const { twin } = newTwin();
    twin.ensureAlarm('m');
    const seen: AlarmStateChange[] = [];
    twin.onAlarmStateChange((change) => seen.push(change));
    twin.operations.PutCompositeAlarm?.({ AlarmName: 'c', AlarmRule: 'ALARM(m)' });

    twin.setAlarmState('c', 'ALARM', 'r');

    expect(seen[0]?.type).toBe('CompositeAlarm');
    expect(seen[0]?.alarm as CompositeAlarm | undefined).toMatchObject({ AlarmRule: 'ALARM(m)' });
  });
});
