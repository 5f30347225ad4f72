import { cbor, dateToTag, tag, tagSymbol } from '@smithy/core/cbor';
import { TwinError } from '../../../local/errors';
import { decodeCbor, encodeCbor, encodeCborError } from '../../../local/protocol/cbor';
import { type CloudWatchHttp, startCloudWatchHttp } from '../../support/cloudwatch-http';
import { metricAlarm, newTwin, T0, twinErrorOf } from './fixtures';

/** Smithy RPC v2 CBOR: the codec, then raw requests encoded with the SDK's CBOR codec. */
describe('decodeCbor', () => {
  it('decodes a map with timestamps (tag 1) as Dates, lists, numbers and byte strings', () => {
    const body = cbor.serialize({
      StartTime: dateToTag(new Date(T0 + 500)),
      Names: ['a', 'b'],
      Count: 3,
      Ratio: 0.25,
      Blob: new Uint8Array([1, 2]),
      Nothing: null,
    });

    expect(decodeCbor(body)).toEqual({
      StartTime: new Date(T0 + 500),
      Names: ['a', 'b'],
      Count: 3,
      Ratio: 0.25,
      Blob: new Uint8Array([1, 2]),
      Nothing: null,
    });
  });

  it('decodes big integers (tag 2) and decimal fractions (tag 4) as numbers', () => {
    const body = cbor.serialize({
      big: tag({ tag: 2, value: new Uint8Array([1, 0]) }),
      decimal: tag({ tag: 4, value: [-1, 25] }),
    });

    expect(decodeCbor(body)).toEqual({ big: 256, decimal: 2.5 });
  });

  it('decodes an empty body as an empty input', () => {
    expect(decodeCbor(new Uint8Array())).toEqual({});
  });

  it.each([
    ['truncated data', new Uint8Array([0xa1, 0x61])],
    ['a reserved byte', new Uint8Array([0x1c])],
    ['a top-level list', cbor.serialize(['a'])],
    ['a top-level string', cbor.serialize('a')],
    ['a tag other than a timestamp or number', cbor.serialize({ x: tag({ tag: 32, value: 'http://x' }) })],
    ['a timestamp that is not a number', cbor.serialize({ x: tag({ tag: 1, value: 'soon' }) })],
    ['a constructor map key', cbor.serialize({ a: { constructor: 1 } })],
  ])('refuses %s with a SerializationException', (_case, body) => {
    const error = twinErrorOf(() => decodeCbor(body));

    expect(error).toMatchObject({ code: 'SerializationException', status: 400 });
    expect(error.message).toMatch(/^request body is not valid CBOR: /);
  });
});

describe('encodeCbor', () => {
  it('writes Dates as tag-1 epoch seconds and leaves undefined members out', () => {
    const decoded = cbor.deserialize(encodeCbor({ At: new Date(T0 + 250), Skip: undefined, List: [1, 'x'] }));

    expect(decoded.At).toEqual({ tag: 1, value: (T0 + 250) / 1000, [tagSymbol]: true });
    expect(Object.keys(decoded)).toEqual(['At', 'List']);
    expect(decoded.List).toEqual([1, 'x']);
  });

  it('writes an error as __type and message', () => {
    const body = encodeCborError(
      new TwinError('ResourceNotFound', 'Alarm x not found', 404),
      'ns#ResourceNotFound',
    );

    expect(cbor.deserialize(body)).toEqual({ __type: 'ns#ResourceNotFound', message: 'Alarm x not found' });
  });
});

describe('CloudWatch RPC v2 CBOR on the wire', () => {
  let http: CloudWatchHttp;
  const post = async (operation: string, input: unknown) => {
    const response = await fetch(
      `${http.endpoint}/service/GraniteServiceVersion20100801/operation/${operation}`,
      {
        method: 'POST',
        headers: {
          'smithy-protocol': 'rpc-v2-cbor',
          'content-type': 'application/cbor',
          accept: 'application/cbor',
          'x-amzn-query-mode': 'true',
        },
        body: cbor.serialize(input),
      },
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { response, body: bytes.length === 0 ? undefined : cbor.deserialize(bytes) };
  };

  beforeEach(async () => {
    http = await startCloudWatchHttp(newTwin().twin);
  });
  afterEach(() => http.close());

  it('creates and describes an alarm, with the protocol headers and tag-1 timestamps', async () => {
    await post('PutMetricAlarm', metricAlarm('blue-5xx'));

    const { response, body } = await post('DescribeAlarms', { AlarmNames: ['blue-5xx'], MaxRecords: 10 });

    expect(response.status).toBe(200);
    expect(response.headers.get('smithy-protocol')).toBe('rpc-v2-cbor');
    expect(response.headers.get('content-type')).toBe('application/cbor');
    expect(body.MetricAlarms[0]).toMatchObject({
      AlarmName: 'blue-5xx',
      StateValue: 'INSUFFICIENT_DATA',
      Period: 60,
      StateUpdatedTimestamp: { tag: 1, value: T0 / 1000 },
    });
  });

  it('takes tag-1 timestamps in for metric data and queries', async () => {
    await post('PutMetricData', {
      Namespace: 'App',
      MetricData: [{ MetricName: 'Hits', Value: 5, Timestamp: dateToTag(new Date(T0 + 1000)) }],
    });

    const { body } = await post('GetMetricData', {
      StartTime: dateToTag(new Date(T0)),
      EndTime: dateToTag(new Date(T0 + 60_000)),
      MetricDataQueries: [
        {
          Id: 'q',
          MetricStat: { Metric: { Namespace: 'App', MetricName: 'Hits' }, Period: 60, Stat: 'Sum' },
        },
      ],
    });

    expect(body.MetricDataResults[0].Values).toEqual([5]);
    expect(body.MetricDataResults[0].Timestamps).toEqual([{ tag: 1, value: T0 / 1000, [tagSymbol]: true }]);
  });

  it('answers an error with its status, __type, message and the query-compatible header', async () => {
    const { response, body } = await post('SetAlarmState', {
      AlarmName: 'ghost',
      StateValue: 'OK',
      StateReason: 'r',
    });

    expect(response.status).toBe(404);
    expect(response.headers.get('smithy-protocol')).toBe('rpc-v2-cbor');
    expect(response.headers.get('x-amzn-query-error')).toBe('ResourceNotFound;Sender');
    expect(body).toEqual({
      __type: 'com.amazonaws.cloudwatch#ResourceNotFound',
      message: 'Alarm ghost not found',
    });
  });

  it('answers a body that is not CBOR with a 400 SerializationException', async () => {
    const response = await fetch(
      `${http.endpoint}/service/GraniteServiceVersion20100801/operation/DescribeAlarms`,
      {
        method: 'POST',
        headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor' },
        body: new Uint8Array([0xff, 0x00]),
      },
    );

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-query-error')).toBe('SerializationException;Sender');
    expect(cbor.deserialize(new Uint8Array(await response.arrayBuffer()))).toMatchObject({
      __type: 'SerializationException',
    });
  });

  it('answers an unknown operation with UnknownOperationException', async () => {
    const { response, body } = await post('DescribeAlarmHistory', {});

    expect(response.status).toBe(400);
    expect(body.__type).toBe('UnknownOperationException');
  });
});
