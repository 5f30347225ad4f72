import { readFileSync } from 'node:fs';
import type { Plugin } from 'esbuild';

/**
 * The modelled AWS errors our code reacts to by name (aws/aws-errors.ts, aws/store-db.ts, aws/sfn.ts,
 * aws/elbv2-read.ts) or reads fields of (ConditionalCheckFailedException's `Item`): these keep their
 * SDK classes. Any other modelled error reaches us as the service's base exception with the same
 * `name` (the wire code) and message, which is all the rest of our code looks at.
 */
export const HANDLED_AWS_ERRORS: readonly string[] = [
  'ConditionalCheckFailedException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
  'TooManyRequestsException',
  'ListenerNotFoundException',
  'ExecutionAlreadyExists',
  'ExecutionDoesNotExist',
];

/** A client's schema file: `n0_registry.registerError(FooException$, FooException);` per modelled error. */
const SCHEMA_FILE = /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;
const ERROR_REGISTRATION = /^(\w+)_registry\.registerError\((\w+)\$, (\w+)\);$/gm;
/** `const _ACAC = "AuthenticateCognitoActionConfig";`, the string constants the schemas share. */
const STRING_CONSTANT = /^const (_\w+) = ("[^"\n]*");$/gm;
const COMPUTED_KEY = /\[(_\w+)\]:/g;

/**
 * Rewrites one client schema file so that esbuild can drop what we never use. By hand, because no
 * library does it: each SDK client registers every one of its modelled errors (class and schema)
 * as a side effect of loading, so a bundle carries 50-70 error classes per client (20-40 KB in all).
 * - Registrations of errors outside `keep` are removed (the service's base exception stays).
 * - Computed keys naming a string constant (`[_hE]: 400`) become plain keys, which leaves the
 *   schemas free of side effects for esbuild, so the unused ones are dropped too.
 */
export const pruneSchemaSource = (source: string, keep: ReadonlySet<string>): string => {
  const constants = new Map<string, string>();
  for (const [, name, value] of source.matchAll(STRING_CONSTANT))
    constants.set(name as string, value as string);
  return source
    .replace(ERROR_REGISTRATION, (line, registry: string, _schema: string, errorClass: string) =>
      registry !== 'n0' || keep.has(errorClass) ? line : '',
    )
    .replace(COMPUTED_KEY, (key, name: string) => {
      const value = constants.get(name);
      return value === undefined ? key : `${value}:`;
    });
};

/** A client's package.json is bundled for its version (the user agent); keep only name and version. */
const CLIENT_PACKAGE_JSON = /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]package\.json$/;

export const slimPackageJson = (text: string): string => {
  const { name, version } = JSON.parse(text) as { name?: unknown; version?: unknown };
  return JSON.stringify({ name, version });
};

/** The endpoint partitions table of @aws-sdk/core: every region with its display name. */
const PARTITIONS_FILE = /[\\/]@aws-sdk[\\/]core[\\/]dist-es[\\/].*[\\/]aws[\\/]partitions\.js$/;
const REGION_DESCRIPTION = /\{\s*"description": "[^"\n]*"\s*\}/g;

/**
 * Empties each region's entry of the partitions table (~2 KB a bundle). A region's only field is
 * its display name ("Europe (Ireland)"), which endpoint resolution copies into its partition result
 * and no endpoint rule of ours reads; the region names, which it matches on, stay.
 */
export const dropRegionDescriptions = (source: string): string => source.replace(REGION_DESCRIPTION, '{}');

/** esbuild plugin: the rewrites above on the SDK's files. */
export const sdkPruning = (keep: readonly string[] = HANDLED_AWS_ERRORS): Plugin => {
  const kept = new Set(keep);
  return {
    name: 'clustershift-sdk-pruning',
    setup(build) {
      build.onLoad({ filter: SCHEMA_FILE }, (args) => ({
        contents: pruneSchemaSource(readFileSync(args.path, 'utf8'), kept),
        loader: 'js',
      }));
      build.onLoad({ filter: CLIENT_PACKAGE_JSON }, (args) => ({
        contents: slimPackageJson(readFileSync(args.path, 'utf8')),
        loader: 'json',
      }));
      build.onLoad({ filter: PARTITIONS_FILE }, (args) => ({
        contents: dropRegionDescriptions(readFileSync(args.path, 'utf8')),
        loader: 'js',
      }));
    },
  };
};
