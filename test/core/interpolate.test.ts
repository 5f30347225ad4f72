import fc from 'fast-check';
import { weightsAt } from '../../core/interpolate';
import { totalWeight } from '../../core/routes';

const arns = ['tg-a', 'tg-b', 'tg-c', 'tg-d', 'tg-e'];

/** W0 and W1 over 1–5 target groups with the same total (what drain, shift and failover produce). */
const sameTotalPair = fc.integer({ min: 1, max: 5 }).chain((n) =>
  fc
    .tuple(
      fc.array(fc.integer({ min: 0, max: 999 }), { minLength: n, maxLength: n }),
      fc.array(fc.nat(), { minLength: n, maxLength: n }),
    )
    .map(([from, shares]) => {
      const keys = arns.slice(0, n);
      const total = from.reduce((a, b) => a + b, 0);
      // Spread the same total over the target groups, respecting the 999 cap.
      const to = keys.map(() => 0);
      let left = total;
      shares.forEach((share, i) => {
        const give = Math.min(999, left, share % 1000);
        to[i] = give;
        left -= give;
      });
      for (let i = 0; left > 0 && i < n; i++) {
        const give = Math.min(999 - (to[i] ?? 0), left);
        to[i] = (to[i] ?? 0) + give;
        left -= give;
      }
      return {
        from: Object.fromEntries(keys.map((k, i) => [k, from[i] ?? 0])),
        to: Object.fromEntries(keys.map((k, i) => [k, to[i] ?? 0])),
      };
    }),
);

const stepsArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 99 }), { maxLength: 8 })
  .map((values) => [...values.sort((a, b) => a - b).map((v) => v / 100), 1]);

describe('weightsAt', () => {
  it('is exact at both ends', () => {
    fc.assert(
      fc.property(sameTotalPair, ({ from, to }) => {
        expect(weightsAt(from, to, 0)).toEqual(from);
        expect(weightsAt(from, to, 1)).toEqual(to);
      }),
    );
  });

  it('keeps integer weights within 0–999 and the total of W0 at every step', () => {
    fc.assert(
      fc.property(sameTotalPair, stepsArb, ({ from, to }, steps) => {
        for (const fraction of steps) {
          const weights = weightsAt(from, to, fraction);
          for (const w of Object.values(weights)) {
            expect(Number.isInteger(w)).toBe(true);
            expect(w).toBeGreaterThanOrEqual(0);
            expect(w).toBeLessThanOrEqual(999);
          }
          expect(totalWeight(weights)).toBe(totalWeight(from));
        }
      }),
    );
  });

  it('moves every target group monotonically from its W0 weight towards its W1 weight', () => {
    fc.assert(
      fc.property(sameTotalPair, stepsArb, ({ from, to }, steps) => {
        let previous: Record<string, number> = { ...from };
        for (const fraction of steps) {
          const weights = weightsAt(from, to, fraction);
          for (const arn of Object.keys(from)) {
            const direction = Math.sign((to[arn] ?? 0) - (from[arn] ?? 0));
            const change = (weights[arn] ?? 0) - (previous[arn] ?? 0);
            expect(change * direction).toBeGreaterThanOrEqual(0);
            if (direction === 0) expect(change).toBe(0);
          }
          previous = weights;
        }
      }),
    );
  });

  it('gives a receiver weight from the first step on, however small the step', () => {
    expect(weightsAt({ a: 100, b: 0 }, { a: 0, b: 100 }, 0.001)).toEqual({ a: 99, b: 1 });
  });

  it('stays monotonic with three receivers where largest-remainder rounding would not (Alabama paradox)', () => {
    const from = { a: 10, b: 0, c: 0, d: 0 };
    const to = { a: 0, b: 5, c: 3, d: 2 };
    let previous = from as Record<string, number>;
    for (let step = 1; step <= 100; step++) {
      const weights = weightsAt(from, to, step / 100);
      for (const arn of ['b', 'c', 'd']) expect(weights[arn]).toBeGreaterThanOrEqual(previous[arn] ?? 0);
      previous = weights;
    }
  });
});
