import fc from 'fast-check';
import { largestRemainder, sequentialApportion } from '../../core/apportion';

describe('largestRemainder', () => {
  it('splits the whole total in proportion, each part within one of its exact quota', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5000 }),
        fc.array(fc.integer({ min: 0, max: 999 }), { minLength: 1, maxLength: 5 }),
        (total, shares) => {
          const parts = largestRemainder(total, shares);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          const sum = shares.reduce((a, b) => a + b, 0);
          parts.forEach((part, i) => {
            const quota = sum === 0 ? total / shares.length : (total * (shares[i] ?? 0)) / sum;
            expect(Math.abs(part - quota)).toBeLessThan(1);
          });
        },
      ),
    );
  });

  it('splits equally when every share is 0', () => {
    expect(largestRemainder(10, [0, 0, 0])).toEqual([4, 3, 3]);
  });
});

describe('sequentialApportion', () => {
  it('never takes a unit back when one more is handed out (house monotone)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 5 }), (shares) => {
        const total = shares.reduce((a, b) => a + b, 0);
        let previous = sequentialApportion(0, shares);
        for (let units = 1; units <= total; units++) {
          const next = sequentialApportion(units, shares);
          next.forEach((value, i) => {
            expect(value).toBeGreaterThanOrEqual(previous[i] ?? 0);
          });
          previous = next;
        }
        expect(previous).toEqual(shares);
      }),
    );
  });
});
