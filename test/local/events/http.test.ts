import type { Twin } from '../../../local/server';
import { raw, startSeededTwin } from '../server-fixtures';

const EVENTS_JSON = { 'content-type': 'application/x-amz-json-1.1' };
const target = (operation: string) => ({ ...EVENTS_JSON, 'x-amz-target': `AWSEvents.${operation}` });

describe('EventBridge over HTTP (awsJson 1.1)', () => {
  let twin: Twin & { restoreEnv(): void };

  beforeAll(async () => {
    twin = await startSeededTwin();
  });

  afterAll(async () => {
    await twin.close();
    twin.restoreEnv();
  });

  it('answers PutEvents with event ids, and lists the event at GET /_twin/events with the rule it matched', async () => {
    const rule = await raw(twin.endpoint, {
      headers: target('PutRule'),
      body: JSON.stringify({ Name: 'orders', EventPattern: '{"source":["shop.orders"]}' }),
    });
    const put = await raw(twin.endpoint, {
      headers: target('PutEvents'),
      body: JSON.stringify({
        Entries: [{ Source: 'shop.orders', DetailType: 'Order Placed', Detail: '{"id":5}' }],
      }),
    });
    const activity = await raw(twin.endpoint, { method: 'GET', path: '/_twin/events' });

    expect(rule.status).toBe(200);
    expect(put.status).toBe(200);
    expect(put.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    const answer = JSON.parse(put.text);
    expect(answer.FailedEntryCount).toBe(0);
    const events = JSON.parse(activity.text).events as { id: string; matchedRules: string[] }[];
    expect(events.find((event) => event.id === answer.Entries[0].EventId)?.matchedRules).toEqual(['orders']);
  });

  it('answers an invalid pattern with a 400 InvalidEventPatternException', async () => {
    const answer = await raw(twin.endpoint, {
      headers: target('PutRule'),
      body: JSON.stringify({ Name: 'bad', EventPattern: '{"detail":{"x":[{"prefix":1}]}}' }),
    });

    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).__type).toBe('InvalidEventPatternException');
  });

  it('answers an unknown operation with UnknownOperationException', async () => {
    const answer = await raw(twin.endpoint, { headers: target('PutPartnerEvents'), body: '{}' });

    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).__type).toBe('UnknownOperationException');
  });

  it("puts an alarm's state change on the bus as a CloudWatch Alarm State Change event", async () => {
    twin.cloudwatch.ensureAlarm('blue-5xx');

    await raw(twin.endpoint, {
      method: 'POST',
      path: '/_twin/alarms/blue-5xx',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'ALARM', reason: 'drill' }),
    });
    const activity = JSON.parse((await raw(twin.endpoint, { method: 'GET', path: '/_twin/events' })).text);

    const alarmEvents = (
      activity.events as { source: string; detailType: string; resources: string[] }[]
    ).filter((event) => event.source === 'aws.cloudwatch');
    expect(alarmEvents.at(-1)).toMatchObject({
      detailType: 'CloudWatch Alarm State Change',
      resources: ['arn:aws:cloudwatch:us-east-1:000000000000:alarm:blue-5xx'],
    });
  });
});
