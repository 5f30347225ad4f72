import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { EndpointCache } from '../../functions/shared/bundle-stubs/endpoint-cache';
import {
  NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS,
  resolveEndpointDiscoveryConfig,
} from '../../functions/shared/bundle-stubs/endpoint-discovery';
import {
  EventStreamSerde,
  eventStreamSerdeProvider,
  resolveEventStreamSerdeConfig,
} from '../../functions/shared/bundle-stubs/event-streams';
import { NotBundledError } from '../../functions/shared/bundle-stubs/not-bundled';
import {
  getCompressionPlugin,
  NODE_DISABLE_REQUEST_COMPRESSION_CONFIG_OPTIONS,
  NODE_REQUEST_MIN_COMPRESSION_SIZE_BYTES_CONFIG_OPTIONS,
  resolveCompressionConfig,
} from '../../functions/shared/bundle-stubs/request-compression';
import { BUNDLE_ALIASES, bundleBuildOptions } from '../../infra/bundling/settings';
import { CHAT_HANDLER_NAMES, EVENT_HANDLER_NAMES, HANDLER_NAMES } from '../../infra/handlers';

const ROOT = join(__dirname, '..', '..');
const FUNCTIONS = [...HANDLER_NAMES, ...EVENT_HANDLER_NAMES, ...CHAT_HANDLER_NAMES];

/** The source files each function's bundle is made of (paths relative to the project). */
const inputs = new Map<string, readonly string[]>();
/** Each function's bundle. */
const outputs = new Map<string, string>();

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
    outputs.set(name, result.outputFiles?.[0]?.text ?? '');
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
      'node_modules/@aws-sdk/middleware-endpoint-discovery/',
      'node_modules/@smithy/middleware-compression/',
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

  it.each([
    ['chatops-status', ['savePlan', 'acquireLock', 'startHistory', 'updateControl', 'setFreeze']],
    ['chatops-plan', ['savePlan', 'acquireLock', 'startHistory', 'updateControl', 'setFreeze']],
    ['prepare', ['acquireLock', 'startHistory', 'updateControl', 'setFreeze', 'saveBaselineIfAbsent']],
  ])('%s bundles none of the store writes it never makes: %j', (name, writes) => {
    // Prepare: the store's methods keep their names in a minified bundle
    const bundle = outputs.get(name) ?? '';

    // Act
    const found = writes.filter((method) => bundle.includes(method));

    // Assert: the reads are there, the writes are not
    expect(bundle).toContain('getFreeze');
    expect(found).toEqual([]);
  });

  it('bundle the store writes where they are made', () => {
    // Act / Assert
    expect(outputs.get('lock')).toContain('acquireLock');
    expect(outputs.get('prepare')).toContain('savePlan');
    expect(outputs.get('chatops-worker')).toContain('setFreeze');
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

describe('the request-compression stub', () => {
  it('leaves the client config as given and reads no compression setting', () => {
    // Prepare
    const config = { region: 'eu-west-1', disableRequestCompression: false };

    // Act
    const resolved = resolveCompressionConfig(config);

    // Assert
    expect(resolved).toBe(config);
    expect(NODE_DISABLE_REQUEST_COMPRESSION_CONFIG_OPTIONS.default).toBe(false);
    expect(NODE_REQUEST_MIN_COMPRESSION_SIZE_BYTES_CONFIG_OPTIONS.default).toBe(10240);
  });

  it('throws NotBundledError naming PutMetricData when an operation adds the compression middleware', () => {
    // Prepare
    const plugin = getCompressionPlugin({}, { encodings: ['gzip'] });

    // Act / Assert
    expect(() => plugin.applyToStack()).toThrow(NotBundledError);
    expect(() => plugin.applyToStack()).toThrow(
      /request compression \(CloudWatch PutMetricData\) is not bundled .*@smithy\/middleware-compression/,
    );
  });
});

describe('the endpoint-discovery stub', () => {
  it('resolves discovery as unset, as the SDK does when nothing enables it', async () => {
    // Prepare
    const provider = async () => undefined;

    // Act
    const resolved = resolveEndpointDiscoveryConfig(
      { endpointDiscoveryEnabledProvider: provider },
      { endpointDiscoveryCommandCtor: class {} },
    );

    // Assert
    expect(NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS.environmentVariableSelector({})).toBeUndefined();
    expect(
      NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS.environmentVariableSelector({
        AWS_ENABLE_ENDPOINT_DISCOVERY: 'false',
      }),
    ).toBeUndefined();
    expect(resolved.isClientEndpointDiscoveryEnabled).toBe(false);
    await expect(resolved.endpointDiscoveryEnabled?.()).resolves.toBeUndefined();
  });

  it('throws NotBundledError naming the module when endpoint discovery is switched on', () => {
    // Act / Assert
    expect(() =>
      NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS.environmentVariableSelector({
        AWS_ENABLE_ENDPOINT_DISCOVERY: 'true',
      }),
    ).toThrow(NotBundledError);
    expect(() =>
      resolveEndpointDiscoveryConfig(
        { endpointDiscoveryEnabled: true },
        { endpointDiscoveryCommandCtor: class {} },
      ),
    ).toThrow(/DynamoDB endpoint discovery is not bundled .*@aws-sdk\/middleware-endpoint-discovery/);
  });
});
