import { endpointFor, endpointNotes } from '../../cli/clients';
import { describeError } from '../../cli/errors';
import { parseStepNumbers, parseSteps, parseWeights } from '../../cli/options';
import { ClusterShiftError, InvalidRequestError } from '../../core/errors';
import { percent, table } from '../../ops/format';

describe('command-line values', () => {
  it('reads --weights as percent per cluster, spaces allowed', () => {
    expect(parseWeights('blue=20, green = 80')).toEqual({ blue: 20, green: 80 });
  });

  it('takes a cluster named like a member of Object.prototype once, as any other', () => {
    expect(parseWeights('constructor=0,blue=100')).toEqual({ constructor: 0, blue: 100 });
  });

  it('names a cluster given twice in --weights', () => {
    expect(() => parseWeights('blue=20,green=30,blue=50')).toThrow('--weights: blue is given twice');
  });

  it.each([
    ['toString=100', '--weights: "toString" is not a cluster name (in "toString=100")'],
    ['__proto__=0,blue=100', '--weights: "__proto__" is not a cluster name (in "__proto__=0")'],
    ['blue=20,Green=80', '--weights: "Green" is not a cluster name (in "Green=80")'],
  ])('refuses %s, a name no cluster can have, as chat does', (text, message) => {
    expect(() => parseWeights(text)).toThrow(message);
  });

  it('rejects an empty --weights', () => {
    expect(() => parseWeights(' , ')).toThrow('--weights: expected cluster=percent pairs');
  });

  it('reads --steps as fractions and rejects words', () => {
    expect(parseSteps('0.25,0.5,1')).toEqual([0.25, 0.5, 1]);
    expect(() => parseSteps('0.5,half')).toThrow(
      '--steps: expected fractions such as 0.25,0.5,1, got "half"',
    );
  });

  it('turns 1-based step numbers into the workflow’s 0-based indexes, refusing step 0', () => {
    expect(parseStepNumbers('--pause-before')('2,3')).toEqual([1, 2]);
    expect(() => parseStepNumbers('--pause-before')('0')).toThrow(
      '--pause-before: expected a whole number >= 1',
    );
  });
});

describe('endpoints', () => {
  const settings = (env: Record<string, string>, endpointUrl?: string) => ({
    region: 'eu-west-1',
    env,
    ...(endpointUrl === undefined ? {} : { endpointUrl }),
  });

  it('prefers --endpoint-url, then the per-service variable, then AWS_ENDPOINT_URL', () => {
    const env = { AWS_ENDPOINT_URL: 'http://all', AWS_ENDPOINT_URL_DYNAMODB: 'http://ddb' };

    expect(endpointFor(settings(env, 'http://flag'), 'dynamodb')).toBe('http://flag');
    expect(endpointFor(settings(env), 'dynamodb')).toBe('http://ddb');
    expect(endpointFor(settings(env), 'sfn')).toBe('http://all');
    expect(endpointFor(settings({}), 'sfn')).toBeUndefined();
  });

  it('names every endpoint override for stderr, and none for plain AWS', () => {
    const env = {
      AWS_ENDPOINT_URL: 'http://twin:4566',
      AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: 'http://elb',
    };

    expect(endpointNotes(settings(env))).toEqual([
      'endpoint: http://twin:4566',
      'endpoint (elbv2): http://elb',
    ]);
    expect(endpointNotes(settings({}))).toEqual([]);
  });
});

describe('error reports', () => {
  it('maps request fields to the options that set them, exit 2', () => {
    const report = describeError(
      new InvalidRequestError([
        { path: 'weights.red', message: 'unknown cluster' },
        { path: 'pauseBeforeSteps.0', message: 'there are only 2 steps (0-based)' },
      ]),
    );

    expect(report).toEqual({
      exitCode: 2,
      headline: 'invalid request:',
      details: ['  --weights red: unknown cluster', '  --pause-before 0: there are only 2 steps (0-based)'],
    });
  });

  it('reports refusals by their error name, exit 1', () => {
    const report = describeError(new ClusterShiftError('LockHeld', 'fleet prod is locked by x'));

    expect(report).toEqual({ exitCode: 1, headline: 'LockHeld: fleet prod is locked by x', details: [] });
  });
});

describe('terminal formatting', () => {
  it('aligns columns, numbers to the right, with no trailing spaces', () => {
    expect(
      table(
        ['NAME', 'N', 'NOTE'],
        [
          ['a', 5, ''],
          ['long', 100, 'x'],
        ],
      ),
    ).toEqual(['NAME  N    NOTE', 'a       5', 'long  100  x']);
  });

  it('shows one decimal for small shares so a canary does not round away', () => {
    expect(percent(0.025)).toBe('2.5 %');
    expect(percent(0.5)).toBe('50 %');
    expect(percent(0)).toBe('0 %');
  });
});
