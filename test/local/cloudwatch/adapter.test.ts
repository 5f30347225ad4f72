import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { getAlarmStates, getRequestCounts } from '../../../aws/cloudwatch';
import type { CloudWatchTwin } from '../../../local/cloudwatch';
import type { Datapoint, MetricQuery } from '../../../local/cloudwatch/metric-source';
import { type CloudWatchHttp, startCloudWatchHttp } from '../../support/cloudwatch-http';
import { MINUTE, newTwin, sdkClient, T0 } from './fixtures';

/** The project's own CloudWatch adapter (aws/cloudwatch.ts), unchanged, against the twin over HTTP. */
const PREFIX = 'arn:aws:elasticloadbalancing:us-east-1:123456789012';
const lbArn = (name: string) => `${PREFIX}:loadbalancer/app/${name}/50dc6c495c0c9188`;
const tgArn = (name: string) => `${PREFIX}:targetgroup/${name}/73e2d6bc24d8a067`;

describe('aws/cloudwatch.ts against the twin', () => {
  let http: CloudWatchHttp | undefined;
  let client: CloudWatchClient | undefined;

  const start = async (twin: CloudWatchTwin): Promise<CloudWatchClient> => {
    http = await startCloudWatchHttp(twin);
    client = sdkClient(http.endpoint);
    return client;
  };
  afterEach(async () => {
    client?.destroy();
    await http?.close();
  });

  it('getAlarmStates reads metric and composite alarm states in batches of 100 names', async () => {
    const { twin, call } = newTwin();
    const names = Array.from({ length: 130 }, (_, i) => `alarm-${String(i).padStart(3, '0')}`);
    for (const [i, name] of names.entries()) twin.ensureAlarm(name, i % 3 === 0 ? 'ALARM' : 'OK');
    call('PutCompositeAlarm', { AlarmName: 'fleet', AlarmRule: 'ALARM("alarm-000")' });
    twin.setAlarmState('fleet', 'ALARM', 'drill');
    const cw = await start(twin);

    const states = await getAlarmStates([...names, 'fleet'], cw);

    expect(states.size).toBe(131);
    expect(states.get('alarm-000')).toBe('ALARM');
    expect(states.get('alarm-001')).toBe('OK');
    expect(states.get('alarm-129')).toBe('ALARM');
    expect(states.get('fleet')).toBe('ALARM');
  });

  it('getAlarmStates raises AlarmNotFound naming every alarm the twin does not have', async () => {
    const { twin } = newTwin();
    twin.ensureAlarm('blue-5xx', 'OK');
    const cw = await start(twin);

    const error = await getAlarmStates(['blue-5xx', 'blue-latency', 'green-5xx'], cw).catch(
      (e: unknown) => e,
    );

    expect(error).toMatchObject({
      name: 'AlarmNotFound',
      message: 'alarms not found: blue-latency, green-5xx',
      details: { alarms: ['blue-latency', 'green-5xx'] },
    });
  });

  it('getRequestCounts sends one RequestCount query per target group and load balancer, and sums per minute', async () => {
    const asked: MetricQuery[] = [];
    // Blue serves 100/min behind lb-a and 10/min behind lb-b; green is idle (no datapoints).
    const source = (query: MetricQuery): Datapoint[] | undefined => {
      asked.push(query);
      const perMinute =
        query.dimensions.TargetGroup === 'targetgroup/blue/73e2d6bc24d8a067'
          ? query.dimensions.LoadBalancer === 'app/lb-a/50dc6c495c0c9188'
            ? 100
            : 10
          : 0;
      if (perMinute === 0) return [];
      return [0, 1, 2].map((m) => ({ timestamp: new Date(T0 + m * MINUTE), value: perMinute }));
    };
    const { twin } = newTwin({ metricSource: source });
    const cw = await start(twin);

    const counts = await getRequestCounts(
      [
        { targetGroupArn: tgArn('blue'), loadBalancerArn: lbArn('lb-a') },
        { targetGroupArn: tgArn('blue'), loadBalancerArn: lbArn('lb-b') },
        { targetGroupArn: tgArn('green'), loadBalancerArn: lbArn('lb-a') },
      ],
      { start: new Date(T0), end: new Date(T0 + 3 * MINUTE) },
      cw,
    );

    expect(asked).toEqual([
      {
        namespace: 'AWS/ApplicationELB',
        metricName: 'RequestCount',
        dimensions: {
          TargetGroup: 'targetgroup/blue/73e2d6bc24d8a067',
          LoadBalancer: 'app/lb-a/50dc6c495c0c9188',
        },
        start: new Date(T0),
        end: new Date(T0 + 3 * MINUTE),
        period: 60,
        stat: 'Sum',
      },
      expect.objectContaining({
        dimensions: expect.objectContaining({ LoadBalancer: 'app/lb-b/50dc6c495c0c9188' }),
      }),
      expect.objectContaining({
        dimensions: expect.objectContaining({ TargetGroup: 'targetgroup/green/73e2d6bc24d8a067' }),
      }),
    ]);
    expect(counts.get(tgArn('blue'))).toEqual(
      [0, 1, 2].map((m) => ({ timestamp: new Date(T0 + m * MINUTE), sum: 110 })),
    );
    expect(counts.get(tgArn('green'))).toEqual([]);
  });
});
