import { type BucketLimit, ELBV2_API_BUCKETS } from '../core/aws-limits';
import { seeded } from '../local/faults';

/**
 * The failover bench's skewed traffic and its harm figure: requests still sent to the sick cluster
 * between the alarm and the last weight written.
 */

/** Zipf's exponent for the bench's traffic: a few routes carry most requests (the top 10 % about 60 %). */
export const TRAFFIC_SKEW = 1.1;
/** Mean requests per second per route (the twin's default rate). */
export const MEAN_RATE_PER_ROUTE = 20;

/**
 * Requests per second for `routes` routes in discovery order: Zipf-distributed ranks, shuffled with a
 * fixed seed so the busiest routes are not the first ones discovered (ordering by harm must read
 * the traffic to win), summing to `meanRate` × routes.
 */
export const skewedRates = (
  routes: number,
  skew = TRAFFIC_SKEW,
  meanRate = MEAN_RATE_PER_ROUTE,
  seed = 15,
) => {
  const weights = Array.from({ length: routes }, (_, rank) => 1 / (rank + 1) ** skew);
  const total = weights.reduce((sum, w) => sum + w, 0);
  const rates = weights.map((w) => (w / total) * meanRate * routes);
  const random = seeded(seed);
  for (let i = rates.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rates[i], rates[j]] = [rates[j] ?? 0, rates[i] ?? 0];
  }
  return rates;
};

/**
 * The least harm any failover could do at ELBv2's documented write rate: no reads, the busiest
 * route written first, each write as soon as the mutating bucket (full at the alarm) has a token,
 * plus one call's latency. `sickRates` are requests per second each route sends the sick cluster;
 * the result is requests sent there between the alarm and each route's write.
 */
export const optimumExposure = (
  sickRates: readonly number[],
  latencyMs: number,
  bucket: BucketLimit = ELBV2_API_BUCKETS.mutating,
): number =>
  [...sickRates]
    .sort((a, b) => b - a)
    .reduce((sum, rate, k) => {
      const acceptedAtMs = (Math.max(0, k + 1 - bucket.capacity) / bucket.refillPerSecond) * 1000 + latencyMs;
      return sum + (rate * acceptedAtMs) / 1000;
    }, 0);
