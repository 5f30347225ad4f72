import { toJsonOutput } from '../../../local/cloudwatch/json';
import { handleCloudWatchJson } from '../../../local/cloudwatch/wire';
import type { TwinService } from '../../../local/service';
import { type CloudWatchHttp, startCloudWatchHttp } from '../../support/cloudwatch-http';
import { metricAlarm, newTwin, T0 } from './fixtures';

/** awsJson1_0 with query compatibility, byte by byte, as the current JS SDK sends and reads it. */
describe('CloudWatch awsJson1_0 on the wire', () => {
  let http: CloudWatchHttp;
  const post = (operation: string, body: string) =>
    fetch(`${http.endpoint}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `GraniteServiceVersion20100801.${operation}`,
        'x-amzn-query-mode': 'true',
      },
      body,
    });

  beforeEach(async () => {
    const { twin } = newTwin();
    twin.ensureAlarm('blue-5xx', 'ALARM');
    http = await startCloudWatchHttp(twin);
  });
  afterEach(() => http.close());

  it('answers with the JSON content type, a request id, and timestamps in epoch seconds', async () => {
    const response = await post('DescribeAlarms', JSON.stringify({ AlarmNames: ['blue-5xx'] }));
    const body = (await response.json()) as { MetricAlarms: Array<Record<string, unknown>> };

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.MetricAlarms[0]).toMatchObject({
      AlarmName: 'blue-5xx',
      StateValue: 'ALARM',
      StateUpdatedTimestamp: T0 / 1000,
      AlarmConfigurationUpdatedTimestamp: T0 / 1000,
    });
  });

  it('takes epoch-second timestamps in', async () => {
    await post(
      'PutMetricData',
      JSON.stringify({
        Namespace: 'App',
        MetricData: [{ MetricName: 'Hits', Value: 2, Timestamp: T0 / 1000 + 1.5 }],
      }),
    );

    const response = await post(
      'GetMetricData',
      JSON.stringify({
        StartTime: T0 / 1000,
        EndTime: T0 / 1000 + 60,
        MetricDataQueries: [
          {
            Id: 'q',
            MetricStat: { Metric: { Namespace: 'App', MetricName: 'Hits' }, Period: 60, Stat: 'Sum' },
          },
        ],
      }),
    );

    expect(await response.json()).toEqual({
      MetricDataResults: [
        {
          Id: 'q',
          Label: 'Hits',
          Timestamps: [T0 / 1000],
          Values: [2],
          StatusCode: 'Complete',
          Messages: [],
        },
      ],
      Messages: [],
    });
  });

  it('treats an empty body as an empty input', async () => {
    const response = await post('DescribeAlarms', '');

    expect(response.status).toBe(200);
  });

  it('answers an error with __type, message and the query-compatible error header', async () => {
    const response = await post(
      'SetAlarmState',
      JSON.stringify({ AlarmName: 'ghost', StateValue: 'OK', StateReason: 'r' }),
    );

    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-query-error')).toBe('ResourceNotFound;Sender');
    expect(await response.json()).toEqual({
      __type: 'com.amazonaws.cloudwatch#ResourceNotFound',
      message: 'Alarm ghost not found',
    });
  });

  it('names the model shape of a validation error in __type and the query code in the header', async () => {
    const response = await post(
      'PutMetricAlarm',
      JSON.stringify(metricAlarm('x', { ComparisonOperator: 'Huge' })),
    );

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-query-error')).toBe('ValidationError;Sender');
    expect(await response.json()).toMatchObject({ __type: 'com.amazonaws.cloudwatch#ValidationException' });
  });

  it.each([
    ['an unknown operation', 'DescribeAlarmHistory', '{}', 'UnknownOperationException'],
    ['a body that is not JSON', 'DescribeAlarms', '{"AlarmNames": [', 'SerializationException'],
    ['a body that is a JSON array', 'DescribeAlarms', '[]', 'SerializationException'],
  ])('answers %s with a 400 naming the problem', async (_case, operation, body, code) => {
    const response = await post(operation, body);

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-query-error')).toBe(`${code};Sender`);
    expect(await response.json()).toMatchObject({ __type: code, message: expect.any(String) });
  });
});

describe('handleCloudWatchJson', () => {
  it('answers a failure that is not a TwinError as a 500 InternalServiceError without a stack', async () => {
    const broken: TwinService = {
      operations: {
        DescribeAlarms: () => {
          throw new TypeError('boom');
        },
      },
    };

    const response = await handleCloudWatchJson(broken, 'DescribeAlarms', '{}');

    expect(response.status).toBe(500);
    expect(response.headers['x-amzn-query-error']).toBe('InternalServiceError;Receiver');
    expect(JSON.parse(String(response.body))).toEqual({
      __type: 'com.amazonaws.cloudwatch#InternalServiceFault',
      message: 'the local twin failed: boom',
    });
  });

  it('does not treat inherited object properties as operations', async () => {
    const { twin } = newTwin();

    const response = await handleCloudWatchJson(twin, 'toString', '{}');

    expect(response.status).toBe(400);
    expect(response.headers['x-amzn-query-error']).toBe('UnknownOperationException;Sender');
  });
});

describe('toJsonOutput', () => {
  it('turns Dates into epoch seconds, non-finite numbers into Smithy strings, and drops undefined', () => {
    const output = toJsonOutput({
      at: new Date(1500),
      list: [new Date(0), Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, undefined],
      nested: { keep: 'x', drop: undefined, n: 2 },
    });

    expect(output).toEqual({
      at: 1.5,
      list: [0, 'NaN', 'Infinity', '-Infinity', null],
      nested: { keep: 'x', n: 2 },
    });
  });
});
