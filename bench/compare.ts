import { budgetLabel, withinBudget } from './budgets';
import type { Figure } from './figures';

/** Relative change within which a figure counts as the same: run-to-run noise on a shared machine. */
export const NOISE_TOLERANCE = 0.05;

export type Verdict = 'ok' | 'over budget' | 'better' | 'worse' | 'same' | 'changed' | 'new';

export interface ComparisonRow {
  readonly figure: string;
  readonly budget: string;
  readonly previous: string;
  readonly now: string;
  readonly change: string;
  readonly verdict: Verdict;
}

const formatNumber = (value: number): string => value.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** (now − previous) ÷ previous; ±Infinity from 0 to something, 0 from 0 to 0. */
const relativeChange = (previous: number, now: number): number => {
  if (previous === now) return 0;
  if (previous === 0) return now > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  return (now - previous) / Math.abs(previous);
};

const formatChange = (change: number): string => {
  if (!Number.isFinite(change)) return change > 0 ? '+∞' : '−∞';
  const percent = Math.round(change * 1000) / 10;
  return `${percent > 0 ? '+' : ''}${percent.toFixed(1)} %`;
};

const trend = (figure: Figure, change: number, tolerance: number): Verdict => {
  if (Math.abs(change) <= tolerance) return 'same';
  if (figure.better === 'neither') return 'changed';
  return change < 0 === (figure.better === 'lower') ? 'better' : 'worse';
};

/**
 * One row per figure of this run against the previous run's value of the same key. A figure with a
 * budget is judged by the budget alone (ok / over budget); the others by their trend, where a change
 * within `tolerance` (relative) is the same.
 */
export const compareFigures = (
  now: readonly Figure[],
  previous: Readonly<Record<string, number>>,
  tolerance = NOISE_TOLERANCE,
): ComparisonRow[] =>
  now.map((figure) => {
    const before = Object.hasOwn(previous, figure.key) ? previous[figure.key] : undefined;
    const change = before === undefined ? undefined : relativeChange(before, figure.value);
    let verdict: Verdict;
    if (figure.budget !== undefined)
      verdict = withinBudget(figure.value, figure.budget) ? 'ok' : 'over budget';
    else verdict = change === undefined ? 'new' : trend(figure, change, tolerance);
    return {
      figure: figure.label,
      budget: figure.budget === undefined ? '' : budgetLabel(figure.budget),
      previous: before === undefined ? 'n/a' : formatNumber(before),
      now: `${formatNumber(figure.value)}${figure.reused === true ? ' (reused)' : ''}`,
      change: change === undefined ? 'n/a' : formatChange(change),
      verdict,
    };
  });

/** How many budgeted figures passed and how many did not. */
export const tallyBudgets = (rows: readonly ComparisonRow[]): { ok: number; over: number } => ({
  ok: rows.filter((row) => row.verdict === 'ok').length,
  over: rows.filter((row) => row.verdict === 'over budget').length,
});
