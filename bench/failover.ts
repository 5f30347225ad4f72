import { runJsonChild } from './child-json';

/** What each run injects: ELBv2 answers this slowly, and takes at most this many writes per second. */
export const FAILOVER_LATENCY_MS = 50;
export const FAILOVER_WRITES_PER_SECOND = 25;

export interface FailoverLatency {
  readonly routes: number;
  /** From the alarm event to the last weight written, ms. */
  readonly measuredMs: number;
  /** From the alarm event to the first weight written (reads, planning, the lock), ms. */
  readonly firstWriteMs: number;
  /** routes ÷ write rate + one call's latency: no failover can write every route faster. */
  readonly floorMs: number;
  readonly ratio: number;
  readonly writes: number;
  readonly throttled: number;
}

const runOne = (root: string, routes: number): Promise<Omit<FailoverLatency, 'floorMs' | 'ratio'>> =>
  runJsonChild(
    root,
    'failover-run.ts',
    [String(routes), String(FAILOVER_LATENCY_MS), String(FAILOVER_WRITES_PER_SECOND)],
    'failover',
  );

/**
 * Failover latency on the twin: green's health alarm enters ALARM, EventBridge starts the workflow
 * from the synthesized template, and the clock stops at the last weight written. Each size runs in
 * a fresh twin process.
 */
export const measureFailoverLatency = async (
  root: string,
  sizes: readonly number[],
): Promise<FailoverLatency[]> => {
  const results: FailoverLatency[] = [];
  for (const routes of sizes) {
    const run = await runOne(root, routes);
    const floorMs = Math.round((routes / FAILOVER_WRITES_PER_SECOND) * 1000 + FAILOVER_LATENCY_MS);
    results.push({ ...run, floorMs, ratio: Math.round((run.measuredMs / floorMs) * 100) / 100 });
  }
  return results;
};
