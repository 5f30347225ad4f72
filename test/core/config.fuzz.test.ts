import fc from 'fast-check';
import { stringify as toYaml } from 'yaml';
import { parseFleetConfig } from '../../core/config-yaml';
import { InvalidConfigError } from '../../core/errors';

/**
 * Fuzzing of fleet config files: whatever text parseFleetConfig is given, it returns a config that
 * validates again, or throws InvalidConfigError naming the file and, for a mutation of a valid
 * config, the field that was spoiled. Never a TypeError/RangeError of ours, never anything else.
 */

const SOURCE = 'fuzz.yaml';
const SEED = 20_260_601;
const LB = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/main/0123456789abcdef';
const LISTENER =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/main/0123456789abcdef/1111111111111111';
const tg = (name: string) =>
  `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${name}/0123456789abcdef`;

/** A config that sets every section, so that mutations reach every field of the schema. */
const fullConfig = () => ({
  version: 1,
  fleet: 'prod-eu',
  region: 'eu-west-1',
  loadBalancers: [{ arn: LB, listeners: [LISTENER] }],
  clusterTagKey: 'clustershift:cluster',
  clusters: [
    { name: 'blue', healthAlarms: ['blue-5xx'], targetGroups: [tg('api-blue')] },
    { name: 'green', healthAlarms: ['green-5xx'] },
  ],
  gateAlarms: ['fleet-latency'],
  drain: { steps: [0.25, 0.5, 1], bakeSeconds: 300, checkIntervalSeconds: 30 },
  restore: { steps: [0.5, 1], bakeSeconds: 60, checkIntervalSeconds: 30 },
  shift: { steps: [1], bakeSeconds: 0, checkIntervalSeconds: 10 },
  failover: {
    steps: [1],
    bakeSeconds: 0,
    checkIntervalSeconds: 10,
    cooldownSeconds: 900,
    autoRestore: { enabled: true, afterOkSeconds: 1800 },
  },
  thresholds: {
    minHealthyTargets: 2,
    minHealthyPercent: 50,
    drainedRequestsPerMinute: 0,
    verifyWindowSeconds: 300,
    verifyIntervalSeconds: 60,
  },
  onFailure: 'rollback',
  lock: { leaseSeconds: 900 },
  notifications: {
    level: 'steps',
    snsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:clustershift',
    slack: { webhookUrlSecret: 'clustershift/slack-webhook' },
  },
  chatops: {
    enabled: true,
    signingSecret: 'clustershift/slack-signing',
    webhookSecret: 'clustershift/webhook',
    channels: ['C0ONCALL'],
    users: [{ id: 'U0ADMIN', commands: ['all'] }],
    responseHosts: ['hooks.slack.com'],
  },
});

type Path = readonly (string | number)[];

/** Every path of a JSON-like value, containers included (the root is `[]`). */
const pathsOf = (value: unknown, at: Path = []): Path[] => {
  const own: Path[] = [at];
  if (Array.isArray(value)) return own.concat(...value.map((item, index) => pathsOf(item, [...at, index])));
  if (typeof value === 'object' && value !== null) {
    return own.concat(...Object.entries(value).map(([key, child]) => pathsOf(child, [...at, key])));
  }
  return own;
};
const ALL_PATHS = pathsOf(fullConfig()).filter((path) => path.length > 0);
const CONTAINER_PATHS = pathsOf(fullConfig()).filter((path) => {
  let value: unknown = fullConfig();
  for (const key of path) value = (value as Record<string | number, unknown>)[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value);
});

/** Defines an own property, so `__proto__` is a key like any other (plain assignment would set the prototype). */
const defineOwn = (target: object, key: string | number, value: unknown): void => {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
};

const parentOf = (root: unknown, path: Path): Record<string | number, unknown> => {
  let value = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) value = value[key] as Record<string | number, unknown>;
  return value;
};

type Mutation =
  | { readonly kind: 'drop'; readonly path: Path }
  | { readonly kind: 'replace'; readonly path: Path; readonly value: unknown }
  | { readonly kind: 'extra'; readonly path: Path; readonly key: string; readonly value: unknown };

const apply = (mutation: Mutation) => {
  const config = fullConfig();
  if (mutation.kind === 'extra') {
    defineOwn(
      mutation.path.length === 0 ? config : parentOf(config, [...mutation.path, '']),
      mutation.key,
      mutation.value,
    );
    return config;
  }
  const parent = parentOf(config, mutation.path);
  const key = mutation.path[mutation.path.length - 1] as string | number;
  if (mutation.kind === 'drop') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else {
    defineOwn(parent, key, mutation.value);
  }
  return config;
};

const HUGE = 'x'.repeat(100_000);
/** Values a config should never hold: wrong types, edges of every range, hostile text. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -0,
    -1,
    0.5,
    1.5,
    59,
    100_001,
    86_401,
    2 ** 53 + 1,
    1e308,
    -1e308,
    5e-324,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '',
    ' ',
    'blue',
    'green',
    'all',
    'rollback',
    '__proto__',
    'constructor',
    '1',
    HUGE,
    '\u0000',
    '\u202e',
    'é\u0301',
    '😀',
    [],
    {},
    [null],
    { __proto__: null },
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.double(),
  fc.integer(),
  fc.jsonValue({ maxDepth: 2 }),
);

const extraKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'drian'),
  fc.string({ minLength: 1, maxLength: 12 }),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(...ALL_PATHS).map((path): Mutation => ({ kind: 'drop', path })),
  fc.tuple(fc.constantFrom(...ALL_PATHS), oddValue).map(
    ([path, value]): Mutation => ({
      kind: 'replace',
      path,
      value,
    }),
  ),
  fc.tuple(fc.constantFrom(...CONTAINER_PATHS), extraKey, oddValue).map(
    ([path, key, value]): Mutation => ({
      kind: 'extra',
      path,
      key,
      value,
    }),
  ),
);

/** The config as a file: YAML (block or flow) or JSON, which is YAML too. */
const asText = (value: unknown, format: 'yaml' | 'json' | 'flow'): string =>
  format === 'json'
    ? JSON.stringify(value, null, 2)
    : toYaml(value, { collectionStyle: format === 'flow' ? 'flow' : 'block', lineWidth: 0 });
const format = fc.constantFrom('yaml' as const, 'json' as const, 'flow' as const);

/** Accepted (and then the result validates again), or InvalidConfig with issues; anything else fails. */
const outcomeOf = (text: string): { accepted: true } | { accepted: false; error: InvalidConfigError } => {
  let config: unknown;
  try {
    config = parseFleetConfig(text, SOURCE);
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) {
      throw new Error(`not an InvalidConfigError: ${(error as Error)?.name}: ${(error as Error)?.message}`);
    }
    return { accepted: false, error };
  }
  // What was accepted is a config: written out again, it is accepted as it is.
  expect(parseFleetConfig(JSON.stringify(config), SOURCE)).toEqual(config);
  return { accepted: true };
};

const expectWellFormed = (error: InvalidConfigError): void => {
  expect(error.name).toBe('InvalidConfig');
  expect(error.message.startsWith(`invalid fleet config ${SOURCE}: `)).toBe(true);
  expect(error.issues.length).toBeGreaterThan(0);
  for (const issue of error.issues) {
    expect(typeof issue.path).toBe('string');
    expect(issue.message.trim()).not.toBe('');
  }
};

const dotted = (path: Path) => path.map(String).join('.');

/**
 * Does an issue at `issuePath` name the field a mutation spoiled? The same field or one inside or
 * around it; or a field that a cross-field check ties to it (the region and the load balancer ARNs,
 * a load balancer and its listeners, chatops.enabled and what it requires, cluster names and their
 * duplicates).
 */
const namesTheField = (issuePath: string, mutated: Path): boolean => {
  const issue = issuePath === '' ? [] : issuePath.split('.');
  const target = mutated.map(String);
  const prefix = (a: readonly string[], b: readonly string[]) => a.every((part, i) => b[i] === part);
  if (prefix(issue, target) || prefix(target, issue)) return true;
  const [top] = target;
  if (top === 'region') return issue[0] === 'loadBalancers';
  if (top === 'loadBalancers' || top === 'chatops') return issue[0] === top;
  if (top === 'clusters') return issue[0] === 'clusters';
  return false;
};

// The yaml library reports some oddities (a collection used as a key) through process.emitWarning;
// kept off the test output.
beforeAll(() => {
  jest.spyOn(process, 'emitWarning').mockImplementation(() => {});
});
afterAll(() => {
  jest.restoreAllMocks();
});

describe('parseFleetConfig, fuzzed', () => {
  it('answers arbitrary text with a config or InvalidConfig naming the file', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'grapheme', maxLength: 200 }),
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.string({ unit: fc.constantFrom(...'{}[]:,-?&*!|>\'"#%@` \n\t\\ab1.'), maxLength: 80 }),
        ),
        (text) => {
          // Act
          const outcome = outcomeOf(text);

          // Assert
          if (!outcome.accepted) expectWellFormed(outcome.error);
        },
      ),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('answers arbitrary JSON and YAML documents with a config or InvalidConfig naming the file', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), format, (value, style) => {
        // Act
        const outcome = outcomeOf(asText(value, style));

        // Assert
        if (!outcome.accepted) expectWellFormed(outcome.error);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('refuses a valid config with one field dropped, mistyped, out of range or added, naming that field', () => {
    fc.assert(
      fc.property(mutation, format, (change, style) => {
        // Prepare
        const text = asText(apply(change), style);

        // Act
        const outcome = outcomeOf(text);

        // Assert
        if (outcome.accepted) return;
        expectWellFormed(outcome.error);
        const { issues } = outcome.error;
        if (change.kind === 'extra') {
          // An unknown key is named, under the object it was added to.
          expect(
            issues.some((issue) => issue.path === dotted(change.path) && issue.message.includes(change.key)),
          ).toBe(true);
        } else {
          const named = issues.some((issue) => namesTheField(issue.path, change.path));
          expect({ mutated: dotted(change.path), issues, named }).toMatchObject({ named: true });
        }
      }),
      { seed: SEED, numRuns: 600 },
    );
  });

  it('never lets an added __proto__ or constructor key change what other objects inherit', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CONTAINER_PATHS),
        fc.constantFrom('__proto__', 'constructor', 'prototype'),
        format,
        (path, key, style) => {
          // Prepare: a key that would pollute Object.prototype if it were assigned naively
          const change: Mutation = { kind: 'extra', path, key, value: { polluted: 'yes', steps: [1] } };

          // Act
          outcomeOf(asText(apply(change), style));

          // Assert
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        },
      ),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('answers a valid YAML file with lines inserted, deleted, duplicated or cut with a config or InvalidConfig', () => {
    const SNIPPETS = [
      '&a [1, 2]',
      '*a',
      '<<: *a',
      '!!binary aGVsbG8=',
      '!!set {a, b}',
      '!!omap [a: 1]',
      '!foo bar',
      '---',
      '...',
      '%YAML 1.1',
      '? [a, b]\n: 1',
      'drain: {steps: [0.5, 0.2, 1]}',
      'fleet: prod-eu',
      '__proto__: {polluted: yes}',
      'steps: .nan',
      'bakeSeconds: .inf',
      `reason: "${'\\u0000'}"`,
      '"\\ud800": x',
      '\t- tab',
      '  - name: blue',
    ];
    const lines = asText(fullConfig(), 'yaml').split('\n');
    const edit = fc.oneof(
      fc.record({ at: fc.nat(lines.length), op: fc.constant('insert'), text: fc.constantFrom(...SNIPPETS) }),
      fc.record({ at: fc.nat(lines.length), op: fc.constant('insert'), text: fc.string({ maxLength: 30 }) }),
      fc.record({
        at: fc.nat(lines.length),
        op: fc.constantFrom('delete', 'duplicate', 'cut'),
        text: fc.constant(''),
      }),
    );
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        // Prepare
        const edited = [...lines];
        for (const { at, op, text } of edits) {
          const line = edited[at] ?? '';
          if (op === 'insert') edited.splice(at, 0, text);
          if (op === 'delete') edited.splice(at, 1);
          if (op === 'duplicate') edited.splice(at, 0, line);
          if (op === 'cut') edited[at] = line.slice(0, Math.floor(line.length / 2));
        }

        // Act
        const outcome = outcomeOf(edited.join('\n'));

        // Assert
        if (!outcome.accepted) expectWellFormed(outcome.error);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
