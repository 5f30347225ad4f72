import { resolve } from 'node:path';
import type { Plugin } from 'esbuild';

const NOT_BUNDLED = resolve(__dirname, '..', '..', 'functions', 'shared', 'bundle-stubs', 'not-bundled.ts');

const importNotBundled = `import { NotBundledError } from ${JSON.stringify(NOT_BUNDLED)};\n`;
const throwNotBundled = (module: string, exported: string, what: string): string =>
  `throw new NotBundledError(${JSON.stringify(`${module} ${exported}`)}, ${JSON.stringify(what)});`;

/** A class (constructing it throws) or an async function (calling it rejects) of `module`. */
const refusing = (
  what: string,
  exported: string,
  kind: 'class' | 'function',
  module = '@smithy/core',
): string =>
  kind === 'class'
    ? `export class ${exported} { constructor() { ${throwNotBundled(module, exported, what)} } }\n`
    : `export const ${exported} = async () => { ${throwNotBundled(module, exported, what)} };\n`;

/** A stub file that exports only refusing classes or functions. */
const refuse = (
  what: string,
  exported: string,
  kind: 'class' | 'function',
  module = '@smithy/core',
): string => importNotBundled + refusing(what, exported, kind, module);

/** Where a stubbed file lives: its package and its path in it (`dist-es/…`). */
const SMITHY_CORE = '@smithy/core/dist-es/submodules/';
const SIGNATURE_V4 = '@smithy/signature-v4/dist-es/';
const POWERTOOLS_LOGGER = '@aws-lambda-powertools/logger/lib/esm/';

const S3_ONLY = 'S3 endpoint customizations (an S3 client)';
const LOG_BUFFERING = 'log buffering (Logger logBufferOptions)';
const EVENT_SIGNING = 'signing an event stream message (e.g. lambda:InvokeWithResponseStream)';

/**
 * Files of the SDK and Powertools Logger (paths under node_modules/) replaced in the function bundles
 * by what they amount to on Lambda for our calls (~14 KB a bundle). Each is a path taken only off
 * Lambda, for an S3 client or an event stream, or when configured to, which we never do; a stub
 * that is reached throws NotBundledError naming itself.
 */
export const LAMBDA_PROFILE_STUBS: Readonly<Record<string, string>> = {
  // No ~/.aws/config or credentials file exists on Lambda: every setting comes from the environment.
  [`${SMITHY_CORE}config/shared-ini-file-loader/loadSharedConfigFiles.js`]:
    'export { CONFIG_PREFIX_SEPARATOR } from "./constants";\n' +
    'export const loadSharedConfigFiles = async () => ({ configFile: {}, credentialsFile: {} });\n',
  // Lambda sets AWS_REGION, so the region is never asked of the instance metadata service.
  [`${SMITHY_CORE}config/config-resolver/regionConfig/getInstanceMetadataRegion.js`]: refuse(
    'the region from instance metadata (set AWS_REGION)',
    'getInstanceMetadataRegion',
    'function',
  ),
  // The pure-JS SHA-256 is the fallback for a Node without crypto's sha256; Node 22 has it.
  [`${SMITHY_CORE}checksum/sha256/Sha256Js.js`]: refuse('SHA-256 without node:crypto', 'Sha256Js', 'class'),
  // Only AWS_RETRY_MODE=adaptive uses these; the clients use standard retries.
  [`${SMITHY_CORE}retry/util-retry/AdaptiveRetryStrategy.js`]: refuse(
    'the adaptive retry mode (AWS_RETRY_MODE=adaptive)',
    'AdaptiveRetryStrategy',
    'class',
  ),
  [`${SMITHY_CORE}retry/util-retry/DefaultRateLimiter.js`]: refuse(
    'the adaptive retry mode (AWS_RETRY_MODE=adaptive)',
    'DefaultRateLimiter',
    'class',
  ),
  // Endpoint resolution calls resolveParamsForS3 only for a client whose serviceId is "s3"; none of
  // ours is. The two patterns stay as they are (exported constants of @smithy/core/endpoints).
  [`${SMITHY_CORE}endpoints/middleware-endpoint/service-customizations/s3.js`]:
    importNotBundled +
    'export const DOT_PATTERN = /\\./;\n' +
    'export const S3_HOSTNAME_PATTERN = /^(.+\\.)?s3(-fips)?(\\.dualstack)?[.-]([a-z0-9-]+)\\./;\n' +
    `export const resolveParamsForS3 = async () => { ${throwNotBundled('@smithy/core', 'resolveParamsForS3', S3_ONLY)} };\n` +
    `export const isDnsCompatibleBucketName = () => { ${throwNotBundled('@smithy/core', 'isDnsCompatibleBucketName', S3_ONLY)} };\n` +
    `export const isArnBucketName = () => { ${throwNotBundled('@smithy/core', 'isArnBucketName', S3_ONLY)} };\n`,
  // SignatureV4 builds a HeaderFormatter when constructed, and uses it only in signMessage, for an
  // event stream's messages: no operation we call streams events (see bundle-stubs/event-streams.ts).
  [`${SIGNATURE_V4}HeaderFormatter.js`]:
    importNotBundled +
    `export class HeaderFormatter { format() { ${throwNotBundled('@smithy/signature-v4', 'HeaderFormatter', EVENT_SIGNING)} } }\n` +
    `export class Int64 { constructor() { ${throwNotBundled('@smithy/signature-v4', 'Int64', EVENT_SIGNING)} } }\n`,
  // Powertools Logger buffers logs only when built with logBufferOptions (functions/shared/logger.ts
  // is not); every use of the buffer checks that first. Not the SDK, but the same kind of path.
  [`${POWERTOOLS_LOGGER}logBuffer.js`]:
    importNotBundled +
    ['SizedItem', 'SizedSet', 'CircularMap']
      .map((name) => refusing(LOG_BUFFERING, name, 'class', '@aws-lambda-powertools/logger'))
      .join(''),
};

/** A file of one of the packages above, as `<package>/<path>` (Windows separators allowed). */
const SDK_FILE =
  /[\\/]node_modules[\\/]((?:@smithy[\\/](?:core|signature-v4)[\\/]dist-es|@aws-lambda-powertools[\\/]logger[\\/]lib[\\/]esm)[\\/].+)$/;

/** esbuild plugin: loads LAMBDA_PROFILE_STUBS in place of those files. */
export const lambdaProfile = (): Plugin => ({
  name: 'clustershift-lambda-profile',
  setup(build) {
    build.onLoad({ filter: SDK_FILE }, (args) => {
      const file = SDK_FILE.exec(args.path)?.[1]?.replaceAll('\\', '/');
      const stub = file === undefined ? undefined : LAMBDA_PROFILE_STUBS[file];
      if (stub === undefined) return undefined;
      return { contents: stub, loader: 'ts', resolveDir: resolve(args.path, '..') };
    });
  },
});
