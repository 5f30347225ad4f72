import { optimumExposure, skewedRates } from '../../bench/exposure';

describe('skewedRates', () => {
  it('sums to the mean rate times the routes, with a few routes carrying most requests', () => {
    const rates = skewedRates(100);
    const sorted = [...rates].sort((a, b) => b - a);
    const total = rates.reduce((sum, rate) => sum + rate, 0);

    expect(total).toBeCloseTo(2_000, 6);
    expect(sorted.slice(0, 10).reduce((sum, rate) => sum + rate, 0) / total).toBeGreaterThan(0.5);
  });

  it('shuffles the busy routes away from the front, the same way every run', () => {
    const rates = skewedRates(100);
    expect(rates).toEqual(skewedRates(100));
    expect(rates[0]).not.toBe(Math.max(...rates));
  });
});

describe('optimumExposure', () => {
  it('writes the bucket’s capacity at once, then one route per refill, busiest first', () => {
    // Prepare: a bucket of 2 tokens refilling 1 a second, 4 routes.
    const bucket = { capacity: 2, refillPerSecond: 1 };

    // Act: the quiet routes wait, the busy ones are written at once (after 100 ms of latency).
    const exposure = optimumExposure([1, 100, 10, 50], 100, bucket);

    // Assert: 100 and 50 at 0.1 s, 10 at 1.1 s, 1 at 2.1 s.
    expect(exposure).toBeCloseTo(150 * 0.1 + 10 * 1.1 + 1 * 2.1, 9);
  });

  it('is never less when the same traffic is written in any other order', () => {
    const rates = skewedRates(50);
    const bucket = { capacity: 20, refillPerSecond: 3 };
    const inOrder = rates.reduce((sum, rate, k) => sum + rate * (Math.max(0, k + 1 - 20) / 3 + 0.05), 0);
    expect(optimumExposure(rates, 50, bucket)).toBeLessThanOrEqual(inOrder + 1e-9);
  });
});
