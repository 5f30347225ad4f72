import { ELBV2_API_BUCKETS } from '../../core/aws-limits';
import { freshBucket, lease, leaseRulesFor } from '../../core/token-lease';

const rules = leaseRulesFor(ELBV2_API_BUCKETS.describe, 0.5);
const quiet = { throttled: false, successes: 0 };
const T = 1_000_000;

describe('leaseRulesFor', () => {
  it('shares capacity and rate, less the refill of a lease time, in batches of a quarter at most', () => {
    expect(rules).toMatchObject({ maxRate: 5, minRate: 0.5, leaseMs: 500, capacity: 17.5, batch: 4 });
  });

  it('shortens the lease time so that a small share still holds a token', () => {
    // 2 tokens at 5 per second: 500 ms of refill would leave half a token; 200 ms leaves one.
    const small = leaseRulesFor({ capacity: 4, refillPerSecond: 10 }, 0.5);
    expect(small.leaseMs).toBeCloseTo(200, 9);
    expect(small.capacity).toBeCloseTo(1, 9);
    expect(small.batch).toBe(1);
  });

  it.each([0, -0.1, 1.01, Number.NaN])('refuses a share of %p', (share) => {
    expect(() => leaseRulesFor(ELBV2_API_BUCKETS.describe, share)).toThrow(/share must be in \(0, 1\]/);
  });
});

describe('lease', () => {
  it('takes a batch from a fresh bucket, all due now', () => {
    const { next, dueAts } = lease(undefined, T, rules, quiet);
    expect(dueAts).toEqual([T, T, T, T]);
    expect(next).toEqual({ tokens: 13.5, at: T, rate: 5 });
  });

  it('takes a batch ahead of an empty bucket, each token due when the refill brings it', () => {
    const { next, dueAts } = lease({ tokens: -2, at: T, rate: 5 }, T, rules, quiet);
    expect(dueAts).toEqual([T + 600, T + 800, T + 1_000, T + 1_200]);
    expect(next.tokens).toBe(-6);
  });

  it('refills at the rate up to the capacity, never less when the clock is behind the last writer', () => {
    expect(lease({ tokens: 0, at: T, rate: 5 }, T + 1_000, rules, quiet).next.tokens).toBe(5 - 4);
    expect(lease({ tokens: 0, at: T, rate: 5 }, T + 60_000, rules, quiet).next.tokens).toBe(17.5 - 4);
    expect(lease({ tokens: 3, at: T, rate: 5 }, T - 5_000, rules, quiet).next).toMatchObject({
      tokens: -1,
      at: T - 5_000,
    });
  });

  it('empties the bucket and halves the rate on a throttle, at most once a second', () => {
    const first = lease(freshBucket(T, rules), T, rules, { throttled: true, successes: 0 }).next;
    expect(first).toEqual({ tokens: -4, at: T, rate: 2.5, cutAt: T });
    const again = lease(first, T + 500, rules, { throttled: true, successes: 0 }).next;
    expect(again.rate).toBe(2.5);
    const later = lease(first, T + 1_000, rules, { throttled: true, successes: 0 }).next;
    expect(later).toMatchObject({ rate: 1.25, cutAt: T + 1_000 });
  });

  it('never cuts below a tenth of the rate, wins rate back per success, and forgets cuts after a quiet minute', () => {
    expect(
      lease({ tokens: 0, at: T, rate: 0.5, cutAt: T - 2_000 }, T, rules, { throttled: true, successes: 0 })
        .next.rate,
    ).toBe(0.5);
    expect(
      lease({ tokens: 0, at: T, rate: 2.5, cutAt: T }, T, rules, { throttled: false, successes: 4 }).next
        .rate,
    ).toBe(3.5);
    expect(lease({ tokens: 0, at: T, rate: 2.5, cutAt: T }, T + 60_001, rules, quiet).next).toEqual({
      tokens: 17.5 - 4,
      at: T + 60_001,
      rate: 5,
    });
  });

  it('clamps a stored rate or level written under other rules', () => {
    const { next } = lease({ tokens: 400, at: T, rate: 50 }, T, rules, quiet);
    expect(next).toEqual({ tokens: 13.5, at: T, rate: 5 });
  });
});
