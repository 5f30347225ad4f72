import {
  type CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  PutCompositeAlarmCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  paginateDescribeAlarms,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import type { CloudWatchTwin } from '../../../local/cloudwatch';
import { type CloudWatchHttp, startCloudWatchHttp } from '../../support/cloudwatch-http';
import { arnOf, MINUTE, newTwin, sdkClient, T0, type WireProtocol } from './fixtures';

/**
 * The same cases through @aws-sdk/client-cloudwatch over each wire protocol the twin speaks: what
 * the SDK sends must decode, and what the twin answers must parse into the SDK's shapes and errors.
 */
const errorOf = async (promise: Promise<unknown>): Promise<Error & Record<string, unknown>> => {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
};

describe.each<WireProtocol>(['json', 'cbor', 'query'])(
  'CloudWatch twin through the SDK over %s',
  (protocol) => {
    let http: CloudWatchHttp;
    let twin: CloudWatchTwin;
    let client: CloudWatchClient;

    beforeEach(async () => {
      twin = newTwin().twin;
      http = await startCloudWatchHttp(twin);
      client = sdkClient(http.endpoint, protocol);
    });
    afterEach(async () => {
      client.destroy();
      await http.close();
    });

    it('creates a metric alarm and describes it with every field and timestamp', async () => {
      await client.send(
        new PutMetricAlarmCommand({
          AlarmName: 'blue-5xx',
          AlarmDescription: 'blue errors',
          Namespace: 'AWS/ApplicationELB',
          MetricName: 'HTTPCode_Target_5XX_Count',
          Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/blue/1' }],
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 3,
          DatapointsToAlarm: 2,
          Threshold: 10.5,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: ['arn:aws:sns:us-east-1:123456789012:ops'],
          ActionsEnabled: false,
        }),
      );

      const output = await client.send(new DescribeAlarmsCommand({ AlarmNames: ['blue-5xx'] }));

      expect(output.MetricAlarms).toEqual([
        {
          AlarmName: 'blue-5xx',
          AlarmArn: arnOf('blue-5xx'),
          AlarmDescription: 'blue errors',
          AlarmConfigurationUpdatedTimestamp: new Date(T0),
          ActionsEnabled: false,
          OKActions: [],
          AlarmActions: ['arn:aws:sns:us-east-1:123456789012:ops'],
          InsufficientDataActions: [],
          StateValue: 'INSUFFICIENT_DATA',
          StateReason: 'Unchecked: Initial alarm creation',
          StateUpdatedTimestamp: new Date(T0),
          StateTransitionedTimestamp: new Date(T0),
          MetricName: 'HTTPCode_Target_5XX_Count',
          Namespace: 'AWS/ApplicationELB',
          Statistic: 'Sum',
          Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/blue/1' }],
          Period: 60,
          EvaluationPeriods: 3,
          DatapointsToAlarm: 2,
          Threshold: 10.5,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
        },
      ]);
      expect(output.CompositeAlarms).toEqual([]);
    });

    it('sets and reads the state of metric and composite alarms', async () => {
      twin.ensureAlarm('blue-5xx');
      await client.send(
        new PutCompositeAlarmCommand({ AlarmName: 'blue-health', AlarmRule: 'ALARM("blue-5xx")' }),
      );

      await client.send(
        new SetAlarmStateCommand({
          AlarmName: 'blue-5xx',
          StateValue: 'ALARM',
          StateReason: 'drill',
          StateReasonData: '{}',
        }),
      );
      await client.send(
        new SetAlarmStateCommand({ AlarmName: 'blue-health', StateValue: 'OK', StateReason: 'fine' }),
      );
      const output = await client.send(
        new DescribeAlarmsCommand({ AlarmNamePrefix: 'blue', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
      );

      expect(
        output.MetricAlarms?.map((a) => [a.AlarmName, a.StateValue, a.StateReason, a.StateReasonData]),
      ).toEqual([['blue-5xx', 'ALARM', 'drill', '{}']]);
      expect(output.CompositeAlarms?.map((a) => [a.AlarmName, a.StateValue, a.AlarmRule])).toEqual([
        ['blue-health', 'OK', 'ALARM("blue-5xx")'],
      ]);
    });

    it('reads empty lists the way this protocol sends them (awsQuery: `Name=`)', async () => {
      twin.ensureAlarm('existing');

      await client.send(
        new PutMetricAlarmCommand({
          AlarmName: 'no-dimensions',
          Namespace: 'N',
          MetricName: 'M',
          Dimensions: [],
          AlarmActions: [],
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      );
      const output = await client.send(new DescribeAlarmsCommand({ AlarmNames: [] }));

      expect(output.MetricAlarms?.map((a) => [a.AlarmName, a.Dimensions])).toEqual([
        ['existing', []],
        ['no-dimensions', []],
      ]);
    });

    it('pages DescribeAlarms with the SDK paginator', async () => {
      for (let i = 0; i < 7; i++) twin.ensureAlarm(`alarm-${i}`);

      const pages: string[][] = [];
      for await (const page of paginateDescribeAlarms({ client, pageSize: 3 }, {}))
        pages.push((page.MetricAlarms ?? []).map((a) => a.AlarmName ?? ''));

      expect(pages).toEqual([
        ['alarm-0', 'alarm-1', 'alarm-2'],
        ['alarm-3', 'alarm-4', 'alarm-5'],
        ['alarm-6'],
      ]);
    });

    it('deletes alarms', async () => {
      twin.ensureAlarm('a');
      twin.ensureAlarm('b');

      await client.send(new DeleteAlarmsCommand({ AlarmNames: ['a'] }));

      expect(twin.alarms().map((a) => a.name)).toEqual(['b']);
    });

    it('stores metric data and answers GetMetricData with Dates, in the order asked', async () => {
      await client.send(
        new PutMetricDataCommand({
          Namespace: 'App',
          MetricData: [
            { MetricName: 'Latency', Value: 10, Timestamp: new Date(T0 + 1000), Unit: 'Milliseconds' },
            { MetricName: 'Latency', Values: [20, 40], Counts: [1, 3], Timestamp: new Date(T0 + MINUTE) },
            {
              MetricName: 'Latency',
              StatisticValues: { SampleCount: 2, Sum: 3, Minimum: 1, Maximum: 2 },
              Timestamp: new Date(T0 + 2 * MINUTE),
            },
          ],
        }),
      );

      const output = await client.send(
        new GetMetricDataCommand({
          StartTime: new Date(T0),
          EndTime: new Date(T0 + 5 * MINUTE),
          ScanBy: 'TimestampAscending',
          MetricDataQueries: [
            {
              Id: 'avg',
              MetricStat: {
                Metric: { Namespace: 'App', MetricName: 'Latency' },
                Period: 60,
                Stat: 'Average',
              },
            },
            { Id: 'double', Expression: 'avg * 2', Label: 'twice' },
          ],
        }),
      );

      expect(output.MetricDataResults).toEqual([
        {
          Id: 'avg',
          Label: 'Latency',
          Timestamps: [new Date(T0), new Date(T0 + MINUTE), new Date(T0 + 2 * MINUTE)],
          Values: [10, 35, 1.5],
          StatusCode: 'Complete',
          Messages: [],
        },
        {
          Id: 'double',
          Label: 'twice',
          Timestamps: [new Date(T0), new Date(T0 + MINUTE), new Date(T0 + 2 * MINUTE)],
          Values: [20, 70, 3],
          StatusCode: 'Complete',
          Messages: [],
        },
      ]);
    });

    it.each([
      [
        'an unknown alarm',
        () => new SetAlarmStateCommand({ AlarmName: 'ghost', StateValue: 'OK', StateReason: 'r' }),
        'ResourceNotFound',
        'ResourceNotFound',
        404,
      ],
      [
        'StateReasonData that is not JSON',
        () =>
          new SetAlarmStateCommand({
            AlarmName: 'known',
            StateValue: 'OK',
            StateReason: 'r',
            StateReasonData: '{',
          }),
        'InvalidFormatFault',
        'InvalidFormat',
        400,
      ],
      [
        'a period of 45 s',
        () =>
          new PutMetricAlarmCommand({
            AlarmName: 'x',
            Namespace: 'N',
            MetricName: 'M',
            Statistic: 'Sum',
            Period: 45,
            EvaluationPeriods: 1,
            Threshold: 1,
            ComparisonOperator: 'GreaterThanThreshold',
          }),
        'InvalidParameterValueException',
        'InvalidParameterValue',
        400,
      ],
      [
        'MaxRecords over 100',
        () => new DescribeAlarmsCommand({ MaxRecords: 101 }),
        'ValidationException',
        'ValidationError',
        400,
      ],
      [
        'a NextToken the twin did not issue',
        () => new DescribeAlarmsCommand({ NextToken: 'forged' }),
        'InvalidNextToken',
        'InvalidNextToken',
        400,
      ],
      [
        'metric data with both Value and Values',
        () =>
          new PutMetricDataCommand({
            Namespace: 'App',
            MetricData: [{ MetricName: 'X', Value: 1, Values: [1] }],
          }),
        'InvalidParameterCombinationException',
        'InvalidParameterCombination',
        400,
      ],
    ])('raises the SDK error for %s', async (_case, command, name, code, status) => {
      twin.ensureAlarm('known');

      const error = await errorOf(client.send(command() as never));

      expect(error.name).toBe(name);
      expect(error.Code).toBe(code);
      expect(error.$metadata).toMatchObject({ httpStatusCode: status });
      expect(error.message).not.toBe('UnknownError');
    });
  },
);
