import { resolve } from 'node:path';
import type { Plugin } from 'esbuild';

const NOT_BUNDLED = resolve(__dirname, '..', '..', 'functions', 'shared', 'bundle-stubs', 'not-bundled.ts');

const refuse = (what: string, exported: string, kind: 'class' | 'function'): string =>
  `import { NotBundledError } from ${JSON.stringify(NOT_BUNDLED)};\n` +
  (kind === 'class'
    ? `export class ${exported} { constructor() { throw new NotBundledError('@smithy/core ${exported}', ${JSON.stringify(what)}); } }\n`
    : `export const ${exported} = async () => { throw new NotBundledError('@smithy/core ${exported}', ${JSON.stringify(what)}); };\n`);

/**
 * Files of @smithy/core (paths under dist-es/submodules/) replaced in the function bundles by what
 * they amount to on Lambda (~10 KB a bundle). Each is a path the SDK only takes off Lambda or when
 * configured to, which we never do; a stub that is reached throws NotBundledError naming itself.
 */
export const LAMBDA_PROFILE_STUBS: Readonly<Record<string, string>> = {
  // No ~/.aws/config or credentials file exists on Lambda: every setting comes from the environment.
  'config/shared-ini-file-loader/loadSharedConfigFiles.js':
    'export { CONFIG_PREFIX_SEPARATOR } from "./constants";\n' +
    'export const loadSharedConfigFiles = async () => ({ configFile: {}, credentialsFile: {} });\n',
  // Lambda sets AWS_REGION, so the region is never asked of the instance metadata service.
  'config/config-resolver/regionConfig/getInstanceMetadataRegion.js': refuse(
    'the region from instance metadata (set AWS_REGION)',
    'getInstanceMetadataRegion',
    'function',
  ),
  // The pure-JS SHA-256 is the fallback for a Node without crypto's sha256; Node 22 has it.
  'checksum/sha256/Sha256Js.js': refuse('SHA-256 without node:crypto', 'Sha256Js', 'class'),
  // Only AWS_RETRY_MODE=adaptive uses these; the clients use standard retries.
  'retry/util-retry/AdaptiveRetryStrategy.js': refuse(
    'the adaptive retry mode (AWS_RETRY_MODE=adaptive)',
    'AdaptiveRetryStrategy',
    'class',
  ),
  'retry/util-retry/DefaultRateLimiter.js': refuse(
    'the adaptive retry mode (AWS_RETRY_MODE=adaptive)',
    'DefaultRateLimiter',
    'class',
  ),
};

const SUBMODULES = /[\\/]@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/](.+)$/;

/** esbuild plugin: loads LAMBDA_PROFILE_STUBS in place of those files. */
export const lambdaProfile = (): Plugin => ({
  name: 'clustershift-lambda-profile',
  setup(build) {
    build.onLoad({ filter: SUBMODULES }, (args) => {
      const file = SUBMODULES.exec(args.path)?.[1]?.replaceAll('\\', '/');
      const stub = file === undefined ? undefined : LAMBDA_PROFILE_STUBS[file];
      if (stub === undefined) return undefined;
      return { contents: stub, loader: 'ts', resolveDir: resolve(args.path, '..') };
    });
  },
});
