import { ELBV2_API_BUCKETS, elbv2WriteFloorMs } from '../core/aws-limits';
import { DEFAULT_CONTROLLER_DESCRIBES_PER_SECOND } from '../local/lb-controllers';
import { runJsonChild } from './child-json';

/** What each run adds to AWS's documented limits: ELBv2 answers this slowly (a network round trip). */
export const FAILOVER_LATENCY_MS = 50;
/** Background AWS Load Balancer Controllers spending the account's ELBv2 buckets: blue's and green's. */
export const FAILOVER_CONTROLLERS = ['blue', 'green'] as const;

export interface FailoverLatency {
  readonly routes: number;
  /** From the alarm event to the last weight written, ms. */
  readonly measuredMs: number;
  /** From the alarm event to the first weight written (reads, planning, the lock), ms. */
  readonly firstWriteMs: number;
  /**
   * The least time in which ELBv2's documented mutating bucket (20 tokens, 3 per second) accepts a
   * write per route, plus one call's latency: no failover can write every route faster.
   */
  readonly floorMs: number;
  readonly ratio: number;
  readonly writes: number;
  /** Requests the sick cluster received between the alarm and the last write (the twin's traffic model). */
  readonly exposure: number;
  /** The same at the optimum: every write at the bucket's pace, busiest route first, no reads. */
  readonly optimumExposure: number;
  /** The optimum starting at clustershift's first write instead of the alarm. */
  readonly optimumExposureSameStart: number;
  /** exposure / optimumExposure: what the whole failover costs against the best possible writer. */
  readonly exposureRatio: number;
  /** exposure / optimumExposureSameStart: the cost of the write order and pace alone. */
  readonly exposureRatioSameStart: number;
  /** clustershift's ELBv2 calls the twin refused with Throttling (the calls were retried). */
  readonly throttled: number;
  /** The background controllers' ELBv2 calls during the run, and how many were throttled. */
  readonly controllerCalls: number;
  readonly controllerThrottled: number;
  /** The same controllers alone just before the alarm, for comparison. */
  readonly controllersIdle: { readonly ms: number; readonly calls: number; readonly throttled: number };
  /** Executions the alarm started that did not succeed (a failover that failed to write). */
  readonly failedExecutions: number;
}

export interface FailoverSetup {
  readonly latencyMs: number;
  readonly mutatingBucket: { readonly capacity: number; readonly refillPerSecond: number };
  readonly describeBucket: { readonly capacity: number; readonly refillPerSecond: number };
  readonly controllers: number;
  readonly controllerDescribesPerSecond: number;
}

export const FAILOVER_SETUP: FailoverSetup = {
  latencyMs: FAILOVER_LATENCY_MS,
  mutatingBucket: ELBV2_API_BUCKETS.mutating,
  describeBucket: ELBV2_API_BUCKETS.describe,
  controllers: FAILOVER_CONTROLLERS.length,
  controllerDescribesPerSecond: DEFAULT_CONTROLLER_DESCRIBES_PER_SECOND,
};

const ratioOf = (measured: number, optimum: number): number =>
  Math.round((measured / Math.max(1, optimum)) * 100) / 100;

type ChildRun = Omit<FailoverLatency, 'floorMs' | 'ratio' | 'exposureRatio' | 'exposureRatioSameStart'>;

const runOne = (root: string, routes: number): Promise<ChildRun> =>
  runJsonChild(root, 'failover-run.ts', [String(routes), String(FAILOVER_LATENCY_MS)], 'failover');

/**
 * Failover latency on the twin under AWS's documented ELBv2 limits, with two Load Balancer
 * Controllers spending the same buckets: green's health alarm enters ALARM, EventBridge starts the
 * workflow from the synthesized template, and the clock stops at the last weight written. Each size
 * runs in a fresh twin process.
 */
export const measureFailoverLatency = async (
  root: string,
  sizes: readonly number[],
): Promise<FailoverLatency[]> => {
  const results: FailoverLatency[] = [];
  for (const routes of sizes) {
    const run = await runOne(root, routes);
    const floorMs = Math.round(elbv2WriteFloorMs(routes) + FAILOVER_LATENCY_MS);
    results.push({
      ...run,
      floorMs,
      ratio: Math.round((run.measuredMs / floorMs) * 100) / 100,
      exposureRatio: ratioOf(run.exposure, run.optimumExposure),
      exposureRatioSameStart: ratioOf(run.exposure, run.optimumExposureSameStart),
    });
  }
  return results;
};
