/** Index of the last of `times` (ascending) at or before `t`; -1 if `t` precedes them all. */
export const lastIndexAtOrBefore = (times: readonly number[], t: number): number => {
  let low = 0;
  let high = times.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if ((times[middle] ?? Number.POSITIVE_INFINITY) <= t) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
};

/**
 * A value per second that is constant between breakpoints (a request rate, an error rate), with its
 * running integral, so the requests in any interval cost two binary searches. Breakpoints only
 * append: the twin's clock does not run backwards, and an event stamped before the last breakpoint
 * is taken as happening at it (the same instant, in practice). Zero before the first breakpoint.
 */
export class StepSeries {
  private readonly times: number[] = [];
  private readonly values: number[] = [];
  /** Integral of the value (value × ms) from the first breakpoint to times[i]. */
  private readonly areas: number[] = [];

  /** When the value first became non-zero; undefined while it never has. */
  get start(): number | undefined {
    return this.times[0];
  }

  get current(): number {
    return this.values.at(-1) ?? 0;
  }

  /** From `at` (twin epoch ms) on, the value is `value`. */
  set(at: number, value: number): void {
    const last = this.times.length - 1;
    const lastAt = this.times[last];
    const lastValue = this.values[last];
    const lastArea = this.areas[last];
    if (lastAt === undefined || lastValue === undefined || lastArea === undefined) {
      if (value !== 0) this.push(at, value, 0);
      return;
    }
    if (value === lastValue) return;
    if (at <= lastAt) {
      this.values[last] = value;
      return;
    }
    this.push(at, value, lastArea + lastValue * (at - lastAt));
  }

  valueAt(t: number): number {
    return this.values[lastIndexAtOrBefore(this.times, t)] ?? 0;
  }

  /** Integral of the value per second over (-∞, t): requests, when the value is requests per second. */
  integral(t: number): number {
    const index = lastIndexAtOrBefore(this.times, t);
    const at = this.times[index];
    const value = this.values[index];
    const area = this.areas[index];
    if (at === undefined || value === undefined || area === undefined) return 0;
    return (area + value * (t - at)) / 1000;
  }

  private push(at: number, value: number, area: number): void {
    this.times.push(at);
    this.values.push(value);
    this.areas.push(area);
  }
}

/**
 * A StepSeries that is the sum of named parts (the routes sending to a target group, say). The sum
 * is recomputed from the parts at each change rather than adjusted by deltas, so a drained target
 * group reads exactly 0 instead of a floating-point residue.
 */
export class SumSeries {
  readonly series = new StepSeries();
  private readonly parts = new Map<string, number>();

  part(name: string): number {
    return this.parts.get(name) ?? 0;
  }

  set(at: number, name: string, value: number): void {
    if (value === 0) this.parts.delete(name);
    else this.parts.set(name, value);
    let sum = 0;
    for (const part of this.parts.values()) sum += part;
    this.series.set(at, sum);
  }
}
