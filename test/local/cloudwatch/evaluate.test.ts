import { CloudWatchTwin } from '../../../local/cloudwatch';
import { AlarmEvaluator } from '../../../local/cloudwatch/evaluate';
import { evaluateAlarmRule } from '../../../local/cloudwatch/evaluate-rule';
import { TrafficModel } from '../../../local/traffic/model';
import { FakeElbv2, frozenClock, lbDimension, MINUTE, SECOND, tgDimension } from '../traffic/fixtures';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';

/**
 * The blue and green target groups of svc1 behind `shop`, 50/50 at 20 requests per second: each
 * receives 600 requests a minute. CloudWatch over the traffic model, with the evaluator.
 */
const setup = () => {
  const clock = frozenClock();
  const elbv2 = new FakeElbv2(clock);
  elbv2.addTargetGroup('blue-svc1', { cluster: 'blue' });
  elbv2.addTargetGroup('green-svc1', { cluster: 'green' });
  elbv2.addRoute('svc1', { 'blue-svc1': 50, 'green-svc1': 50 });
  const traffic = new TrafficModel({ clock, elbv2, ratePerRoute: 20 });
  const cloudwatch = new CloudWatchTwin({
    clock,
    region: REGION,
    accountId: ACCOUNT,
    metricSource: traffic.metricSource,
  });
  const errors: unknown[] = [];
  const evaluator = new AlarmEvaluator({
    clock,
    cloudwatch,
    region: REGION,
    accountId: ACCOUNT,
    onError: (_name, error) => errors.push(error),
  });
  const put = (operation: string, input: Record<string, unknown>) => {
    const run = cloudwatch.operations[operation];
    if (run === undefined) throw new Error(`no ${operation}`);
    return run(input);
  };
  const fiveXxAlarm = (name: string, cluster: string, settings: Record<string, unknown> = {}) =>
    put('PutMetricAlarm', {
      AlarmName: name,
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'HTTPCode_Target_5XX_Count',
      Dimensions: [
        { Name: 'LoadBalancer', Value: lbDimension('shop') },
        { Name: 'TargetGroup', Value: tgDimension(`${cluster}-svc1`) },
      ],
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 100,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      ...settings,
    });
  const stateOf = (name: string) => cloudwatch.alarms().find((alarm) => alarm.name === name);
  const describe = (name: string) =>
    put('DescribeAlarms', { AlarmNames: [name], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }) as {
      MetricAlarms: { StateReasonData?: string }[];
      CompositeAlarms: { StateReasonData?: string }[];
    };
  return { clock, traffic, cloudwatch, evaluator, errors, put, fiveXxAlarm, stateOf, describe };
};

describe('alarm threshold evaluation', () => {
  it("goes to ALARM once a sick cluster's 5xx cross the threshold for EvaluationPeriods periods, in CloudWatch's words", () => {
    const { clock, traffic, evaluator, fiveXxAlarm, stateOf, describe } = setup();
    fiveXxAlarm('blue-5xx', 'blue', { EvaluationPeriods: 2 });
    traffic.setClusterErrorRate('blue', 0.5);

    clock.advance(MINUTE + SECOND);
    evaluator.evaluateAlarms();
    const afterOne = stateOf('blue-5xx')?.state;
    clock.advance(MINUTE);
    evaluator.evaluateAlarms();

    expect(afterOne).toBe('OK');
    expect(stateOf('blue-5xx')).toMatchObject({
      state: 'ALARM',
      reason:
        'Threshold Crossed: 2 out of the last 2 datapoints [300.0 (06/01/25 12:00:00), 300.0 (06/01/25 12:01:00)] ' +
        'were greater than the threshold (100.0) (minimum 2 datapoints for OK -> ALARM transition).',
    });
    expect(JSON.parse(describe('blue-5xx').MetricAlarms[0]?.StateReasonData ?? '{}')).toMatchObject({
      version: '1.0',
      startDate: '2025-01-06T12:00:00.000+0000',
      statistic: 'Sum',
      period: 60,
      recentDatapoints: [300, 300],
      threshold: 100,
    });
  });

  it('treats periods without 5xx as not breaching with notBreaching: OK, not INSUFFICIENT_DATA', () => {
    const { clock, evaluator, fiveXxAlarm, stateOf } = setup();
    fiveXxAlarm('green-5xx', 'green');

    clock.advance(MINUTE + SECOND);
    evaluator.evaluateAlarms();

    expect(stateOf('green-5xx')?.state).toBe('OK');
  });

  it('goes to INSUFFICIENT_DATA when every datapoint is missing and missing data is treated as missing', () => {
    const { clock, evaluator, put, stateOf } = setup();
    put('PutMetricAlarm', {
      AlarmName: 'quiet',
      Namespace: 'Shop',
      MetricName: 'Nothing',
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 3,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    evaluator.evaluateAlarms();
    const initial = stateOf('quiet')?.state;
    put('SetAlarmState', { AlarmName: 'quiet', StateValue: 'OK', StateReason: 'by hand' });

    clock.advance(MINUTE);
    evaluator.evaluateAlarms();

    expect(initial).toBe('INSUFFICIENT_DATA');
    expect(stateOf('quiet')).toMatchObject({
      state: 'INSUFFICIENT_DATA',
      reason: 'Insufficient Data: 3 datapoints were unknown.',
    });
  });

  it('needs DatapointsToAlarm of the EvaluationPeriods datapoints to breach (M out of N)', () => {
    const { clock, traffic, evaluator, fiveXxAlarm, stateOf } = setup();
    fiveXxAlarm('blue-5xx', 'blue', { EvaluationPeriods: 3, DatapointsToAlarm: 2 });
    clock.advance(MINUTE);
    traffic.setClusterErrorRate('blue', 0.5);
    clock.advance(MINUTE);
    traffic.setClusterErrorRate('blue', 0);
    clock.advance(MINUTE + SECOND);

    evaluator.evaluateAlarms();
    const oneOfThree = stateOf('blue-5xx')?.state;
    traffic.setClusterErrorRate('blue', 0.5);
    clock.advance(MINUTE);
    evaluator.evaluateAlarms();

    expect(oneOfThree).toBe('OK');
    expect(stateOf('blue-5xx')?.state).toBe('ALARM');
    expect(stateOf('blue-5xx')?.reason).toMatch(/^Threshold Crossed: 2 out of the last 3 datapoints \[/);
  });

  it('evaluates a metric-math alarm: the sum of two metrics against the threshold', () => {
    const { clock, traffic, evaluator, put, stateOf } = setup();
    const query = (id: string, cluster: string) => ({
      Id: id,
      ReturnData: false,
      MetricStat: {
        Metric: {
          Namespace: 'AWS/ApplicationELB',
          MetricName: 'HTTPCode_Target_5XX_Count',
          Dimensions: [
            { Name: 'LoadBalancer', Value: lbDimension('shop') },
            { Name: 'TargetGroup', Value: tgDimension(`${cluster}-svc1`) },
          ],
        },
        Period: 60,
        Stat: 'Sum',
      },
    });
    put('PutMetricAlarm', {
      AlarmName: 'fleet-5xx',
      Metrics: [
        { Id: 'total', Expression: 'SUM(METRICS())', ReturnData: true },
        query('b', 'blue'),
        query('g', 'green'),
      ],
      EvaluationPeriods: 1,
      Threshold: 500,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    traffic.setClusterErrorRate('blue', 0.5);
    traffic.setClusterErrorRate('green', 0.5);

    clock.advance(MINUTE + SECOND);
    evaluator.evaluateAlarms();

    expect(stateOf('fleet-5xx')?.state).toBe('ALARM');
    expect(stateOf('fleet-5xx')?.reason).toContain(
      '[600.0 (06/01/25 12:00:00)] was greater than or equal to the threshold (500.0)',
    );
  });

  it('overrides a state set with SetAlarmState at the next evaluation that comes to a different one', () => {
    const { clock, evaluator, fiveXxAlarm, put, stateOf } = setup();
    fiveXxAlarm('blue-5xx', 'blue');
    put('SetAlarmState', { AlarmName: 'blue-5xx', StateValue: 'ALARM', StateReason: 'drill' });
    const drilled = stateOf('blue-5xx')?.state;

    clock.advance(MINUTE + SECOND);
    evaluator.evaluateAlarms();

    expect(drilled).toBe('ALARM');
    expect(stateOf('blue-5xx')?.state).toBe('OK');
  });

  it("leaves the twin's placeholder alarms to SetAlarmState", () => {
    const { clock, cloudwatch, evaluator, stateOf } = setup();
    cloudwatch.ensureAlarm('manual', 'ALARM');

    clock.advance(5 * MINUTE);
    evaluator.evaluateAlarms();

    expect(stateOf('manual')?.state).toBe('ALARM');
  });

  it('moves a composite alarm with its rule when a child changes, naming the child and its state', () => {
    const { cloudwatch, fiveXxAlarm, put, stateOf, describe } = setup();
    fiveXxAlarm('blue-5xx', 'blue');
    fiveXxAlarm('green-5xx', 'green');
    cloudwatch.setAlarmState('blue-5xx', 'OK', 'start');
    cloudwatch.setAlarmState('green-5xx', 'OK', 'start');
    put('PutCompositeAlarm', { AlarmName: 'any-5xx', AlarmRule: 'ALARM("blue-5xx") OR ALARM(green-5xx)' });

    cloudwatch.setAlarmState('green-5xx', 'ALARM', 'sick');

    expect(stateOf('any-5xx')).toMatchObject({
      state: 'ALARM',
      reason: expect.stringMatching(
        /^arn:aws:cloudwatch:eu-west-1:123456789012:alarm:green-5xx transitioned to ALARM at Monday 6 January, 2025 12:00:00 UTC$/,
      ),
    });
    expect(JSON.parse(describe('any-5xx').CompositeAlarms[0]?.StateReasonData ?? '{}')).toEqual({
      triggeringAlarms: [
        {
          arn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:green-5xx',
          state: { value: 'ALARM', timestamp: '2025-01-06T12:00:00.000+0000' },
        },
      ],
    });
    cloudwatch.setAlarmState('green-5xx', 'OK', 'well');
    expect(stateOf('any-5xx')?.state).toBe('OK');
  });

  it('gives a new composite alarm its state at the next evaluation', () => {
    const { cloudwatch, evaluator, fiveXxAlarm, put, stateOf } = setup();
    fiveXxAlarm('blue-5xx', 'blue');
    cloudwatch.setAlarmState('blue-5xx', 'OK', 'start');
    put('PutCompositeAlarm', { AlarmName: 'blue-sick', AlarmRule: 'ALARM(blue-5xx)' });
    const created = stateOf('blue-sick')?.state;

    evaluator.evaluateComposites();

    expect(created).toBe('INSUFFICIENT_DATA');
    expect(stateOf('blue-sick')).toMatchObject({
      state: 'OK',
      reason:
        'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:blue-sick was created and its alarm rule evaluates to OK',
    });
  });
});

describe('composite AlarmRule evaluation', () => {
  const states: Record<string, 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'> = {
    a: 'ALARM',
    b: 'OK',
    c: 'INSUFFICIENT_DATA',
    'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a': 'ALARM',
  };
  const holds = (rule: string) => evaluateAlarmRule(rule, (name) => states[name]);

  it.each([
    ['ALARM(a)', true],
    ['ALARM("b")', false],
    ['OK(b) AND ALARM(a)', true],
    ['ALARM(a) AND ALARM(b)', false],
    ['ALARM(b) OR INSUFFICIENT_DATA(c)', true],
    ['NOT ALARM(a)', false],
    ['NOT ALARM(b) AND NOT OK(a)', true],
    ['ALARM(b) OR ALARM(a) AND OK(b)', true],
    ['(ALARM(b) OR ALARM(a)) AND ALARM(b)', false],
    ['TRUE', true],
    ['FALSE OR ALARM(b)', false],
    ['ALARM("arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a")', true],
    ['AT_LEAST(2, ALARM, (a, b, c))', false],
    ['AT_LEAST(2, !ALARM, (a, b, c))', true],
    ['AT_LEAST(30%, ALARM, ("a", "b", "c"))', true],
    ['ALARM(missing)', false],
  ])('%s is %s', (rule, expected) => {
    expect(holds(rule)).toBe(expected);
  });

  it.each(['ALARM(a', 'ALARM(a) AND', 'MAYBE(a)', 'ALARM(a) ALARM(b)'])(
    'refuses %s naming where it fails',
    (rule) => {
      expect(() => holds(rule)).toThrow(/^AlarmRule, at character \d+: /);
    },
  );
});
