import fc from 'fast-check';
import {
  InvalidInputTransformerError,
  inputPathValue,
  transformInput,
  validateInputTransformer,
} from '../../../local/events/input-transformer';
import { alarmStateChange } from './alarm-event-sample';

const context = {
  ruleArn: 'arn:aws:events:us-east-2:123456789012:rule/example',
  ruleName: 'example',
  ingestionTime: new Date('2015-11-11T21:29:55Z'),
};

/** AWS's documented EC2 example event and input paths. */
const ec2Event = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-0123456789', state: 'RUNNING' },
};
const InputPathsMap = {
  timestamp: '$.time',
  instance: '$.detail.instance-id',
  state: '$.detail.state',
  resource: '$.resources[0]',
};
const ec2 = (InputTemplate: string) => transformInput({ InputPathsMap, InputTemplate }, ec2Event, context);

describe('transformInput on AWS’s documented examples', () => {
  it('fills a simple string template with bare values', () => {
    expect(ec2('"instance <instance> is in <state>"')).toBe('"instance i-0123456789 is in RUNNING"');
  });

  it('keeps escaped quotes around a value inside a string', () => {
    expect(ec2('"instance \\"<instance>\\" is in <state>"')).toBe(
      '"instance \\"i-0123456789\\" is in RUNNING"',
    );
  });

  it('quotes string values placed outside quotes in JSON', () => {
    expect(JSON.parse(ec2('{"instance" : <instance>, "state": <state>}'))).toEqual({
      instance: 'i-0123456789',
      state: 'RUNNING',
    });
  });

  it('mixes variables, quoted variables and static values', () => {
    const output = ec2(
      '{"instance": <instance>, "state": [9, <state>, true], "status": "<instance> is <state>"}',
    );

    expect(JSON.parse(output)).toEqual({
      instance: 'i-0123456789',
      state: [9, 'RUNNING', true],
      status: 'i-0123456789 is RUNNING',
    });
  });

  it('reads array indices', () => {
    expect(JSON.parse(ec2('{"r": <resource>}'))).toEqual({ r: ec2Event.resources[0] });
  });

  it('fills the reserved rule variables', () => {
    const output = ec2('{"ruleArn": <aws.events.rule-arn>, "ruleName": <aws.events.rule-name>}');

    expect(JSON.parse(output)).toEqual({ ruleArn: context.ruleArn, ruleName: 'example' });
  });

  it('fills a reserved variable inside a string', () => {
    expect(ec2('"<aws.events.rule-name> triggered"')).toBe('"example triggered"');
  });

  it('gives the ingestion time as an ISO 8601 timestamp', () => {
    expect(JSON.parse(ec2('{"at": <aws.events.event.ingestion-time>}'))).toEqual({
      at: '2015-11-11T21:29:55.000Z',
    });
  });

  it('inserts the event without its detail as aws.events.event and whole as aws.events.event.json', () => {
    const output = JSON.parse(ec2('{"event": <aws.events.event>, "json": <aws.events.event.json>}'));

    expect(output.event).toEqual({ ...ec2Event, detail: undefined });
    expect(output.event).not.toHaveProperty('detail');
    expect(output.json).toEqual(ec2Event);
  });
});

describe('transformInput edge cases', () => {
  it('inserts numbers, booleans and objects as JSON outside quotes', () => {
    const output = transformInput(
      { InputPathsMap: { n: '$.n', b: '$.b', o: '$.o' }, InputTemplate: '{"n": <n>, "b": <b>, "o": <o>}' },
      { n: 1.5, b: false, o: { a: [1, 'x'] } },
      context,
    );

    expect(JSON.parse(output)).toEqual({ n: 1.5, b: false, o: { a: [1, 'x'] } });
  });

  it('strips the quotes of an object referenced inside a string', () => {
    const output = transformInput(
      { InputPathsMap: { o: '$.o' }, InputTemplate: '{"s": "is <o>"}' },
      { o: { a: 'b' } },
      context,
    );

    expect(JSON.parse(output)).toEqual({ s: 'is {a:b}' });
  });

  it('gives null outside quotes and nothing inside quotes for a path absent from the event', () => {
    const output = transformInput(
      { InputPathsMap: { m: '$.detail.missing' }, InputTemplate: '{"a": <m>, "b": "x<m>y"}' },
      ec2Event,
      context,
    );

    expect(JSON.parse(output)).toEqual({ a: null, b: 'xy' });
  });

  it('escapes a value outside quotes but, as AWS documents, not inside them', () => {
    const event = { reason: 'say "hi"' };
    const transformer = {
      InputPathsMap: { r: '$.reason' },
      InputTemplate: '{"outside": <r>, "inside": "<r>"}',
    };

    const output = transformInput(transformer, event, context);

    expect(output).toBe('{"outside": "say \\"hi\\"", "inside": "say "hi""}');
  });

  it('inserts bare values in a plain text template', () => {
    expect(ec2('<instance> is in state <state>')).toBe('i-0123456789 is in state RUNNING');
  });

  it('leaves placeholders that name no variable as written', () => {
    expect(ec2('{"html": "<b>bold</b> <state>"}')).toBe('{"html": "<b>bold</b> RUNNING"}');
  });

  it('collects values under a wildcard', () => {
    expect(inputPathValue('$.detail.*', ec2Event)).toEqual(['i-0123456789', 'RUNNING']);
    expect(inputPathValue('$.items[*].id', { items: [{ id: 1 }, { id: 2 }, {}] })).toEqual([1, 2]);
  });

  it('selects the whole event, a field, or nothing for an InputPath', () => {
    expect(inputPathValue('$', ec2Event)).toBe(ec2Event);
    expect(inputPathValue('$.detail', ec2Event)).toBe(ec2Event.detail);
    expect(inputPathValue('$.detail.nope.deeper', ec2Event)).toBeUndefined();
    expect(inputPathValue('$.resources[3]', ec2Event)).toBeUndefined();
  });
});

describe('the failover transformer on a CloudWatch alarm event', () => {
  const transformer = {
    InputPathsMap: {
      alarm: '$.detail.alarmName',
      arn: '$.resources[0]',
      reason: '$.detail.state.reason',
      time: '$.time',
    },
    InputTemplate:
      '{"action":"failover","cluster":"blue","reason":"<alarm> is ALARM: <reason>","requestedBy":"alarm:<alarm>",' +
      '"trigger":{"alarmName":<alarm>,"alarmArn":<arn>,"stateReason":<reason>,"time":<time>}}',
  };

  it('produces the failover execution input', () => {
    const reason =
      'Threshold Crossed: 1 out of the last 1 datapoints [5.0 (02/10/19 17:03:00)] was greater than the threshold (1.0).';

    const output = transformInput(transformer, alarmStateChange('blue-5xx', 'ALARM', reason), context);

    expect(JSON.parse(output)).toEqual({
      action: 'failover',
      cluster: 'blue',
      reason: `blue-5xx is ALARM: ${reason}`,
      requestedBy: 'alarm:blue-5xx',
      trigger: {
        alarmName: 'blue-5xx',
        alarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:blue-5xx',
        stateReason: reason,
        time: '2019-10-02T17:04:40Z',
      },
    });
  });

  it('keeps values placed outside quotes valid JSON whatever the alarm reason holds', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (reason, name) => {
        const output = transformInput(
          { InputPathsMap: transformer.InputPathsMap, InputTemplate: '{"n":<alarm>,"r":<reason>}' },
          alarmStateChange(name, 'ALARM', reason),
          context,
        );
        const parsed = JSON.parse(output);
        return parsed.n === name && parsed.r === reason;
      }),
    );
  });
});

describe('validateInputTransformer rejects what PutTargets rejects', () => {
  const paths = (count: number) =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, '$.a']));
  const invalid: Array<[string, object, string]> = [
    ['a missing template', { InputPathsMap: {} }, 'InputTemplate is required'],
    ['an empty template', { InputTemplate: '' }, 'InputTemplate is required'],
    ['a template over 8192 characters', { InputTemplate: `"${'x'.repeat(8192)}"` }, 'longer than 8192'],
    [
      'more than 100 paths',
      { InputPathsMap: paths(101), InputTemplate: '"x"' },
      'has 101 entries; at most 100',
    ],
    [
      'a key with a dot',
      { InputPathsMap: { 'a.b': '$.a' }, InputTemplate: '"x"' },
      'key "a.b" must be letters',
    ],
    [
      'a key starting with AWS',
      { InputPathsMap: { awsThing: '$.a' }, InputTemplate: '"x"' },
      'cannot start with "AWS"',
    ],
    [
      'a path without $',
      { InputPathsMap: { a: 'detail.a' }, InputTemplate: '"x"' },
      'must be a JSON path starting with "$"',
    ],
    [
      'bracket notation',
      { InputPathsMap: { a: "$['detail']" }, InputTemplate: '"x"' },
      'is not a dot-notation JSON path',
    ],
    [
      'a non-string path',
      { InputPathsMap: { a: 5 }, InputTemplate: '"x"' },
      'InputPathsMap.a must be a string',
    ],
    [
      'a placeholder as an object key',
      { InputPathsMap: { a: '$.a' }, InputTemplate: '{<a>: 1}' },
      'uses <a> as an object key',
    ],
  ];

  it.each(invalid)('rejects %s', (_name, transformer, message) => {
    const act = () => validateInputTransformer(transformer);

    expect(act).toThrow(InvalidInputTransformerError);
    expect(act).toThrow(message);
  });

  it('validates before transforming', () => {
    expect(() => transformInput({ InputTemplate: '' }, {}, context)).toThrow(InvalidInputTransformerError);
  });

  it('rejects an InputPath that is not a dot-notation path', () => {
    expect(() => inputPathValue('detail', {})).toThrow('InputPath "detail" must be a JSON path');
  });

  it('accepts the documented maximum of 100 paths', () => {
    expect(() => validateInputTransformer({ InputPathsMap: paths(100), InputTemplate: '"x"' })).not.toThrow();
  });
});
