import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_CONFIG_FILE, DEMO_OUTDIR } from '../local/demo';
import { inputsHash } from '../local/synth';
import { round } from './stats';
import { failedSuites, parseTestSummary, type TestCounts } from './test-summary';

export interface CommandRun {
  readonly wallMs: number;
  readonly code: number | null;
  /** stdout and stderr as they came: shown only when the command fails. */
  readonly output: string;
}

/** Runs a command to its end, capturing its output, and times it from spawn to exit. */
export const timeCommand = (
  command: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv },
): Promise<CommandRun> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({ wallMs: performance.now() - started, code, output: Buffer.concat(chunks).toString('utf8') }),
    );
  });

const failure = (what: string, why: string, run: CommandRun): Error =>
  new Error(
    `${what} ${why} (exit ${run.code}, after ${round(run.wallMs / 1000)} s); its output ends:\n${run.output.slice(-4000)}`,
  );

/** local/synth.ts keeps the hash of the synth inputs next to the template it made from them. */
const SYNTH_HASH_FILE = join(DEMO_OUTDIR, '.inputs.sha256');

/** Whether `npm start` will find the demo stack already synthesized for the current sources. */
export const demoSynthCacheWarm = (): boolean =>
  existsSync(SYNTH_HASH_FILE) && readFileSync(SYNTH_HASH_FILE, 'utf8') === inputsHash(DEMO_CONFIG_FILE);

export interface NpmStartTime {
  readonly wallSeconds: number;
  readonly scenario: 'drain';
  /** The synthesized demo stack was cached (`.clustershift/demo/cdk.out`); cold adds the synth, 10–15 s here. */
  readonly synthCacheWarm: boolean;
}

/** `npm start` (the drain demo on the twin), as a user runs it; a failed demo fails the bench. */
export const measureNpmStart = async (root: string, env: NodeJS.ProcessEnv): Promise<NpmStartTime> => {
  const synthCacheWarm = demoSynthCacheWarm();
  const run = await timeCommand('npm', ['start'], { cwd: root, env });
  if (run.code !== 0) throw failure('npm start', 'failed', run);
  return { wallSeconds: round(run.wallMs / 1000), scenario: 'drain', synthCacheWarm };
};

export interface NpmTestTime extends TestCounts {
  readonly wallSeconds: number;
  readonly exitCode: number | null;
  readonly measuredAt: string;
  /** Which suites failed, when any did: the output itself is not kept. */
  readonly failedSuites?: readonly string[];
  /** Copied from the previous results (`--skip-tests`), not measured in this run. */
  readonly reused?: boolean;
}

/**
 * The whole jest suite (`npm test`), timed. Failing tests do not fail the bench (the time still
 * counts, and the counts show them); a run that never reached jest's summary line does.
 * `command` is for trying the bench out without the 6-minute suite.
 */
export const measureNpmTest = async (
  root: string,
  env: NodeJS.ProcessEnv,
  command: readonly [string, ...string[]] = ['npm', 'test'],
): Promise<NpmTestTime> => {
  const [program, ...args] = command;
  const measuredAt = new Date().toISOString();
  const run = await timeCommand(program, args, { cwd: root, env });
  const counts = parseTestSummary(run.output);
  if (counts === undefined) throw failure(command.join(' '), 'printed no summary line', run);
  const failed = counts.failed > 0 ? { failedSuites: failedSuites(run.output) } : {};
  return { wallSeconds: round(run.wallMs / 1000), ...counts, exitCode: run.code, measuredAt, ...failed };
};
