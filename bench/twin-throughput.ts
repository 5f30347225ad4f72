import { runJsonChild } from './child-json';
import type { LoadResult } from './load';

export const THROUGHPUT_ROUTES = 500;
export const THROUGHPUT_CONCURRENCY = 16;
export const THROUGHPUT_DURATION_MS = 5000;

export interface TwinThroughput {
  readonly routes: number;
  readonly concurrency: number;
  readonly durationMs: number;
  /** `read`: DescribeRules pages, DescribeTargetHealth, DescribeTags, DescribeAlarms in turn; `write`: ModifyRule. */
  readonly loads: readonly (LoadResult & { readonly load: 'read' | 'write' })[];
}

/**
 * Requests per second the twin serves for a 500-route fleet, through the real SDK clients, with no
 * faults: a fresh twin in a child process, clients and twin on its one event loop.
 */
export const measureTwinThroughput = async (root: string): Promise<TwinThroughput> => {
  const result = await runJsonChild<TwinThroughput>(
    root,
    'twin-throughput-run.ts',
    [THROUGHPUT_ROUTES, THROUGHPUT_CONCURRENCY, THROUGHPUT_DURATION_MS].map(String),
    'twinThroughput',
  );
  const failed = result.loads.find((load) => load.errors > 0);
  // No faults are injected: any error is a twin or client bug, and would flatter the rate.
  if (failed !== undefined)
    throw new Error(`twin ${failed.load} load: ${failed.errors} errors, first: ${failed.firstError}`);
  return result;
};
