import fc from 'fast-check';
import {
  compileEventPattern,
  InvalidEventPatternError,
  matchesEventPattern,
} from '../../../local/events/pattern';
import { alarmStateChange } from './alarm-event-sample';

const matches = (pattern: unknown, event: unknown): boolean =>
  matchesEventPattern(compileEventPattern(pattern), event);

/** Each case: a pattern (mostly AWS's documented examples), an event it matches, and one it does not. */
const cases: Array<[string, unknown, unknown, unknown]> = [
  ['exact string', { source: ['aws.ec2'] }, { source: 'aws.ec2' }, { source: 'aws.s3' }],
  ['exact number', { detail: { count: [5] } }, { detail: { count: 5 } }, { detail: { count: '5' } }],
  ['exact number in exponent form', { x: [3.018e2] }, { x: 301.8 }, { x: 301 }],
  ['exact boolean', { ok: [true] }, { ok: true }, { ok: 'true' }],
  ['exact null', { UserID: [null] }, { UserID: null }, {}],
  ['empty string', { LastName: [''] }, { LastName: '' }, { LastName: 'Doe' }],
  ['value list is OR', { state: ['initializing', 'running'] }, { state: 'running' }, { state: 'stopped' }],
  ['fields are AND', { a: ['1'], b: ['2'] }, { a: '1', b: '2' }, { a: '1', b: '3' }],
  [
    'event array matches on any element',
    { resources: ['arn:b'] },
    { resources: ['arn:a', 'arn:b'] },
    { resources: ['arn:a', 'arn:c'] },
  ],
  [
    'nested objects',
    { detail: { state: ['terminated'] } },
    { detail: { state: 'terminated' } },
    { state: 'terminated' },
  ],
  [
    'prefix',
    { time: [{ prefix: '2017-10-02' }] },
    { time: '2017-10-02T18:43:48Z' },
    { time: '2017-10-03T00:00:00Z' },
  ],
  ['prefix needs a string', { n: [{ prefix: '1' }] }, { n: '12' }, { n: 12 }],
  [
    'prefix ignoring case',
    { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] },
    { service: 'eventbridge' },
    { service: 'events' },
  ],
  ['suffix', { FileName: [{ suffix: '.png' }] }, { FileName: 'a.png' }, { FileName: 'a.PNG' }],
  [
    'suffix ignoring case',
    { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] },
    { FileName: 'a.PNG' },
    { FileName: 'a.jpg' },
  ],
  [
    'equals-ignore-case',
    { Name: [{ 'equals-ignore-case': 'alice' }] },
    { Name: 'ALICE' },
    { Name: 'alicia' },
  ],
  [
    'anything-but string',
    { state: [{ 'anything-but': 'initializing' }] },
    { state: 'running' },
    { state: 'initializing' },
  ],
  ['anything-but number', { x: [{ 'anything-but': 123 }] }, { x: 124 }, { x: 123 }],
  [
    'anything-but string list',
    { state: [{ 'anything-but': ['stopped', 'overloaded'] }] },
    { state: 'running' },
    { state: 'overloaded' },
  ],
  ['anything-but number list', { x: [{ 'anything-but': [100, 200, 300] }] }, { x: 301.8 }, { x: 200 }],
  ['anything-but needs the field', { state: [{ 'anything-but': 'x' }] }, { state: 'y' }, {}],
  [
    'anything-but prefix',
    { Region: [{ 'anything-but': { prefix: 'us-' } }] },
    { Region: 'eu-west-1' },
    { Region: 'us-east-1' },
  ],
  [
    'anything-but prefix list',
    { Region: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }] },
    { Region: 'ap-south-1' },
    { Region: 'eu-west-1' },
  ],
  [
    'anything-but suffix',
    { FileName: [{ 'anything-but': { suffix: '.png' } }] },
    { FileName: 'a.jpg' },
    { FileName: 'a.png' },
  ],
  [
    'anything-but ignoring case',
    { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
    { state: 'running' },
    { state: 'INITIALIZING' },
  ],
  [
    'anything-but wildcard',
    { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    { FilePath: '/usr/bin/x' },
    { FilePath: '/usr/lib/x' },
  ],
  ['numeric range', { c: [{ numeric: ['>', 0, '<=', 5] }] }, { c: 5 }, { c: 0 }],
  ['numeric closed range', { c: [{ numeric: ['>=', 10, '<', 20] }] }, { c: 10 }, { c: 20 }],
  ['numeric less than', { d: [{ numeric: ['<', 10] }] }, { d: 9.5 }, { d: 10 }],
  ['numeric less or equal', { d: [{ numeric: ['<=', 10] }] }, { d: 10 }, { d: 10.5 }],
  ['numeric greater or equal', { d: [{ numeric: ['>=', 10] }] }, { d: 10 }, { d: 9 }],
  ['numeric equals', { x: [{ numeric: ['=', 3.018e2] }] }, { x: 301.8 }, { x: 301.9 }],
  ['numeric needs a number', { x: [{ numeric: ['>', 0] }] }, { x: 1 }, { x: '1' }],
  ['cidr IPv4', { ip: [{ cidr: '10.0.0.0/24' }] }, { ip: '10.0.0.255' }, { ip: '10.0.1.0' }],
  ['cidr IPv6', { ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db8:1::7' }, { ip: '2001:db9::1' }],
  ['cidr does not mix families', { ip: [{ cidr: '0.0.0.0/0' }] }, { ip: '1.2.3.4' }, { ip: '::1' }],
  [
    'exists true',
    { detail: { state: [{ exists: true }] } },
    { detail: { state: 'pending' } },
    { detail: {} },
  ],
  ['exists true on null', { x: [{ exists: true }] }, { x: null }, { y: 1 }],
  ['exists true ignores objects', { c: [{ exists: true }] }, { c: 1 }, { c: { c1: 100 } }],
  ['exists false', { c: [{ exists: false }] }, { d: 1 }, { c: 1 }],
  ['exists false through missing parents', { detail: { c: [{ exists: false }] } }, {}, { detail: { c: 0 } }],
  [
    'exists false on an object field',
    { detail: { c: [{ exists: false }] } },
    { detail: { c: { c1: 1 } } },
    { detail: { c: 'x' } },
  ],
  ['exists false on an empty array', { tags: [{ exists: false }] }, { tags: [] }, { tags: ['a'] }],
  [
    'wildcard',
    { source: [{ wildcard: 'Simple*Service' }] },
    { source: 'SimpleQueueService' },
    { source: 'SimpleQueue' },
  ],
  ['wildcard with dots', { f: [{ wildcard: 'dir/*.png' }] }, { f: 'dir/a.png' }, { f: 'dirXa.png' }],
  ['wildcard escaped asterisk', { f: [{ wildcard: 'a\\*b' }] }, { f: 'a*b' }, { f: 'axb' }],
  ['wildcard escaped backslash', { f: [{ wildcard: 'a\\\\*' }] }, { f: 'a\\zz' }, { f: 'az' }],
  [
    '$or',
    { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }] },
    { source: 'aws.cloudwatch', namespace: 'AWS/EC2' },
    { source: 'aws.cloudwatch', namespace: 'AWS/ES' },
  ],
  [
    'nested $or inside a branch',
    {
      $or: [
        { metricName: ['CPUUtilization'] },
        { metricType: ['MetricType'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
      ],
    },
    { metricType: 'MetricType', spaceId: 1000 },
    { metricType: 'MetricType', spaceId: 1001 },
  ],
  [
    '$or inside a nested object',
    { detail: { $or: [{ a: ['1'] }, { b: ['2'] }] } },
    { detail: { b: '2' } },
    { detail: { c: '2' } },
  ],
  [
    'objects in arrays match one element as a whole',
    { employees: { firstName: ['Anna'], lastName: ['Smith'] } },
    {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
      ],
    },
    {
      employees: [
        { firstName: 'Anna', lastName: 'Doe' },
        { firstName: 'Peter', lastName: 'Smith' },
      ],
    },
  ],
  [
    'nested arrays are crushed',
    { a: { b: ['x'] } },
    { a: [[{ b: 'x' }], [{ b: 'y' }]] },
    { a: [[{ b: 'y' }]] },
  ],
  ['mixed values and operators', { s: ['a', { prefix: 'zz' }] }, { s: 'zzz' }, { s: 'b' }],
];

describe('matchesEventPattern', () => {
  it.each(cases)('%s: matches the event it describes', (_name, pattern, matching) => {
    expect(matches(pattern, matching)).toBe(true);
  });

  it.each(cases)('%s: rejects the event it excludes', (_name, pattern, _matching, other) => {
    expect(matches(pattern, other)).toBe(false);
  });

  it('accepts the pattern as JSON text, as PutRule takes it', () => {
    const pattern = compileEventPattern('{"source":["aws.ec2"]}');

    expect(matchesEventPattern(pattern, { source: 'aws.ec2' })).toBe(true);
  });

  it('keeps the last of a key given twice, as JSON parsing does', () => {
    const pattern = compileEventPattern(
      '{"detail":{"location":[{"prefix":"us-"}],"location":[{"anything-but":"us-east"}]}}',
    );

    expect(matchesEventPattern(pattern, { detail: { location: 'eu-west' } })).toBe(true);
  });

  describe('on a CloudWatch alarm state change', () => {
    const pattern = compileEventPattern({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      detail: { alarmName: ['a', 'b'], state: { value: ['ALARM'] } },
    });

    it('matches a watched alarm going into ALARM', () => {
      expect(matchesEventPattern(pattern, alarmStateChange('b'))).toBe(true);
    });

    it('ignores a watched alarm returning to OK', () => {
      expect(matchesEventPattern(pattern, alarmStateChange('a', 'OK'))).toBe(false);
    });

    it('ignores an alarm it does not watch', () => {
      expect(matchesEventPattern(pattern, alarmStateChange('c'))).toBe(false);
    });
  });
});

describe('compileEventPattern rejects what PutRule rejects', () => {
  const invalid: Array<[string, unknown, string]> = [
    ['a non-object pattern', ['source'], '(pattern): must be a JSON object'],
    ['invalid JSON text', '{"source": [', '(pattern): is not valid JSON'],
    ['an empty pattern', {}, '(pattern): empty objects are not allowed'],
    ['an empty nested object', { detail: {} }, 'detail: empty objects are not allowed'],
    ['a scalar leaf', { source: 'aws.ec2' }, 'source: must be an object or an array'],
    ['an empty value array', { detail: { state: [] } }, 'detail.state: empty arrays are not allowed'],
    ['a nested array value', { a: [['x']] }, 'a: match values must be'],
    ['an unknown operator', { a: [{ regexp: 'x' }] }, 'a: unknown operator "regexp"'],
    [
      'two operators in one object',
      { a: [{ prefix: 'x', suffix: 'y' }] },
      'a: an operator object takes one operator',
    ],
    ['an empty operator object', { a: [{}] }, 'a: an operator object needs exactly one operator'],
    ['prefix on a number', { a: [{ prefix: 1 }] }, 'a: "prefix" needs a string'],
    [
      'prefix with another nested operator',
      { a: [{ prefix: { suffix: 'x' } }] },
      'a: "prefix" takes a string',
    ],
    [
      'numeric not an array',
      { detail: { state: { value: [{ numeric: 5 }] } } },
      'detail.state.value: "numeric" needs an array of operator/value pairs',
    ],
    ['numeric odd length', { a: [{ numeric: ['>', 1, '<'] }] }, 'a: "numeric" needs an array'],
    [
      'numeric unknown operator',
      { a: [{ numeric: ['!=', 1] }] },
      'a: "numeric" has an unknown operator "!="',
    ],
    ['numeric value not a number', { a: [{ numeric: ['>', '1'] }] }, 'a: "numeric" needs a number after ">"'],
    [
      'numeric upper bound first',
      { a: [{ numeric: ['<', 5, '>', 1] }] },
      'a: "numeric" range must start with',
    ],
    ['numeric empty range', { a: [{ numeric: ['>', 5, '<', 5] }] }, 'a: "numeric" range is empty'],
    ['numeric out of range', { a: [{ numeric: ['>', 6e9] }] }, 'a: "numeric" values must lie within'],
    ['exists not boolean', { a: [{ exists: 'yes' }] }, 'a: "exists" needs true or false'],
    ['cidr without length', { ip: [{ cidr: '10.0.0.1' }] }, 'ip: "cidr" needs an IPv4 or IPv6 network'],
    ['cidr with a bad address', { ip: [{ cidr: '10.0.0.256/24' }] }, 'ip: "cidr" needs'],
    ['cidr length too long', { ip: [{ cidr: '10.0.0.0/33' }] }, 'ip: "cidr" needs'],
    ['cidr IPv6 with two gaps', { ip: [{ cidr: '1::2::3/64' }] }, 'ip: "cidr" needs'],
    [
      'wildcard with consecutive wildcards',
      { f: [{ wildcard: 'a**b' }] },
      'f: "wildcard" cannot have consecutive',
    ],
    ['wildcard with a stray escape', { f: [{ wildcard: 'a\\b' }] }, 'f: "wildcard" has an invalid escape'],
    [
      'anything-but with an empty list',
      { a: [{ 'anything-but': [] }] },
      'a: "anything-but" cannot have an empty list',
    ],
    [
      'anything-but mixing types',
      { a: [{ 'anything-but': ['x', 1] }] },
      'a: "anything-but" needs a string, a number',
    ],
    ['anything-but null', { a: [{ 'anything-but': null }] }, 'a: "anything-but" needs a string, a number'],
    [
      'anything-but unknown nested',
      { a: [{ 'anything-but': { numeric: ['>', 1] } }] },
      'a: "anything-but" does not support "numeric"',
    ],
    [
      'anything-but empty prefix',
      { a: [{ 'anything-but': { prefix: '' } }] },
      'a: "anything-but" "prefix" cannot be empty',
    ],
    [
      'anything-but prefix number',
      { a: [{ 'anything-but': { prefix: [1] } }] },
      'a: "anything-but" "prefix" needs strings',
    ],
    ['$or not an array', { $or: { a: ['1'] } }, '$or: must be an array of objects'],
    ['$or with one branch', { $or: [{ a: ['1'] }] }, '$or: needs at least 2 objects'],
    ['$or with a non-object branch', { $or: [{ a: ['1'] }, ['b']] }, '$or[1]: must be an object'],
    [
      'an operator name as a field in $or',
      { $or: [{ numeric: [1] }, { b: ['1'] }] },
      '$or[0].numeric: "numeric" is a reserved name',
    ],
    [
      'an invalid value inside $or',
      { detail: { $or: [{ a: [] }, { b: ['1'] }] } },
      'detail.$or[0].a: empty arrays',
    ],
  ];

  it.each(invalid)('rejects %s, naming the path and the problem', (_name, pattern, message) => {
    expect(() => compileEventPattern(pattern)).toThrow(message);
  });

  it('throws InvalidEventPatternError carrying the path', () => {
    const act = () => compileEventPattern({ detail: { state: [{ numeric: 'x' }] } });

    expect(act).toThrow(InvalidEventPatternError);
    expect(act).toThrow(expect.objectContaining({ name: 'InvalidEventPattern', path: 'detail.state' }));
  });

  it('rejects a pattern longer than 4096 characters', () => {
    const pattern = { source: Array.from({ length: 500 }, (_, i) => `source-${i}`) };

    expect(() => compileEventPattern(pattern)).toThrow('(pattern): is ');
  });

  it('rejects a pattern nested deeper than the guard', () => {
    let pattern: Record<string, unknown> = { leaf: ['x'] };
    for (let depth = 0; depth < 70; depth += 1) pattern = { n: pattern };

    expect(() => compileEventPattern(pattern)).toThrow('nests deeper than 64 levels');
  });
});

describe('matchesEventPattern properties', () => {
  const leaf = fc.oneof(fc.string(), fc.integer({ min: -1e6, max: 1e6 }), fc.boolean(), fc.constant(null));
  const key = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k !== '$or' && k !== '__proto__');
  const event = fc.dictionary(key, fc.oneof(leaf, fc.dictionary(key, leaf, { minKeys: 1, maxKeys: 3 })), {
    minKeys: 1,
    maxKeys: 5,
  });

  /** A pattern naming each of the event's own values, nested objects included. */
  const patternOf = (value: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(value).map(([k, v]) =>
        typeof v === 'object' && v !== null ? [k, patternOf(v as Record<string, unknown>)] : [k, [v]],
      ),
    );

  it('a pattern built from an event’s own values matches that event', () => {
    fc.assert(fc.property(event, (e) => matches(patternOf(e), e)));
  });

  it('anything-but a value never matches that value and matches every other', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.integer()),
        fc.oneof(fc.string(), fc.integer()),
        (excluded, other) => {
          const pattern = { x: [{ 'anything-but': [excluded] }] };
          return (
            !matches(pattern, { x: excluded }) && matches(pattern, { x: other }) === (other !== excluded)
          );
        },
      ),
    );
  });

  it('prefix matches exactly the strings that start with it', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        (prefix, text) => matches({ s: [{ prefix }] }, { s: text }) === text.startsWith(prefix),
      ),
    );
  });

  it('a wildcard without stars behaves as exact match', () => {
    const plain = fc.string().filter((s) => !s.includes('*') && !s.includes('\\'));
    fc.assert(
      fc.property(
        plain,
        plain,
        (wildcard, text) => matches({ s: [{ wildcard }] }, { s: text }) === (wildcard === text),
      ),
    );
  });

  it('numeric ranges agree with plain comparison', () => {
    const n = fc.double({ min: -1e9, max: 1e9, noNaN: true });
    fc.assert(
      fc.property(n, n, n, (a, b, x) => {
        fc.pre(a < b);
        return matches({ v: [{ numeric: ['>', a, '<=', b] }] }, { v: x }) === (x > a && x <= b);
      }),
    );
  });

  it('compiling never throws anything but InvalidEventPatternError', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (pattern) => {
        try {
          compileEventPattern(pattern);
          return true;
        } catch (error) {
          return error instanceof InvalidEventPatternError;
        }
      }),
    );
  });
});
