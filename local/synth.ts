import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * Synthesizes the stack for a fleet config in-process (the same app `npm run synth` runs), into a
 * directory of its own, and skips the work when nothing that goes into the template changed: the
 * inputs are hashed (sources of every folder that ends up in a bundle or the template, the config,
 * the lockfile). Concurrent callers (parallel test workers) take turns through a lock directory.
 */
export const REPO_ROOT = resolve(__dirname, '..');
const INPUT_DIRS = ['core', 'aws', 'functions', 'statemachines', 'infra'];
const INPUT_FILES = ['package-lock.json', 'tsconfig.json'];
const HASH_FILE = '.inputs.sha256';

const listFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return listFiles(path);
      return /\.(ts|json|mjs|cjs|js)$/.test(entry.name) ? [path] : [];
    })
    .sort();

export const inputsHash = (configFile: string): string => {
  const hash = createHash('sha256');
  const files = [
    ...INPUT_DIRS.flatMap((dir) => listFiles(join(REPO_ROOT, dir))),
    ...INPUT_FILES.map((file) => join(REPO_ROOT, file)),
  ];
  for (const file of files) {
    hash.update(relative(REPO_ROOT, file));
    hash.update(readFileSync(file));
  }
  hash.update(readFileSync(configFile));
  return hash.digest('hex');
};

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

const withLock = async <T>(lockDir: string, work: () => Promise<T>): Promise<T> => {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      // A lock left by a process that died long ago does not block forever.
      const age = existsSync(lockDir) ? Date.now() - statSync(lockDir).mtimeMs : 0;
      if (age > 120_000) rmSync(lockDir, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for the synth lock ${lockDir}`);
      await sleep(200);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
};

export interface SynthResult {
  readonly templateFile: string;
  readonly outdir: string;
  readonly cached: boolean;
  readonly stackName: string;
}

export const synthesizeFleet = async (configFile: string, outdir: string): Promise<SynthResult> => {
  const configPath = resolve(configFile);
  const target = resolve(outdir);
  mkdirSync(resolve(target, '..'), { recursive: true });
  return withLock(`${target}.lock`, async () => {
    // Loaded here, not at the top: CDK takes seconds to import and most twin runs do not synth.
    const { App } = await import('aws-cdk-lib');
    const { buildApp } = await import('../infra/build-app');
    const { loadFleetConfigFile } = await import('../infra/config-file');
    const { stackNameFor } = await import('../infra/stack');
    const config = loadFleetConfigFile({ path: configPath, source: 'context' });
    const stackName = stackNameFor(config);
    const templateFile = join(target, `${stackName}.template.json`);
    const hash = inputsHash(configPath);
    const hashFile = join(target, HASH_FILE);
    if (existsSync(templateFile) && existsSync(hashFile) && readFileSync(hashFile, 'utf8') === hash) {
      return { templateFile, outdir: target, cached: true, stackName };
    }
    const staging = `${target}.staging`;
    rmSync(staging, { recursive: true, force: true });
    // Asset metadata (each function's bundle directory) is what the twin loads the handlers from;
    // the CDK CLI turns it on, an in-process App has to ask.
    const app = new App({ outdir: staging, context: { 'aws:cdk:enable-asset-metadata': true } });
    buildApp(app, config);
    app.synth();
    writeFileSync(join(staging, HASH_FILE), hash);
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
    return { templateFile, outdir: target, cached: false, stackName };
  });
};
