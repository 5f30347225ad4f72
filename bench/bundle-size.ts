import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE_FILE, bundleFunction } from '../infra/bundling/bundle-function';
import { CHAT_HANDLER_NAMES, EVENT_HANDLER_NAMES, HANDLER_NAMES } from '../infra/handlers';

/**
 * Bundles each handler as CDK does (bundleFunction: esbuild, ESM, minified, node22, the SDK bundled
 * with its aliases, the SDK pruning plugin and the Lambda profile) and measures the minified size
 * and the cold module-load time in a fresh Node process (median of 5).
 */
export const measureBundles = async (root: string) => {
  const out = mkdtempSync(join(tmpdir(), 'clustershift-bundles-'));
  try {
    const results = [];
    for (const name of [...HANDLER_NAMES, ...EVENT_HANDLER_NAMES, ...CHAT_HANDLER_NAMES]) {
      const outdir = join(out, name);
      await bundleFunction(join(root, 'functions', `${name}.ts`), outdir);
      const outfile = join(outdir, BUNDLE_FILE);
      const loader = join(out, `load-${name}.mjs`);
      writeFileSync(
        loader,
        `const t = process.hrtime.bigint(); await import(${JSON.stringify(outfile)}); console.log(Number(process.hrtime.bigint() - t) / 1e6);`,
      );
      const env = { ...process.env, FLEET_CONFIG: '{}', TABLE_NAME: 't', AWS_REGION: 'eu-west-1' };
      const times = Array.from({ length: 5 }, () =>
        Number(execFileSync(process.execPath, [loader], { env }).toString().trim()),
      );
      times.sort((a, b) => a - b);
      results.push({
        function: name,
        bytes: statSync(outfile).size,
        coldLoadMs: Math.round((times[2] ?? 0) * 10) / 10,
      });
    }
    return results;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
};
