import fc from 'fast-check';
import { percentile, round, summarizeLatencies } from '../../bench/stats';

describe('percentile', () => {
  it('takes the nearest rank: the median of 1..10 is 5 and its 95th percentile is 10', () => {
    // Prepare
    const sorted = Array.from({ length: 10 }, (_, i) => i + 1);

    // Act
    const [median, p95] = [percentile(sorted, 0.5), percentile(sorted, 0.95)];

    // Assert
    expect([median, p95]).toEqual([5, 10]);
  });

  it('always answers one of the samples, between the smallest and the largest', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer(), { minLength: 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, p) => {
          // Prepare
          const sorted = [...values].sort((a, b) => a - b);

          // Act
          const answer = percentile(sorted, p);

          // Assert
          expect(sorted).toContain(answer);
        },
      ),
    );
  });

  it('is NaN for no samples', () => {
    expect(percentile([], 0.5)).toBeNaN();
  });
});

describe('summarizeLatencies', () => {
  it('divides the requests by the elapsed time and rounds to a tenth', () => {
    // Act
    const summary = summarizeLatencies([30, 10, 20], 2000);

    // Assert
    expect(summary).toEqual({ requests: 3, requestsPerSecond: 1.5, p50Ms: 20, p95Ms: 30 });
  });

  it('reports no rate rather than a division by zero', () => {
    expect(summarizeLatencies([], 0).requestsPerSecond).toBe(0);
  });
});

describe('round', () => {
  it('rounds to the given number of decimals', () => {
    expect([round(1.2345), round(1.2345, 2), round(1234.5, 0)]).toEqual([1.2, 1.23, 1235]);
  });
});
