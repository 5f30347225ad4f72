import { elbv2WriteFloorMs } from '../core/aws-limits';
import { runJsonChild } from './child-json';
import { FAILOVER_LATENCY_MS } from './failover';

/**
 * Twin seconds per real second for the fleet bench: ELBv2's buckets refill on the twin's clock, so
 * AWS's limits hold in twin time, and a 2,000-route drain (8,000 writes at 3 a second, about 50 twin
 * minutes) takes a few real minutes.
 */
export const FLEET_TIME_SCALE = 20;

/** What the controllers did over a window (twin ms), summed over blue's and green's. */
export interface ControllerWindow {
  readonly twinMs: number;
  readonly describes: number;
  readonly describesThrottled: number;
  readonly registrations: number;
  readonly registrationsThrottled: number;
}

export interface FleetRun {
  readonly mode: 'drain' | 'failover';
  readonly routes: number;
  readonly loadBalancers: number;
  readonly steps: number;
  readonly timeScale: number;
  /** Whether the functions' timeouts counted real or twin time (local/lambda/runtime.ts). */
  readonly lambdaTimeouts: 'real' | 'twin';
  readonly status: string;
  readonly error?: string;
  readonly cause?: string;
  /** Every route of the drained (failed-over) cluster at weight 0 at the end. */
  readonly drained: boolean;
  /** From the start (the alarm event for a failover) to the execution's end, twin ms. */
  readonly twinMs: number;
  /** From the start to the last weight written, twin ms. */
  readonly lastWriteMs: number;
  readonly writes: number;
  /** clustershift's ELBv2 calls (not the controllers'), throttled attempts included. */
  readonly elbv2Calls: number;
  readonly elbv2CallsPerRoutePerStep: number;
  readonly elbv2CallsByOperation: Readonly<Record<string, number>>;
  readonly elbv2CallsPerRoutePerStepByOperation: Readonly<Record<string, number>>;
  /**
   * The same calls by the function that made them (`Prepare`, `CheckGates` …), then by operation:
   * where each call came from (absent in results recorded before it was measured).
   */
  readonly elbv2CallsByFunction?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly elbv2Throttled: Readonly<Record<string, number>>;
  readonly controllersDuringShift: ControllerWindow;
  /** The same twin duration right after, with no shift running. */
  readonly controllersIdle: ControllerWindow;
  readonly history: {
    readonly events: number;
    readonly largestPayloadBytes: number;
    readonly largestPayloadState: string;
    readonly applyStepInvocations: number;
    readonly rollbackInvocations: number;
  };
}

export interface FleetFailover extends FleetRun {
  /** elbv2WriteFloorMs(routes) plus one call's latency: no failover can write every route faster. */
  readonly floorMs: number;
  /** lastWriteMs ÷ floorMs. */
  readonly ratio: number;
}

export interface FleetResults {
  readonly drains: FleetRun[];
  readonly failover?: FleetFailover;
}

export interface FleetOptions {
  /** Routes of the failover run; none when 0. Default 2,000. */
  readonly failoverRoutes?: number;
  readonly timeScale?: number;
  /** Default `real` (see FleetRun.lambdaTimeouts). */
  readonly lambdaTimeouts?: 'real' | 'twin';
}

const runOne = (
  root: string,
  mode: 'drain' | 'failover',
  routes: number,
  timeScale: number,
  timeouts: 'real' | 'twin',
): Promise<FleetRun> =>
  runJsonChild(root, 'fleet-run.ts', [mode, String(routes), String(timeScale), timeouts], 'fleet');

/**
 * Drains of blue at each size on the twin under AWS's documented ELBv2 limits, with blue's and green's
 * Load Balancer Controllers spending the same buckets, then a failover of green (its health alarm →
 * EventBridge → the workflow): ELBv2 calls per operation per route per step, twin time, the
 * controllers' throttled calls with and without the shift, the execution's history events and its
 * largest payload. Each run in a fresh twin process.
 */
export const measureFleet = async (
  root: string,
  sizes: readonly number[],
  options: FleetOptions = {},
): Promise<FleetResults> => {
  const timeScale = options.timeScale ?? FLEET_TIME_SCALE;
  const timeouts = options.lambdaTimeouts ?? 'real';
  const drains: FleetRun[] = [];
  for (const routes of sizes) drains.push(await runOne(root, 'drain', routes, timeScale, timeouts));
  const failoverRoutes = options.failoverRoutes ?? 2_000;
  if (failoverRoutes <= 0) return { drains };
  const run = await runOne(root, 'failover', failoverRoutes, timeScale, timeouts);
  const floorMs = Math.round(elbv2WriteFloorMs(failoverRoutes) + FAILOVER_LATENCY_MS);
  return {
    drains,
    failover: { ...run, floorMs, ratio: Math.round((run.lastWriteMs / floorMs) * 100) / 100 },
  };
};

// `node --import tsx bench/fleet.ts [sizes…]`: prints the results as JSON (the lead wires measureFleet
// into bench/run.ts). FLEET_FAILOVER_ROUTES=0 skips the failover; FLEET_LAMBDA_TIMEOUTS=twin counts
// the functions' timeouts in twin time.
if (require.main === module) {
  const sizes = process.argv.slice(2).map(Number);
  measureFleet(process.cwd(), sizes.length > 0 ? sizes : [100, 500, 2_000], {
    failoverRoutes: Number(process.env.FLEET_FAILOVER_ROUTES ?? 2_000),
    lambdaTimeouts: process.env.FLEET_LAMBDA_TIMEOUTS === 'twin' ? 'twin' : 'real',
  }).then(
    (results) => process.stdout.write(`${JSON.stringify(results, null, 2)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
