import { type CloudWatchHttp, startCloudWatchHttp } from '../../support/cloudwatch-http';
import { MINUTE, newTwin, T0 } from './fixtures';

/** awsQuery (older SDKs, AWS CLI v2): form-encoded POSTs, XML answers, read here by hand. */
const NAMESPACE = 'http://monitoring.amazonaws.com/doc/2010-08-01/';

/** Inner text of every `<name>…</name>` (non-nested use only). */
const all = (xml: string, name: string): string[] =>
  [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((match) => match[1] ?? '');
const first = (xml: string, name: string): string | undefined => all(xml, name)[0];

describe('CloudWatch awsQuery on the wire', () => {
  let http: CloudWatchHttp;
  const post = async (params: Record<string, string>) => {
    const response = await fetch(`${http.endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams({ Version: '2010-08-01', ...params }).toString(),
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      xml: await response.text(),
    };
  };

  beforeEach(async () => {
    http = await startCloudWatchHttp(newTwin().twin);
  });
  afterEach(() => http.close());

  it('creates an alarm from form parameters and describes it in XML', async () => {
    const put = await post({
      Action: 'PutMetricAlarm',
      AlarmName: 'blue-5xx',
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'HTTPCode_Target_5XX_Count',
      'Dimensions.member.1.Name': 'TargetGroup',
      'Dimensions.member.1.Value': 'targetgroup/blue/1',
      Statistic: 'Sum',
      Period: '60',
      EvaluationPeriods: '2',
      Threshold: '5',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      'AlarmActions.member.1': 'arn:aws:sns:us-east-1:123456789012:ops',
    });

    const described = await post({ Action: 'DescribeAlarms', 'AlarmNames.member.1': 'blue-5xx' });

    expect(put.status).toBe(200);
    expect(put.xml).toContain(`<PutMetricAlarmResponse xmlns="${NAMESPACE}">`);
    expect(described.status).toBe(200);
    expect(described.type).toBe('text/xml');
    expect(described.xml).toMatch(
      new RegExp(`^<DescribeAlarmsResponse xmlns="${NAMESPACE}"><DescribeAlarmsResult>`),
    );
    expect(first(described.xml, 'RequestId')).toMatch(/^[0-9a-f-]{36}$/);
    const alarm = first(described.xml, 'MetricAlarms') ?? '';
    expect(first(alarm, 'AlarmName')).toBe('blue-5xx');
    expect(first(alarm, 'AlarmArn')).toBe('arn:aws:cloudwatch:us-east-1:123456789012:alarm:blue-5xx');
    expect(first(alarm, 'StateValue')).toBe('INSUFFICIENT_DATA');
    expect(first(alarm, 'StateUpdatedTimestamp')).toBe(new Date(T0).toISOString());
    expect(first(alarm, 'Dimensions')).toBe(
      '<member><Name>TargetGroup</Name><Value>targetgroup/blue/1</Value></member>',
    );
    expect(first(alarm, 'AlarmActions')).toBe('<member>arn:aws:sns:us-east-1:123456789012:ops</member>');
    expect(first(alarm, 'EvaluationPeriods')).toBe('2');
    expect(first(described.xml, 'CompositeAlarms')).toBe('');
  });

  it('stores PutMetricData and answers GetMetricData with ISO timestamps', async () => {
    await post({
      Action: 'PutMetricData',
      Namespace: 'App',
      'MetricData.member.1.MetricName': 'Hits',
      'MetricData.member.1.Value': '3',
      'MetricData.member.1.Timestamp': new Date(T0).toISOString(),
      'MetricData.member.1.Dimensions.member.1.Name': 'Service',
      'MetricData.member.1.Dimensions.member.1.Value': 'svc1',
      'MetricData.member.2.MetricName': 'Hits',
      'MetricData.member.2.Value': '4',
      'MetricData.member.2.Timestamp': new Date(T0 + MINUTE).toISOString(),
      'MetricData.member.2.Dimensions.member.1.Name': 'Service',
      'MetricData.member.2.Dimensions.member.1.Value': 'svc1',
    });

    const { status, xml } = await post({
      Action: 'GetMetricData',
      StartTime: new Date(T0).toISOString(),
      EndTime: new Date(T0 + 5 * MINUTE).toISOString(),
      'MetricDataQueries.member.1.Id': 'q',
      'MetricDataQueries.member.1.MetricStat.Metric.Namespace': 'App',
      'MetricDataQueries.member.1.MetricStat.Metric.MetricName': 'Hits',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name': 'Service',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value': 'svc1',
      'MetricDataQueries.member.1.MetricStat.Period': '60',
      'MetricDataQueries.member.1.MetricStat.Stat': 'Sum',
      'MetricDataQueries.member.1.ReturnData': 'true',
    });

    expect(status).toBe(200);
    expect(first(xml, 'Id')).toBe('q');
    expect(first(xml, 'Timestamps')).toBe(
      `<member>${new Date(T0 + MINUTE).toISOString()}</member><member>${new Date(T0).toISOString()}</member>`,
    );
    expect(first(xml, 'Values')).toBe('<member>4</member><member>3</member>');
    expect(first(xml, 'StatusCode')).toBe('Complete');
  });

  it('answers an error as an ErrorResponse with type, code, message and the status', async () => {
    const { status, xml } = await post({
      Action: 'SetAlarmState',
      AlarmName: 'ghost',
      StateValue: 'OK',
      StateReason: 'r',
    });

    expect(status).toBe(404);
    expect(xml).toContain(`<ErrorResponse xmlns="${NAMESPACE}">`);
    expect(first(xml, 'Type')).toBe('Sender');
    expect(first(xml, 'Code')).toBe('ResourceNotFound');
    expect(first(xml, 'Message')).toBe('Alarm ghost not found');
  });

  it.each([
    ['an unknown action', { Action: 'DescribeAlarmHistory' }, 'InvalidAction'],
    ['another API version', { Action: 'DescribeAlarms', Version: '2009-01-01' }, 'InvalidAction'],
    ['no action', {}, 'MissingAction'],
    [
      'a malformed list index',
      { Action: 'DescribeAlarms', 'AlarmNames.member.x': 'a' },
      'MalformedQueryString',
    ],
    ['a string where a number belongs', { Action: 'DescribeAlarms', MaxRecords: 'ten' }, 'ValidationError'],
  ])('answers %s with a 400 naming the problem', async (_case, params, code) => {
    const { status, xml } = await post(params as Record<string, string>);

    expect(status).toBe(400);
    expect(first(xml, 'Code')).toBe(code);
    expect(first(xml, 'Message')).toEqual(expect.any(String));
  });
});
