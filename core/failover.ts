/**
 * How an automatic failover meets other executions: pure decisions, so the handlers only read the
 * lock and the last failover, call these, and act.
 */

export interface LockHolderFacts {
  readonly executionId: string;
  readonly action: string;
  readonly cluster?: string;
}

export interface LastFailoverFacts {
  readonly at: string;
  readonly cluster: string;
  readonly executionId: string;
}

export type LockConflict =
  /** The same failover is already running: end quietly. */
  | { readonly kind: 'duplicate'; readonly of: string }
  /** A manual shift holds the fleet: stop it and take the lock. */
  | { readonly kind: 'preempt'; readonly victim: string }
  /** A failover of another cluster is running: wait for it (LockBusy, retried), then re-plan. */
  | { readonly kind: 'wait'; readonly holder: string; readonly why: string }
  /** Anything else: LockHeld, as for any shift. */
  | { readonly kind: 'refuse'; readonly why: string };

/**
 * What an execution does when the lock is held. Only a failover gets anything but `refuse`: it ends
 * quietly behind a failover of the same cluster, preempts a manual drain/restore/shift once, and
 * never preempts another failover — a failover of another cluster is refused, so at most one
 * failover writes at a time (after it, the cooldown refuses failing back the other way).
 */
export const resolveLockConflict = (
  mine: { readonly action: string; readonly cluster?: string; readonly alreadyPreempted: boolean },
  holder: LockHolderFacts,
): LockConflict => {
  if (mine.action !== 'failover') return { kind: 'refuse', why: 'only a failover may preempt' };
  if (holder.action === 'failover') {
    return holder.cluster === mine.cluster
      ? { kind: 'duplicate', of: holder.executionId }
      : {
          kind: 'wait',
          holder: holder.executionId,
          why: `a failover of ${holder.cluster} is running; a failover never preempts another, it waits for it`,
        };
  }
  if (mine.alreadyPreempted) return { kind: 'refuse', why: 'this failover already preempted once' };
  return { kind: 'preempt', victim: holder.executionId };
};

const isSameRecentFailover = (
  cluster: string | undefined,
  executionId: string,
  last: LastFailoverFacts | undefined,
): last is LastFailoverFacts =>
  last !== undefined && last.cluster === cluster && last.executionId !== executionId;

/**
 * Prepare: a failover with nothing left to move whose cluster another failover moved away from
 * within the cooldown is a late duplicate of that one (an alarm storm's straggler).
 */
export const duplicateOfRecentFailover = (input: {
  readonly action: string;
  readonly cluster?: string;
  readonly executionId: string;
  readonly routesChanging: number;
  readonly lastFailover?: LastFailoverFacts;
  readonly now: Date;
  readonly cooldownSeconds: number;
}): string | undefined => {
  const last = input.lastFailover;
  if (input.action !== 'failover' || input.routesChanging > 0) return undefined;
  if (!isSameRecentFailover(input.cluster, input.executionId, last)) return undefined;
  const elapsed = (input.now.getTime() - Date.parse(last.at)) / 1000;
  return elapsed < input.cooldownSeconds ? last.executionId : undefined;
};

/**
 * Lock, after taking it: another failover of the same cluster wrote after this one planned, so this
 * plan is stale and its work done (it took the lock only because the other one had released it).
 */
/**
 * Lock, once it holds the fleet: a failover of another cluster wrote after this failover was
 * planned (it waited for it), so the plan's snapshot is stale: plan again from the live weights.
 */
export const planOutdatedByFailover = (input: {
  readonly action: string;
  readonly cluster?: string;
  readonly plannedAt: string;
  readonly lastFailover?: LastFailoverFacts;
}): string | undefined => {
  const last = input.lastFailover;
  if (input.action !== 'failover' || last === undefined || last.cluster === input.cluster) return undefined;
  return Date.parse(last.at) >= Date.parse(input.plannedAt) ? last.executionId : undefined;
};

export const supersedingFailover = (input: {
  readonly action: string;
  readonly cluster?: string;
  readonly executionId: string;
  readonly plannedAt: string;
  readonly lastFailover?: LastFailoverFacts;
}): string | undefined => {
  const last = input.lastFailover;
  if (input.action !== 'failover') return undefined;
  if (!isSameRecentFailover(input.cluster, input.executionId, last)) return undefined;
  return Date.parse(last.at) >= Date.parse(input.plannedAt) ? last.executionId : undefined;
};
