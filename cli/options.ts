import { CLUSTER_NAME } from '../core/chat/patterns';
import { quote } from '../core/chat/refusal';
import { usageError } from './errors';

/**
 * Command-line values → request fields. Only the syntax is checked here; what the values mean
 * (known clusters, sums, guardrail names) is checked by core's validateShiftRequest, the same
 * validation the workflow applies.
 */

const listItems = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/**
 * `blue=20,green=80` → { blue: 20, green: 80 }. A name that cannot be a cluster's is refused here,
 * as chat refuses it: `__proto__` or `toString` would otherwise meet Object.prototype's members.
 */
export const parseWeights = (text: string): Record<string, number> => {
  const weights: Record<string, number> = {};
  const items = listItems(text);
  if (items.length === 0)
    throw usageError(`--weights: expected cluster=percent pairs, e.g. blue=20,green=80`);
  for (const item of items) {
    const match = item.match(/^([^=\s]+)\s*=\s*(\S+)$/);
    if (match === null) {
      throw usageError(`--weights: expected cluster=percent, got "${item}" (e.g. blue=20,green=80)`);
    }
    const [, cluster = '', value = ''] = match;
    if (!CLUSTER_NAME.test(cluster)) {
      throw usageError(`--weights: ${quote(cluster)} is not a cluster name (in ${quote(item)})`);
    }
    if (!/^\d+$/.test(value)) {
      throw usageError(`--weights: ${cluster}: percent must be a whole number 0-100, got "${value}"`);
    }
    if (Object.hasOwn(weights, cluster)) throw usageError(`--weights: ${cluster} is given twice`);
    weights[cluster] = Number(value);
  }
  return weights;
};

/** `a,b` → ['a', 'b']; names are checked against the schema later. */
export const parseList = (text: string): string[] => listItems(text);

/** `0.25,0.5,1` → [0.25, 0.5, 1]. */
export const parseSteps = (text: string): number[] =>
  listItems(text).map((item) => {
    const value = Number(item);
    if (item === '' || !Number.isFinite(value)) {
      throw usageError(`--steps: expected fractions such as 0.25,0.5,1, got "${item}"`);
    }
    return value;
  });

/** A whole number ≥ min, for counts and seconds. */
export const parseWhole =
  (option: string, min = 0) =>
  (text: string): number => {
    if (!/^\d+$/.test(text.trim()) || Number(text) < min) {
      throw usageError(`${option}: expected a whole number${min > 0 ? ` >= ${min}` : ''}, got "${text}"`);
    }
    return Number(text);
  };

/** Step numbers as shown to operators (1-based) → the workflow's 0-based indexes. */
export const parseStepNumbers =
  (option: string) =>
  (text: string): number[] =>
    listItems(text).map((item) => parseWhole(option, 1)(item) - 1);
