import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleBuildOptions } from './settings';

/** The file each function's asset holds; its handler is `index.handler`. */
export const BUNDLE_FILE = 'index.mjs';

/**
 * Bundles one handler into `outdir` (index.mjs and its source map, without the sources: stack
 * traces map back to file and line without shipping every dependency's source).
 */
export const bundleFunction = async (entry: string, outdir: string): Promise<void> => {
  await build({
    ...bundleBuildOptions(entry),
    outfile: join(outdir, BUNDLE_FILE),
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'error',
  });
};

// CDK's local bundling runs synchronously, and esbuild runs plugins only in its asynchronous API:
// CDK runs this file as a child process (`node --import tsx bundle-function.ts <entry> <outdir>`).
if (require.main === module) {
  const [entry, outdir] = process.argv.slice(2);
  if (entry === undefined || outdir === undefined) {
    console.error('usage: bundle-function.ts <entry.ts> <outdir>');
    process.exit(2);
  }
  bundleFunction(entry, outdir).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
