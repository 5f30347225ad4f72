import { sequentialApportion } from './apportion';
import type { Weights } from './routes';

/**
 * How many of `total` units have moved at `fraction` of the way. Exact at both ends; at least one
 * unit as soon as the fraction is above 0, so a first step always gives receivers some weight.
 */
const unitsMoved = (fraction: number, total: number): number => {
  if (fraction <= 0 || total === 0) return 0;
  if (fraction >= 1) return total;
  return Math.min(total, Math.max(1, Math.round(fraction * total)));
};

/**
 * The weights at `fraction` (0–1) of the way from `from` to `to`: integers, each target group
 * moving monotonically from its `from` weight to its `to` weight, equal to `from` at 0 and to `to`
 * at 1. When both have the same total, every fraction keeps that total: the weight handed over is
 * the same count of units taken from the losing target groups and given to the gaining ones.
 */
export const weightsAt = (from: Weights, to: Weights, fraction: number): Record<string, number> => {
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])];
  const gains = keys.map((key) => Math.max(0, (to[key] ?? 0) - (from[key] ?? 0)));
  const losses = keys.map((key) => Math.max(0, (from[key] ?? 0) - (to[key] ?? 0)));
  const given = sequentialApportion(
    unitsMoved(
      fraction,
      gains.reduce((a, b) => a + b, 0),
    ),
    gains,
  );
  const taken = sequentialApportion(
    unitsMoved(
      fraction,
      losses.reduce((a, b) => a + b, 0),
    ),
    losses,
  );
  const result: Record<string, number> = {};
  keys.forEach((key, index) => {
    result[key] = (from[key] ?? 0) + (given[index] ?? 0) - (taken[index] ?? 0);
  });
  return result;
};
