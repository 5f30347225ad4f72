import type { TargetView } from '../elbv2/view';
import { lastIndexAtOrBefore } from './step-series';

export interface HealthCounts {
  readonly healthy: number;
  readonly unhealthy: number;
  readonly registered: number;
}

/** Targets in `initial`, `draining`, `unused` or `unavailable` count as neither healthy nor unhealthy, as in CloudWatch. */
export const countHealth = (targets: readonly TargetView[]): HealthCounts => {
  let healthy = 0;
  let unhealthy = 0;
  for (const target of targets) {
    if (target.health === 'healthy') healthy++;
    else if (target.health === 'unhealthy') unhealthy++;
  }
  return { healthy, unhealthy, registered: targets.length };
};

const same = (a: HealthCounts | undefined, b: HealthCounts | undefined): boolean =>
  a === b ||
  (a !== undefined &&
    b !== undefined &&
    a.healthy === b.healthy &&
    a.unhealthy === b.unhealthy &&
    a.registered === b.registered);

/**
 * One target group's health counts over time. The ELBv2 view tells the model of each change of a
 * group's targets as it happens (its creation, registrations, health), stamped then; the model also
 * looks at every health-dependent query and `sync`, which stamps anything it was not told of (a
 * deletion) when it looks. `undefined` marks the target group gone (deleted): CloudWatch then has no
 * datapoints for it.
 */
export class HealthLog {
  private readonly times: number[] = [];
  private readonly counts: (HealthCounts | undefined)[] = [];

  get start(): number | undefined {
    return this.times[0];
  }

  get current(): HealthCounts | undefined {
    return this.counts.at(-1);
  }

  record(at: number, counts: HealthCounts | undefined): void {
    const last = this.times.length - 1;
    const lastAt = this.times[last];
    if (lastAt === undefined) {
      if (counts !== undefined) this.push(at, counts);
      return;
    }
    if (same(this.counts[last], counts)) return;
    if (at <= lastAt) this.counts[last] = counts;
    else this.push(at, counts);
  }

  at(t: number): HealthCounts | undefined {
    return this.counts[lastIndexAtOrBefore(this.times, t)];
  }

  private push(at: number, counts: HealthCounts | undefined): void {
    this.times.push(at);
    this.counts.push(counts);
  }
}
