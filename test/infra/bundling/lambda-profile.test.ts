import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { LAMBDA_PROFILE_STUBS, lambdaProfile } from '../../../infra/bundling/lambda-profile';

const ROOT = join(__dirname, '..', '..', '..');
const SUBMODULES = join(ROOT, 'node_modules', '@smithy', 'core', 'dist-es', 'submodules');

describe('the Lambda profile', () => {
  it.each(Object.keys(LAMBDA_PROFILE_STUBS))('replaces %s, a file the installed @smithy/core has', (file) => {
    // Act / Assert: a file the SDK moved would silently stay in the bundles
    expect(existsSync(join(SUBMODULES, file))).toBe(true);
  });

  it('finds no shared config file, and throws NotBundledError naming what was reached otherwise', async () => {
    // Prepare: an entry importing the stubbed modules through @smithy/core, as the SDK does
    mkdirSync(join(ROOT, '.clustershift'), { recursive: true });
    const dir = mkdtempSync(join(ROOT, '.clustershift', 'lambda-profile-'));
    const entry = join(dir, 'entry.mjs');
    writeFileSync(
      entry,
      `import { loadSharedConfigFiles } from '@smithy/core/config';
import { Sha256Js } from '@smithy/core/checksum';
import { AdaptiveRetryStrategy } from '@smithy/core/retry';
export const files = () => loadSharedConfigFiles();
export const sha = () => new Sha256Js();
export const adaptive = () => new AdaptiveRetryStrategy(async () => 3);
`,
    );
    const out = join(dir, 'out.cjs');
    await build({
      entryPoints: [entry],
      bundle: true,
      format: 'cjs',
      platform: 'node',
      outfile: out,
      plugins: [lambdaProfile()],
      logLevel: 'silent',
    });

    // Act
    const bundle = require(out);

    // Assert
    await expect(bundle.files()).resolves.toEqual({ configFile: {}, credentialsFile: {} });
    expect(() => bundle.sha()).toThrow(expect.objectContaining({ name: 'NotBundledError' }));
    expect(() => bundle.adaptive()).toThrow(/adaptive retry mode \(AWS_RETRY_MODE=adaptive\)/);
    rmSync(dir, { recursive: true, force: true });
  });
});
