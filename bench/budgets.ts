/** Issue 6's performance budgets: a figure passes when it is at most (or under) its limit. */
export interface Budget {
  readonly limit: number;
  /** true: the figure must stay under the limit; false: at most the limit. */
  readonly strict: boolean;
}

/** Failover latency ÷ its floor, at the sizes where the fixed cost no longer dominates (issue 15). */
export const FAILOVER_RATIO_BUDGET: Budget = { limit: 1.2, strict: false };
/** Requests left on the sick cluster ÷ the optimum's (issue 15), at the same sizes. */
export const FAILOVER_EXPOSURE_BUDGET: Budget = { limit: 1.15, strict: false };
export const FAILOVER_BUDGETED_ROUTES: readonly number[] = [100, 500];

/** ELBv2 calls per route per step of a 4-step drain (writes included), at 100 and 500 routes (issue 15). */
export const DRAIN_CALLS_BUDGET: Budget = { limit: 1.2, strict: false };
export const DRAIN_BUDGETED_ROUTES: readonly number[] = [100, 500];

/** Each function bundle, minified, KB (1,024 bytes). */
export const BUNDLE_KB_BUDGET: Budget = { limit: 300, strict: true };

export const withinBudget = (value: number, budget: Budget): boolean =>
  budget.strict ? value < budget.limit : value <= budget.limit;

export const budgetLabel = (budget: Budget): string => `${budget.strict ? '<' : '≤'} ${budget.limit}`;
