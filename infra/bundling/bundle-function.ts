import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleBuildOptions } from './settings';

/** The file each function's asset holds; its handler is `index.handler`. */
export const BUNDLE_FILE = 'index.mjs';

/**
 * The fleet config's file in each function's asset, beside the bundle: the function finds it through
 * its `FLEET_CONFIG_FILE` variable, relative to its code root (functions/shared/fleet-config.ts).
 */
export const FLEET_CONFIG_FILE = 'fleet-config.json';

/** The variable through which CDK hands the bundler process the fleet config's JSON. */
export const BUNDLE_FLEET_CONFIG_VARIABLE = 'CLUSTERSHIFT_FLEET_CONFIG';

/**
 * Bundles one handler into `outdir` (index.mjs and its source map, without the sources: stack
 * traces map back to file and line without shipping every dependency's source), and writes the
 * fleet config's JSON beside it as {@link FLEET_CONFIG_FILE} when one is given.
 */
export const bundleFunction = async (entry: string, outdir: string, fleetConfig?: string): Promise<void> => {
  await build({
    ...bundleBuildOptions(entry),
    outfile: join(outdir, BUNDLE_FILE),
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'error',
  });
  if (fleetConfig !== undefined) writeFileSync(join(outdir, FLEET_CONFIG_FILE), fleetConfig);
};

// CDK's local bundling runs synchronously, and esbuild runs plugins only in its asynchronous API:
// CDK runs this file as a child process (`node --import tsx bundle-function.ts <entry> <outdir>`,
// the fleet config's JSON in CLUSTERSHIFT_FLEET_CONFIG).
if (require.main === module) {
  const [entry, outdir] = process.argv.slice(2);
  if (entry === undefined || outdir === undefined) {
    console.error('usage: bundle-function.ts <entry.ts> <outdir>');
    process.exit(2);
  }
  bundleFunction(entry, outdir, process.env[BUNDLE_FLEET_CONFIG_VARIABLE]).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
