import { resolve } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { lambdaProfile } from './lambda-profile';
import { sdkPruning } from './sdk-pruning';

/** esbuild settings of every function bundle (CDK, bench/ and the tests all build with these). */
export const BUNDLE_TARGET = 'node22';
export const BUNDLE_MAIN_FIELDS = ['module', 'main'] as const;
const SHARED = resolve(__dirname, '..', '..', 'functions', 'shared');
const STUBS = resolve(SHARED, 'bundle-stubs');

/**
 * Modules replaced in every bundle by smaller ones (esbuild `alias`), each for what our operations
 * never execute. A stub throws NotBundledError, naming the module, if it is reached after all.
 */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  // The default credential chain (SSO, STS, INI, process, instance metadata and their nested
  // clients, ~120 KB) becomes the environment provider: Lambda and the twin put credentials there.
  '@aws-sdk/credential-provider-node': resolve(SHARED, 'env-credentials.ts'),
  // No operation we call streams events (~19 KB: the codec, and the lazy-init wrappers its dynamic
  // import puts around the SDK modules).
  '@smithy/core/event-streams': resolve(STUBS, 'event-streams.ts'),
  // DynamoDB endpoint discovery is off unless enabled, and we never enable it (~8 KB with mnemonist).
  '@aws-sdk/endpoint-cache': resolve(STUBS, 'endpoint-cache.ts'),
  // …and its setting is read by no middleware of the operations we call (~0.5 KB).
  '@aws-sdk/middleware-endpoint-discovery': resolve(STUBS, 'endpoint-discovery.ts'),
  // Only CloudWatch PutMetricData compresses its body, and we never call it (~0.6 KB).
  '@smithy/middleware-compression': resolve(STUBS, 'request-compression.ts'),
};

/** Licence comments are not kept in the bundles (they are in node_modules, and the lock file). */
export const BUNDLE_LEGAL_COMMENTS = 'none';

/** Some bundled dependencies are CommonJS and call require(); give the ESM output one. */
export const BUNDLE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * One function's bundle as esbuild build options: ESM for Node 22, minified, the AWS SDK bundled
 * (so the versions in package-lock.json are what runs) with the aliases above, the SDK pruning
 * plugin (sdk-pruning.ts) and the Lambda profile (lambda-profile.ts).
 */
export const bundleBuildOptions = (entry: string): BuildOptions => ({
  entryPoints: [entry],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  target: BUNDLE_TARGET,
  mainFields: [...BUNDLE_MAIN_FIELDS],
  banner: { js: BUNDLE_BANNER },
  alias: { ...BUNDLE_ALIASES },
  legalComments: BUNDLE_LEGAL_COMMENTS,
  plugins: [sdkPruning(), lambdaProfile()],
});
