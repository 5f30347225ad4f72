import type { ApiThrottle } from './api-throttle';
import type { TwinClock } from './clock';

/**
 * Simulated AWS Load Balancer Controllers, one per cluster, spending the account's ELBv2 buckets in
 * the background as the real ones do (DescribeTargetHealth and DescribeTargetGroups while they
 * reconcile TargetGroupBindings, RegisterTargets as pods come and go). They exist to answer one
 * question: does clustershift starve the controllers that register the receiving cluster's new pods?
 * So each records how many of its calls were throttled.
 */
export interface LbControllersOption {
  /** One controller per name (the clusters). */
  readonly clusters: readonly string[];
  /**
   * Describe calls per second per controller. AWS publishes no figure for the controller; the
   * default, 1 per second, is our assumption of a steady reconcile load (a cluster with a few dozen
   * TargetGroupBindings re-reading target health as pods change), well under the 10 per second the
   * account's describe bucket refills at.
   */
  readonly describesPerSecond?: number;
  /** RegisterTargets/DeregisterTargets per second per controller (pods coming and going). Default 0.2. */
  readonly registrationsPerSecond?: number;
}

export interface ControllerStats {
  readonly cluster: string;
  readonly describes: number;
  readonly describesThrottled: number;
  readonly registrations: number;
  readonly registrationsThrottled: number;
}

export const DEFAULT_CONTROLLER_DESCRIBES_PER_SECOND = 1;
export const DEFAULT_CONTROLLER_REGISTRATIONS_PER_SECOND = 0.2;

/** How often the controllers wake up, real ms; calls due in between are made on waking. */
const TICK_REAL_MS = 20;
/** A test that jumps the clock an hour ahead must not fire an hour of calls at once. */
const MAX_CATCH_UP_PER_TICK = 20;

interface Stream {
  readonly action: 'DescribeTargetHealth' | 'RegisterTargets';
  readonly intervalMs: number;
  /** Twin time of the next call. */
  next: number;
  calls: number;
  throttled: number;
}

interface Controller {
  readonly cluster: string;
  readonly streams: Stream[];
}

export class LbControllers {
  private readonly controllers: Controller[];
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly clock: TwinClock,
    private readonly throttle: ApiThrottle,
    option: LbControllersOption,
  ) {
    const describes = option.describesPerSecond ?? DEFAULT_CONTROLLER_DESCRIBES_PER_SECOND;
    const registrations = option.registrationsPerSecond ?? DEFAULT_CONTROLLER_REGISTRATIONS_PER_SECOND;
    for (const [name, rate] of [
      ['describesPerSecond', describes],
      ['registrationsPerSecond', registrations],
    ] as const) {
      if (!(rate >= 0) || !Number.isFinite(rate)) {
        throw new Error(`lbControllers.${name} must be a number ≥ 0, got ${rate}`);
      }
    }
    const start = clock.now();
    const count = option.clusters.length;
    this.controllers = option.clusters.map((cluster, index) => {
      // Spread the controllers over the interval: real controllers do not call in step.
      const phase = count === 0 ? 0 : index / count;
      const rates: Array<[Stream['action'], number]> = [
        ['DescribeTargetHealth', describes],
        ['RegisterTargets', registrations],
      ];
      const streams = rates
        .filter(([, rate]) => rate > 0)
        .map(([action, rate]): Stream => {
          const intervalMs = 1000 / rate;
          return { action, intervalMs, next: start + phase * intervalMs, calls: 0, throttled: 0 };
        });
      return { cluster, streams };
    });
  }

  start(): void {
    if (this.timer !== undefined || this.controllers.length === 0) return;
    this.timer = setInterval(() => this.tick(), TICK_REAL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Makes every call due by now (called by the timer; tests call it after moving the clock). */
  tick(): void {
    const now = this.clock.now();
    for (const controller of this.controllers) {
      for (const stream of controller.streams) {
        let made = 0;
        while (stream.next <= now && made < MAX_CATCH_UP_PER_TICK) {
          stream.calls += 1;
          if (!this.throttle.tryElbv2(stream.action, 'background')) stream.throttled += 1;
          stream.next += stream.intervalMs;
          made += 1;
        }
        // Calls a jump of the clock skipped are not made late.
        if (stream.next <= now) stream.next = now + stream.intervalMs;
      }
    }
  }

  stats(): ControllerStats[] {
    return this.controllers.map(({ cluster, streams }) => {
      const of = (action: Stream['action']) => streams.find((stream) => stream.action === action);
      return {
        cluster,
        describes: of('DescribeTargetHealth')?.calls ?? 0,
        describesThrottled: of('DescribeTargetHealth')?.throttled ?? 0,
        registrations: of('RegisterTargets')?.calls ?? 0,
        registrationsThrottled: of('RegisterTargets')?.throttled ?? 0,
      };
    });
  }
}
