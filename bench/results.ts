import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { measureBundles } from './bundle-size';
import type { ChatHandlingTime } from './chatops';
import type { FailoverLatency, FailoverSetup } from './failover';
import type { FleetResults } from './fleet';
import type { TwinThroughput } from './twin-throughput';
import type { NpmStartTime, NpmTestTime } from './wall-time';

/** bench/results.json: the last run's figures, and the flat figures of the run before it. */
export interface BenchResults {
  readonly measuredAt: string;
  readonly node: string;
  /** Other work on the machine slows every figure: the 1-minute load average around the run. */
  readonly machine?: {
    readonly cpus: number;
    readonly loadAverageAtStart: number;
    readonly loadAverageAtEnd: number;
  };
  readonly bundles: Awaited<ReturnType<typeof measureBundles>>;
  /** Drains (and the large failover) on the twin under AWS's ELBv2 limits, by fleet size. */
  readonly fleet: FleetResults;
  readonly chat: ChatHandlingTime;
  readonly failover: FailoverSetup & { readonly runs: readonly FailoverLatency[] };
  readonly npmStart: NpmStartTime;
  /** Absent when `--skip-tests` found nothing to reuse. */
  readonly npmTest?: NpmTestTime;
  readonly twinThroughput: TwinThroughput;
  readonly budgets: { readonly ok: number; readonly over: number };
  /** The replaced run's figures by key (bench/figures.ts), for the comparison; older runs: git log. */
  readonly previous?: { readonly measuredAt: string; readonly figures: Readonly<Record<string, number>> };
}

/** The results a run replaces; older files lack some sections, so every section is optional. */
export const readPreviousResults = (file: string): Partial<BenchResults> | undefined =>
  existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<BenchResults>) : undefined;

export const writeResults = (file: string, results: BenchResults): void =>
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
