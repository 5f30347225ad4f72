import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { EndpointCache } from '../../functions/shared/bundle-stubs/endpoint-cache';
import {
  EventStreamSerde,
  eventStreamSerdeProvider,
  resolveEventStreamSerdeConfig,
} from '../../functions/shared/bundle-stubs/event-streams';
import { NotBundledError } from '../../functions/shared/bundle-stubs/not-bundled';
import { BUNDLE_ALIASES, bundleBuildOptions } from '../../infra/bundling/settings';
import { CHAT_HANDLER_NAMES, EVENT_HANDLER_NAMES, HANDLER_NAMES } from '../../infra/handlers';

const ROOT = join(__dirname, '..', '..');
const FUNCTIONS = [...HANDLER_NAMES, ...EVENT_HANDLER_NAMES, ...CHAT_HANDLER_NAMES];

/** The source files each function's bundle is made of (paths relative to the project). */
const inputs = new Map<string, readonly string[]>();

beforeAll(async () => {
  // One build per function, as CDK builds it (esbuild also fails here if a stub lacks a name the
  // SDK imports from the module it replaces).
  for (const name of FUNCTIONS) {
    const result = await build({
      ...bundleBuildOptions(join(ROOT, 'functions', `${name}.ts`)),
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const metafile = result.metafile as Metafile;
    inputs.set(
      name,
      Object.keys(metafile.inputs).map((input) => relative(ROOT, join(process.cwd(), input))),
    );
  }
}, 120_000);

const bundled = (name: string, fragment: string): string[] =>
  (inputs.get(name) ?? []).filter((input) => input.includes(fragment));

describe('the function bundles', () => {
  it('alias each replaced module to a file that exists', () => {
    // Prepare
    const targets = Object.values(BUNDLE_ALIASES);

    // Act
    const missing = targets.filter((target) => !existsSync(target));

    // Assert
    expect(targets.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  it.each(FUNCTIONS)('%s bundles none of the modules the aliases replace', (name) => {
    // Prepare
    const replaced = [
      'node_modules/@aws-sdk/credential-provider-node/',
      'node_modules/@smithy/core/dist-es/submodules/event-streams/',
      'node_modules/@aws-sdk/endpoint-cache/',
      'node_modules/mnemonist/',
    ];

    // Act
    const found = replaced.flatMap((fragment) => bundled(name, fragment));

    // Assert
    expect(inputs.get(name)?.length).toBeGreaterThan(0);
    expect(found).toEqual([]);
  });

  it('leave the DynamoDB client and the store out of the chat endpoint, which has no table', () => {
    // Act
    const found = [
      ...bundled('chatops', 'node_modules/@aws-sdk/client-dynamodb/'),
      ...bundled('chatops', 'aws/store'),
    ];

    // Assert
    expect(found).toEqual([]);
  });

  it.each(FUNCTIONS)('%s bundles Powertools Metrics only if it records a metric', (name) => {
    // Prepare: does the function import functions/shared/metrics.ts?
    const records = bundled(name, 'functions/shared/metrics.ts').length > 0;

    // Act
    const metrics = bundled(name, 'node_modules/@aws-lambda-powertools/metrics/');

    // Assert
    expect(metrics.length > 0).toBe(records);
  });

  it('bundle the operations (ops/) only in the chat workers', () => {
    // Act
    const withOps = FUNCTIONS.filter((name) =>
      (inputs.get(name) ?? []).some((input) => input.startsWith('ops/')),
    );

    // Assert
    expect(withOps.sort()).toEqual(['chatops-plan', 'chatops-status', 'chatops-worker']);
  });
});

describe('the chat workers', () => {
  const CLIENTS = ['elastic-load-balancing-v2', 'cloudwatch', 'sfn', 'dynamodb'] as const;

  it.each([
    ['chatops-status', ['elastic-load-balancing-v2', 'cloudwatch', 'sfn', 'dynamodb']],
    ['chatops-plan', ['elastic-load-balancing-v2', 'cloudwatch', 'dynamodb']],
    ['chatops-worker', ['sfn', 'dynamodb']],
  ])('%s bundles only the SDK clients its commands use: %j', (name, expected) => {
    // Act
    const clients = CLIENTS.filter(
      (client) => bundled(name, `node_modules/@aws-sdk/client-${client}/`).length > 0,
    );

    // Assert
    expect(clients).toEqual(expected);
  });
});

describe('the event-stream stub', () => {
  it('gives a client the marshaller it builds at construction, as the SDK resolver does', () => {
    // Prepare
    const config = { eventStreamSerdeProvider, region: 'eu-west-1' };

    // Act
    const resolved = resolveEventStreamSerdeConfig(config);

    // Assert
    expect(resolved.region).toBe('eu-west-1');
    expect(resolved.eventStreamMarshaller).toEqual({
      serialize: expect.any(Function),
      deserialize: expect.any(Function),
    });
  });

  it('throws NotBundledError naming the module when an event stream is used', () => {
    // Prepare
    const marshaller = eventStreamSerdeProvider({});

    // Act / Assert
    expect(() => marshaller.serialize()).toThrow(NotBundledError);
    expect(() => marshaller.deserialize()).toThrow(/@smithy\/core\/event-streams is replaced by a stub/);
    expect(() => new EventStreamSerde({})).toThrow(/BUNDLE_ALIASES/);
  });
});

describe('the endpoint-cache stub', () => {
  it('finds no discovered endpoint, so a request keeps the one the endpoint rules resolved', () => {
    // Prepare
    const cache = new EndpointCache();

    // Act
    const endpoint = cache.getEndpoint('{"accessKeyId":"ASIAEXAMPLE"}');

    // Assert
    expect(endpoint).toBeUndefined();
    expect(cache.has('any')).toBe(false);
  });

  it('throws NotBundledError naming the module when endpoint discovery is switched on', () => {
    // Prepare
    const cache = new EndpointCache();

    // Act / Assert
    expect(() => cache.get('key')).toThrow(NotBundledError);
    expect(() => cache.set('key', [{ Address: 'x', CachePeriodInMinutes: 1 }])).toThrow(
      /DynamoDB endpoint discovery is not bundled .*@aws-sdk\/endpoint-cache/,
    );
  });
});
