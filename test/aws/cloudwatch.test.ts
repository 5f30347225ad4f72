import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { getAlarmStates, getRequestCounts } from '../../aws/cloudwatch';
import { awsError, LB, LB2, recordingSleep, tg } from './elbv2-fixtures';

const cloudwatch = () => {
  const client = new CloudWatchClient({ region: 'eu-west-1' });
  return { client, mock: mockClient(client) };
};

describe('getAlarmStates', () => {
  it('asks for metric and composite alarms in batches of 100 names and reads every page', async () => {
    // Prepare: 230 alarms; the fake answers 60 per page.
    const names = Array.from({ length: 230 }, (_, i) => `alarm-${i}`);
    const { client, mock } = cloudwatch();
    mock.on(DescribeAlarmsCommand).callsFake((input) => {
      const start = Number(input.NextToken ?? 0);
      const page = (input.AlarmNames as string[]).slice(start, start + 60);
      const next = start + 60 < input.AlarmNames.length ? String(start + 60) : undefined;
      return {
        MetricAlarms: page
          .filter((n) => !n.endsWith('7'))
          .map((AlarmName) => ({ AlarmName, StateValue: 'OK' })),
        CompositeAlarms: page
          .filter((n) => n.endsWith('7'))
          .map((AlarmName) => ({ AlarmName, StateValue: 'ALARM' })),
        NextToken: next,
      };
    });

    // Act
    const states = await getAlarmStates(names, client);

    // Assert
    expect(states.size).toBe(230);
    expect(states.get('alarm-17')).toBe('ALARM');
    expect(states.get('alarm-18')).toBe('OK');
    const inputs = mock.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input);
    expect(inputs.map((i) => i.AlarmNames?.length)).toEqual([100, 100, 100, 100, 30]);
    expect(inputs.every((i) => i.AlarmTypes?.join() === 'MetricAlarm,CompositeAlarm')).toBe(true);
  });

  it('raises AlarmNotFound naming every missing alarm', async () => {
    const { client, mock } = cloudwatch();
    mock
      .on(DescribeAlarmsCommand)
      .resolves({ MetricAlarms: [{ AlarmName: 'blue-5xx', StateValue: 'INSUFFICIENT_DATA' }] });

    const error = await getAlarmStates(['blue-5xx', 'blue-latency', 'green-5xx'], client).catch(
      (e: unknown) => e,
    );

    expect(error).toMatchObject({
      name: 'AlarmNotFound',
      message: 'alarms not found: blue-latency, green-5xx',
      details: { alarms: ['blue-latency', 'green-5xx'] },
    });
  });

  it('makes no call for no names', async () => {
    const { client, mock } = cloudwatch();

    const states = await getAlarmStates([], client);

    expect(states.size).toBe(0);
    expect(mock.calls()).toHaveLength(0);
  });

  it('retries throttling and translates other errors', async () => {
    const { client, mock } = cloudwatch();
    mock
      .on(DescribeAlarmsCommand)
      .rejectsOnce(awsError('Throttling', 'Rate exceeded'))
      .rejectsOnce(awsError('InvalidNextToken', 'bad token'));

    const error = await getAlarmStates(['a'], client, { retry: { sleep: recordingSleep().sleep } }).catch(
      (e: unknown) => e,
    );

    expect(error).toMatchObject({ name: 'AwsCallFailed', details: { awsError: 'InvalidNextToken' } });
    expect(mock.commandCalls(DescribeAlarmsCommand)).toHaveLength(2);
  });
});

describe('getRequestCounts', () => {
  const window = { start: new Date('2026-01-01T10:00:00Z'), end: new Date('2026-01-01T10:10:00Z') };
  const minute = (m: number) => new Date(Date.UTC(2026, 0, 1, 10, m));

  it('queries RequestCount per target group and load balancer by ARN suffix, Sum over 60 s', async () => {
    const { client, mock } = cloudwatch();
    mock.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'q0', Timestamps: [minute(2), minute(1)], Values: [5, 7] }],
    });
    const blue = tg('blue-api');

    const counts = await getRequestCounts([{ targetGroupArn: blue, loadBalancerArn: LB }], window, client);

    expect(counts.get(blue)).toEqual([
      { timestamp: minute(1), sum: 7 },
      { timestamp: minute(2), sum: 5 },
    ]);
    const input = mock.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    expect(input?.StartTime).toEqual(window.start);
    expect(input?.EndTime).toEqual(window.end);
    expect(input?.MetricDataQueries).toEqual([
      {
        Id: 'q0',
        ReturnData: true,
        MetricStat: {
          Metric: {
            Namespace: 'AWS/ApplicationELB',
            MetricName: 'RequestCount',
            Dimensions: [
              { Name: 'TargetGroup', Value: blue.slice(blue.indexOf('targetgroup/')) },
              { Name: 'LoadBalancer', Value: 'app/web/0123456789abcdef' },
            ],
          },
          Period: 60,
          Stat: 'Sum',
        },
      },
    ]);
  });

  it('sends at most 500 queries per call, follows NextToken, and lists idle target groups with no datapoints', async () => {
    // Prepare: 1,201 target groups; every query returns one datapoint, split over two pages per call.
    const targets = Array.from({ length: 1_201 }, (_, i) => ({
      targetGroupArn: tg(`t${i}`),
      loadBalancerArn: LB,
    }));
    const { client, mock } = cloudwatch();
    mock.on(GetMetricDataCommand).callsFake((input) => {
      const queries = input.MetricDataQueries as MetricDataQuery[];
      const half = Math.ceil(queries.length / 2);
      const part = input.NextToken === 'second' ? queries.slice(half) : queries.slice(0, half);
      return {
        // The last target group is idle: CloudWatch returns no datapoint for it.
        MetricDataResults: part.map((q) =>
          q.Id === 'q1200'
            ? { Id: q.Id, Timestamps: [], Values: [] }
            : { Id: q.Id, Timestamps: [minute(1)], Values: [1] },
        ),
        NextToken: input.NextToken === 'second' ? undefined : 'second',
      };
    });

    // Act
    const counts = await getRequestCounts(targets, window, client);

    // Assert
    const inputs = mock.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    expect(inputs.map((i) => [i.MetricDataQueries?.length, i.NextToken])).toEqual([
      [500, undefined],
      [500, 'second'],
      [500, undefined],
      [500, 'second'],
      [201, undefined],
      [201, 'second'],
    ]);
    const ids = inputs.flatMap((i) =>
      i.NextToken ? [] : (i.MetricDataQueries ?? []).map((q) => q.Id ?? ''),
    );
    expect(ids.every((id) => /^[a-z][a-zA-Z0-9_]*$/.test(id))).toBe(true);
    expect(counts.size).toBe(1_201);
    expect(counts.get(tg('t0'))).toEqual([{ timestamp: minute(1), sum: 1 }]);
    expect(counts.get(tg('t1200'))).toEqual([]);
  });

  it('sums a target group behind two load balancers per minute', async () => {
    const shared = tg('shared');
    const { client, mock } = cloudwatch();
    mock.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'q0', Timestamps: [minute(1)], Values: [3] },
        { Id: 'q1', Timestamps: [minute(1), minute(2)], Values: [4, 1] },
      ],
    });

    const counts = await getRequestCounts(
      [
        { targetGroupArn: shared, loadBalancerArn: LB },
        { targetGroupArn: shared, loadBalancerArn: LB2 },
      ],
      window,
      client,
    );

    expect(counts.get(shared)).toEqual([
      { timestamp: minute(1), sum: 7 },
      { timestamp: minute(2), sum: 1 },
    ]);
  });
});
