// `npm run chaos [-- --runs 1000 --from 1 --workers 2 --seeds 3,17 --time-scale 300]`: seeded chaos
// runs on the twin, each checked against the invariants; violations print with the seed to replay.
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../local/synth';
import type { RunResult } from './run-one';
import { summarize } from './summary';

const DEFAULT_TIME_SCALE = 300;

interface HarnessError {
  readonly seed: number;
  readonly message: string;
}

interface WorkerMessage {
  readonly result?: RunResult;
  readonly harnessError?: HarnessError;
  readonly ready?: boolean;
}

const quietEnvironment = (): NodeJS.ProcessEnv => ({
  ...process.env,
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});

/** A worker process: one twin, the seeds it is given, one result message per run. */
const worker = async (seeds: number[], timeScale: number): Promise<void> => {
  const { ChaosWorld } = await import('./world');
  const { runSeed } = await import('./run-one');
  const world = await ChaosWorld.start({ timeScale });
  process.send?.({ ready: true } satisfies WorkerMessage);
  for (const seed of seeds) {
    try {
      const result = await runSeed(world, seed);
      process.send?.({ result } satisfies WorkerMessage);
    } catch (error) {
      // The harness failed, not clustershift: reported apart, and the run fails.
      const message = error instanceof Error ? error.message : String(error);
      process.send?.({ harnessError: { seed, message } } satisfies WorkerMessage);
    }
  }
  await world.close();
};

const runWorkers = async (
  seeds: number[],
  workers: number,
  timeScale: number,
): Promise<{ results: RunResult[]; harnessErrors: HarnessError[] }> => {
  const results: RunResult[] = [];
  const harnessErrors: HarnessError[] = [];
  const slices = Array.from({ length: workers }, (_, w) => seeds.filter((_, i) => i % workers === w)).filter(
    (slice) => slice.length > 0,
  );
  let done = 0;
  await Promise.all(
    slices.map(
      (slice) =>
        new Promise<void>((resolve, reject) => {
          const child = fork(__filename, ['--worker', slice.join(','), '--time-scale', String(timeScale)], {
            execArgv: ['--import', 'tsx'],
            env: quietEnvironment(),
            stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
          });
          let stderr = '';
          child.stderr?.on('data', (chunk: Buffer) => {
            stderr = (stderr + chunk.toString()).slice(-4000);
          });
          child.on('message', (message: WorkerMessage) => {
            const { result, harnessError } = message;
            if (result === undefined && harnessError === undefined) return;
            if (result !== undefined) results.push(result);
            if (harnessError !== undefined) harnessErrors.push(harnessError);
            done += 1;
            const mark = harnessError !== undefined ? 'E' : result?.violations.length === 0 ? '.' : 'X';
            process.stdout.write(done % 50 === 0 ? `${mark} ${done}/${seeds.length}\n` : mark);
            // Printed as it happens, with the seed, so a long run need not finish to be acted on.
            for (const v of result?.violations ?? [])
              process.stdout.write(`\n  seed ${result?.seed}: ${v.invariant}: ${v.detail}\n`);
            if (harnessError !== undefined)
              process.stdout.write(`\n  seed ${harnessError.seed}: harness error: ${harnessError.message}\n`);
          });
          child.on('exit', (code) =>
            code === 0 ? resolve() : reject(new Error(`a chaos worker exited with ${code}:\n${stderr}`)),
          );
        }),
    ),
  );
  process.stdout.write('\n');
  return { results: results.sort((a, b) => a.seed - b.seed), harnessErrors };
};

const main = async (): Promise<number> => {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '1000' },
      from: { type: 'string', default: '1' },
      seeds: { type: 'string' },
      workers: { type: 'string', default: '2' },
      'time-scale': { type: 'string', default: String(DEFAULT_TIME_SCALE) },
      worker: { type: 'string' },
    },
  });
  const timeScale = Number(values['time-scale']);
  if (!(timeScale > 0))
    throw new Error(`--time-scale must be a positive number, got ${values['time-scale']}`);
  if (values.worker !== undefined) {
    await worker(values.worker.split(',').map(Number), timeScale);
    return 0;
  }
  const seeds =
    values.seeds !== undefined
      ? values.seeds.split(',').map((s) => Number(s.trim()))
      : Array.from({ length: Number(values.runs) }, (_, i) => Number(values.from) + i);
  if (seeds.length === 0 || seeds.some((s) => !Number.isSafeInteger(s))) {
    throw new Error('seeds must be whole numbers: --runs N [--from S], or --seeds a,b,c');
  }
  const workers = Math.max(1, Math.min(Number(values.workers) || 1, seeds.length));
  console.log(
    `clustershift chaos: ${seeds.length} seeded runs on the twin, ${workers} workers, time scale ${timeScale}`,
  );
  const began = Date.now();
  const { results, harnessErrors } = await runWorkers(seeds, workers, timeScale);
  const wallSeconds = Math.round((Date.now() - began) / 1000);
  const summary = summarize(results);
  for (const line of summary.lines) console.log(line);
  if (harnessErrors.length > 0) {
    console.log(
      `harness errors (the driver or twin failed; these runs checked nothing): ${harnessErrors.length}`,
    );
    for (const error of harnessErrors) console.log(`  seed ${error.seed}: ${error.message}`);
  }
  console.log(`wall time: ${wallSeconds} s`);
  const outDir = join(REPO_ROOT, '.clustershift', 'chaos');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, 'last-run.json'),
    `${JSON.stringify({ timeScale, wallSeconds, harnessErrors, results }, null, 1)}\n`,
  );
  console.log('every run: .clustershift/chaos/last-run.json');
  return summary.violations === 0 && harnessErrors.length === 0 ? 0 : 1;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
