/**
 * When an automatic restore (a health alarm back to OK) may restore its cluster: pure decisions, so
 * Prepare and Lock only read the facts, call these, and act. Every "no" is a reason to end quietly:
 * an alarm returning to OK is no operator's request, so not restoring is never a failure.
 */
import type { LastFailoverFacts, LockHolderFacts } from './failover';

export interface AlarmSince {
  readonly state: string;
  /** When the alarm entered its current state; unknown means "not known to be OK long enough". */
  readonly stateUpdatedAt?: Date;
}

export interface AutoRestoreFacts {
  readonly cluster: string;
  readonly enabled: boolean;
  readonly afterOkSeconds: number;
  /** The cluster's health alarms, each of which must be in `alarms`. */
  readonly healthAlarms: readonly string[];
  readonly alarms: ReadonlyMap<string, AlarmSince>;
  readonly lastFailover?: LastFailoverFacts;
  readonly hasBaseline: boolean;
  readonly freeze?: { readonly by: string; readonly reason: string };
  readonly now: Date;
}

/** Why an alarm does not count as OK for long enough, or undefined when it does. */
const notOkLongEnough = (name: string, alarm: AlarmSince | undefined, facts: AutoRestoreFacts) => {
  if (alarm === undefined) return `${name} was not found`;
  if (alarm.state !== 'OK') return `${name} is ${alarm.state}`;
  if (alarm.stateUpdatedAt === undefined) return `${name} is OK but CloudWatch did not say since when`;
  const okSeconds = Math.floor((facts.now.getTime() - alarm.stateUpdatedAt.getTime()) / 1000);
  return okSeconds >= facts.afterOkSeconds
    ? undefined
    : `${name} has been OK for ${Math.max(0, okSeconds)} s, less than ${facts.afterOkSeconds} s`;
};

/**
 * The reason an auto-restore of `cluster` must not run now, or undefined when it may: it restores
 * only what a failover drained (the last failover moved traffic away from this cluster and its
 * baseline is still there), only once every health alarm of the cluster has been OK for
 * `afterOkSeconds`, and never while an operator has frozen the fleet.
 */
export const autoRestoreSkipReason = (facts: AutoRestoreFacts): string | undefined => {
  const { cluster } = facts;
  if (!facts.enabled) return 'auto-restore is off (failover.autoRestore.enabled)';
  if (facts.lastFailover?.cluster !== cluster) {
    return facts.lastFailover === undefined
      ? `no failover has moved traffic away from ${cluster}`
      : `the last failover was of ${facts.lastFailover.cluster}, not ${cluster}`;
  }
  if (!facts.hasBaseline) return `no baseline for ${cluster}: it was already restored`;
  const problems = facts.healthAlarms.flatMap(
    (name) => notOkLongEnough(name, facts.alarms.get(name), facts) ?? [],
  );
  if (problems.length > 0) return `not healthy long enough: ${problems.join('; ')}`;
  if (facts.freeze !== undefined) {
    return `the fleet is frozen by ${facts.freeze.by} (${facts.freeze.reason}): an operator decides`;
  }
  return undefined;
};

export type AutoRestoreLockConflict =
  /** A restore of the same cluster holds the lock: it does this one's work, end quietly. */
  | { readonly kind: 'duplicate'; readonly of: string }
  /** A failover holds the lock: the fleet is moving on its own, end quietly. */
  | { readonly kind: 'skip'; readonly why: string }
  /** A manual shift holds the lock: LockHeld, as for any shift (the operator is told). */
  | { readonly kind: 'refuse' };

/** What an auto-restore of `cluster` does when it finds the lock held by `holder`. */
export const resolveAutoRestoreLockConflict = (
  cluster: string | undefined,
  holder: LockHolderFacts,
): AutoRestoreLockConflict => {
  if (holder.action === 'restore' && holder.cluster === cluster) {
    return { kind: 'duplicate', of: holder.executionId };
  }
  if (holder.action === 'failover') {
    return { kind: 'skip', why: `a failover of ${holder.cluster} is running (${holder.executionId})` };
  }
  return { kind: 'refuse' };
};
