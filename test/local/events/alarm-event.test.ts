import { CloudWatchTwin } from '../../../local/cloudwatch';
import { alarmStateChangeEvent, type EventEnvelope, executionStatusChangeEvent } from '../../../local/events';
import { frozenClock } from '../traffic/fixtures';

const WHERE = { account: '123456789012', region: 'eu-west-1' };
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/;

/** CloudWatch at a frozen time, with every alarm state change turned into its EventBridge event. */
const setup = () => {
  const clock = frozenClock();
  const cloudwatch = new CloudWatchTwin({ clock, ...{ region: WHERE.region, accountId: WHERE.account } });
  const events: EventEnvelope[] = [];
  cloudwatch.onAlarmStateChange((change) => events.push(alarmStateChangeEvent(change, WHERE)));
  const run = (operation: string, input: Record<string, unknown>) =>
    cloudwatch.operations[operation]?.(input);
  return { clock, cloudwatch, events, run };
};

describe('"CloudWatch Alarm State Change" events', () => {
  it("carry a single-metric alarm's change in the documented shape", () => {
    const { events, run } = setup();
    run('PutMetricAlarm', {
      AlarmName: 'blue-5xx',
      AlarmDescription: 'blue answers 5xx',
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'HTTPCode_Target_5XX_Count',
      Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/blue/1' }],
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
    });

    run('SetAlarmState', {
      AlarmName: 'blue-5xx',
      StateValue: 'ALARM',
      StateReason: 'sick',
      StateReasonData: '{"a":1}',
    });

    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      version: '0',
      'detail-type': 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      account: '123456789012',
      time: '2025-01-06T12:00:00Z',
      region: 'eu-west-1',
      resources: ['arn:aws:cloudwatch:eu-west-1:123456789012:alarm:blue-5xx'],
    });
    expect(event?.detail).toEqual({
      alarmName: 'blue-5xx',
      state: {
        value: 'ALARM',
        reason: 'sick',
        reasonData: '{"a":1}',
        timestamp: expect.stringMatching(TIMESTAMP),
      },
      previousState: {
        value: 'INSUFFICIENT_DATA',
        reason: 'Unchecked: Initial alarm creation',
        timestamp: expect.stringMatching(TIMESTAMP),
      },
      configuration: {
        description: 'blue answers 5xx',
        metrics: [
          {
            id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
            metricStat: {
              metric: {
                dimensions: { TargetGroup: 'targetgroup/blue/1' },
                name: 'HTTPCode_Target_5XX_Count',
                namespace: 'AWS/ApplicationELB',
              },
              period: 60,
              stat: 'Sum',
            },
            returnData: true,
          },
        ],
      },
    });
  });

  it("list a metric-math alarm's queries with their expression, label and returnData", () => {
    const { events, run } = setup();
    run('PutMetricAlarm', {
      AlarmName: 'total',
      Metrics: [
        { Id: 'e1', Expression: 'SUM(METRICS())', Label: 'Total', ReturnData: true },
        {
          Id: 'm1',
          ReturnData: false,
          MetricStat: {
            Metric: { Namespace: 'AWS/EC2', MetricName: 'NetworkIn' },
            Period: 300,
            Stat: 'Maximum',
          },
        },
      ],
      EvaluationPeriods: 1,
      Threshold: 10_000,
      ComparisonOperator: 'GreaterThanThreshold',
    });

    run('SetAlarmState', { AlarmName: 'total', StateValue: 'OK', StateReason: 'fine' });

    expect(events[0]?.detail.configuration).toEqual({
      metrics: [
        { expression: 'SUM(METRICS())', id: 'e1', label: 'Total', returnData: true },
        {
          id: 'm1',
          metricStat: {
            metric: { dimensions: {}, name: 'NetworkIn', namespace: 'AWS/EC2' },
            period: 300,
            stat: 'Maximum',
          },
          returnData: false,
        },
      ],
    });
  });

  it("carry a composite alarm's rule and suppressor settings", () => {
    const { cloudwatch, events, run } = setup();
    cloudwatch.ensureAlarm('child');
    cloudwatch.ensureAlarm('maintenance');
    run('PutCompositeAlarm', {
      AlarmName: 'aggregate',
      AlarmRule: 'ALARM(child)',
      ActionsSuppressor: 'maintenance',
      ActionsSuppressorWaitPeriod: 120,
      ActionsSuppressorExtensionPeriod: 180,
    });

    run('SetAlarmState', { AlarmName: 'aggregate', StateValue: 'ALARM', StateReason: 'child fired' });

    expect(events[0]?.detail).toMatchObject({
      alarmName: 'aggregate',
      state: { value: 'ALARM', reason: 'child fired' },
      previousState: { value: 'INSUFFICIENT_DATA' },
      configuration: {
        alarmRule: 'ALARM(child)',
        actionsSuppressor: 'maintenance',
        actionsSuppressorWaitPeriod: 120,
        actionsSuppressorExtensionPeriod: 180,
      },
    });
    expect(events[0]?.detail.configuration).not.toHaveProperty('metrics');
  });
});

describe('"Step Functions Execution Status Change" events', () => {
  it('carry the execution as the detail, its ARN as the resource, stamped with its stop time', () => {
    const change = {
      executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:flow:run-1',
      stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:flow',
      name: 'run-1',
      status: 'FAILED' as const,
      startDate: new Date('2025-01-06T12:00:00.000Z'),
      stopDate: new Date('2025-01-06T12:00:05.500Z'),
      input: '{}',
      error: 'States.Timeout',
      cause: 'too slow',
    };

    const event = executionStatusChangeEvent(change, WHERE);

    expect(event).toMatchObject({
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      time: '2025-01-06T12:00:05Z',
      resources: [change.executionArn],
      detail: {
        executionArn: change.executionArn,
        status: 'FAILED',
        startDate: 1736164800000,
        stopDate: 1736164805500,
        error: 'States.Timeout',
        cause: 'too slow',
        output: null,
      },
    });
  });
});
