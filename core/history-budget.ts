import { ELBV2_API_BUCKETS } from './aws-limits';
import { ClusterShiftError, InvalidRequestError } from './errors';

/**
 * The history budget of one shift execution. Step Functions fails a Standard execution whose history
 * reaches 25,000 events, and no Catch runs then: no rollback, no lock release, no notification. So a
 * plan that could get there is refused at Prepare, and a hold (pause, approval wait) ends with a
 * failure and a rollback before it gets there.
 *
 * The event counts are those of statemachines/shift.asl.json: each Task is 5 events (entered,
 * scheduled, started, succeeded, exited), each Wait or Choice 2. They are checked against the real
 * workflow run on the twin by test/statemachines/history-budget.workflow.test.ts, so a change to the
 * ASL that moves them fails that test until they are updated here.
 */
export const STEP_FUNCTIONS_HISTORY_LIMIT = 25_000;
/**
 * What a plan may use: 5,000 events under the limit are left for what the arithmetic does not count
 * (transient retries of Lambda and AWS errors, at 3 events an attempt).
 */
export const HISTORY_BUDGET = 20_000;

export const ASL_EVENTS = {
  /** Everything outside the steps on the success path: start, Prepare, Lock, NotifyStarted, Finish, end. */
  fixed: 36,
  /**
   * A failover skips NotifyStarted (one Task) and its first step's gate (GateBeforeStep and
   * HeldBeforeStep?): ApplyStep checks what could have changed since Prepare.
   */
  failoverSkips: 5 + 5 + 2,
  /**
   * A failover's first step not clear to write ungated: ApplyStep and StepWritten? ask for the gate,
   * which then runs (GateBeforeStep, HeldBeforeStep?) before ApplyStep and StepWritten? again.
   */
  failoverAsksForGate: 5 + 2 + 5 + 2,
  /** One Map iteration without its bake checks: GateFirst?, gate, write (and StepWritten?), notify, the Map's own events. */
  perStep: 27,
  /** ApplyStep or Rollback invoked again to finish its writes: the Task and StepWritten?/RolledBack?. */
  perContinuation: 5 + 2,
  /** One bake check: BakeWait, GateDuringBake, BakeDone? */
  perBakeCheck: 9,
  /** One held gate check (paused, or waiting for approval): WaitBeforeStep, GateBeforeStep, HeldBeforeStep? */
  perHeldCheck: 9,
  /** Verification's first attempt (StartVerify and one round). */
  firstVerifyAttempt: 11,
  /** Each further verification attempt: VerifyWait, VerifyDrained, Drained? */
  perVerifyAttempt: 9,
  /** A Task attempt retried (LockBusy): failed, scheduled, started. */
  perRetry: 3,
  /**
   * The failure path after the error: StartRollback, Rollback (with its 6 retries), RolledBack?,
   * FinishFailed (4 retries) and the Fail state: counted on top of the success path, which it replaces.
   */
  rollback: 2 + 5 + 6 * 3 + 2 + 5 + 4 * 3 + 2,
  /**
   * A failover that meets drift plans again (ReplanAfterDrift, DriftReplanned?, Pass states) and runs
   * its steps a second time; after preempting or waiting it plans again once (Replan or ReplanAfterWait).
   */
  failoverReplan: 2 + 5 + 2 + 2 + 2 + 5 + 2,
} as const;

/** The LockBusy retrier's MaxAttempts in shift.asl.json (a failover waiting for another); test-checked. */
export const LOCK_BUSY_MAX_ATTEMPTS = 4_400;

/**
 * Writes one ApplyStep or Rollback invocation is counted on to make, for the budget only: ELBv2's
 * mutating bucket refills 3 a second; of the functions' 5-minute timeout, 240 s are left for writing
 * (the deadline keeps a tenth to wind up, and the reads come first); and half of the bucket is left
 * to others (Load Balancer Controllers, operators) and to the pacer's cuts after throttling.
 */
export const WRITE_SECONDS_PER_INVOCATION = 240;
export const WRITES_PER_INVOCATION = Math.floor(
  (ELBV2_API_BUCKETS.mutating.refillPerSecond * WRITE_SECONDS_PER_INVOCATION) / 2,
);

/** Further invocations one step (or the rollback) over `routes` routes may take to write them all. */
export const continuationsOf = (routes: number): number =>
  Math.max(0, Math.ceil(routes / WRITES_PER_INVOCATION) - 1);

export interface HistoryPlan {
  readonly action: 'drain' | 'restore' | 'shift' | 'failover';
  readonly steps: number;
  readonly bakeChecks: number;
  /** Verification attempts at most (0 when the action does not verify). */
  readonly verifyAttempts: number;
  /** Further ApplyStep invocations one step may take (continuationsOf its routes); 0 if not given. */
  readonly continuationsPerStep?: number;
}

export interface HistoryEstimate {
  readonly total: number;
  readonly bake: number;
  /** Continuations of the steps' writes and of the rollback's. */
  readonly continuations: number;
  readonly lockWait: number;
  readonly verify: number;
}

/** Events of verification that makes `attempts` attempts (none when the action does not verify). */
const verifyEvents = (attempts: number): number =>
  attempts === 0 ? 0 : ASL_EVENTS.firstVerifyAttempt + (attempts - 1) * ASL_EVENTS.perVerifyAttempt;

/** Events of a run that follows the success path with these counts (what the twin measures). */
export const runEvents = (
  run: HistoryPlan & { held?: number; lockRetries?: number; continuations?: number },
): number =>
  ASL_EVENTS.fixed -
  (run.action === 'failover' ? ASL_EVENTS.failoverSkips : 0) +
  run.steps * (ASL_EVENTS.perStep + run.bakeChecks * ASL_EVENTS.perBakeCheck) +
  (run.held ?? 0) * ASL_EVENTS.perHeldCheck +
  verifyEvents(run.verifyAttempts) +
  (run.lockRetries ?? 0) * ASL_EVENTS.perRetry +
  (run.continuations ?? 0) * ASL_EVENTS.perContinuation;

/**
 * The most events a plan can write without holds: every bake check of every step, verification to
 * its last attempt, a failover's longest lock wait and its re-plans (its steps run twice after drift),
 * every step's writes continued as often as its routes may need, a failover's first step asking for
 * the gate it skipped, and the rollback path (its writes continued as often).
 */
export const worstCaseEvents = (plan: HistoryPlan): HistoryEstimate => {
  const failover = plan.action === 'failover';
  const passes = failover ? 2 : 1;
  const lockRetries = failover ? LOCK_BUSY_MAX_ATTEMPTS : 0;
  const bake = passes * plan.steps * plan.bakeChecks * ASL_EVENTS.perBakeCheck;
  const lockWait = lockRetries * ASL_EVENTS.perRetry;
  const verify = verifyEvents(plan.verifyAttempts);
  const perStep = plan.continuationsPerStep ?? 0;
  const continuations = (passes * plan.steps * perStep + perStep) * ASL_EVENTS.perContinuation;
  const total =
    runEvents({ ...plan, lockRetries }) +
    continuations +
    (passes - 1) * plan.steps * (ASL_EVENTS.perStep + plan.bakeChecks * ASL_EVENTS.perBakeCheck) +
    (failover ? 2 * ASL_EVENTS.failoverReplan + passes * ASL_EVENTS.failoverAsksForGate : 0) +
    ASL_EVENTS.rollback;
  return { total, bake, lockWait, verify, continuations };
};

/** Verification's attempts at most, as functions/verify-drained.ts counts them. */
export const verifyAttempts = (thresholds: {
  readonly verifyWindowSeconds: number;
  readonly verifyIntervalSeconds: number;
}): number => Math.max(1, Math.ceil(thresholds.verifyWindowSeconds / thresholds.verifyIntervalSeconds));

/** A drain and a failover end by verifying the drained cluster; a restore and a shift do not. */
export const verifies = (action: HistoryPlan['action']): boolean =>
  action === 'drain' || action === 'failover';

/**
 * The history plan of a shift: its verification attempts follow from its action and the thresholds,
 * its continuations from the routes it writes (none counted when `routes` is not given).
 */
export const historyPlanOf = (
  action: HistoryPlan['action'],
  steps: number,
  bakeChecks: number,
  thresholds: { readonly verifyWindowSeconds: number; readonly verifyIntervalSeconds: number },
  routes?: number,
): HistoryPlan => ({
  action,
  steps,
  bakeChecks,
  verifyAttempts: verifies(action) ? verifyAttempts(thresholds) : 0,
  continuationsPerStep: routes === undefined ? 0 : continuationsOf(routes),
});

const thousands = (n: number): string => n.toLocaleString('en-US');

/**
 * Refuses (InvalidRequest) a plan whose worst case could pass the budget, naming the numbers and
 * what to change.
 */
export const checkHistoryBudget = (plan: HistoryPlan): HistoryEstimate => {
  const estimate = worstCaseEvents(plan);
  if (estimate.total <= HISTORY_BUDGET) return estimate;
  const parts = [
    `${plan.steps} steps × ${plan.bakeChecks} bake checks × ${ASL_EVENTS.perBakeCheck} events${plan.action === 'failover' ? ' × 2 (a failover may run its steps again after drift)' : ''} = ${thousands(estimate.bake)}`,
    ...(estimate.lockWait > 0
      ? [
          `waiting for the lock up to ${thousands(LOCK_BUSY_MAX_ATTEMPTS)} times = ${thousands(estimate.lockWait)}`,
        ]
      : []),
    ...(estimate.verify > 0 ? [`verification = ${thousands(estimate.verify)}`] : []),
    ...(estimate.continuations > 0
      ? [`writes continued over several invocations = ${thousands(estimate.continuations)}`]
      : []),
  ];
  throw new InvalidRequestError([
    {
      path: 'steps',
      message:
        `this plan could write up to ${thousands(estimate.total)} history events (${parts.join('; ')}); ` +
        `Step Functions fails an execution at ${thousands(STEP_FUNCTIONS_HISTORY_LIMIT)} and clustershift keeps ` +
        `a plan under ${thousands(HISTORY_BUDGET)}: use fewer steps, a longer --check-interval or a shorter --bake`,
    },
  ]);
};

/**
 * Whether one more held check could take the execution past the budget. The workflow carries no
 * count of its held checks, so they are bounded by time: every loop iteration waits at least the
 * check interval, so `elapsedSeconds / checkIntervalSeconds` (+1 for this one) bounds every held
 * check and bake check so far. Added to the plan's worst case without holds, that is an upper bound.
 * A hold therefore lasts at least (budget − worst case) ÷ 9 check intervals: 18 hours at the default
 * 30 s for a default drain.
 */
export const holdExhaustsHistory = (
  plan: HistoryPlan & { readonly checkIntervalSeconds: number },
  elapsedSeconds: number,
): { readonly exhausted: boolean; readonly heldLimitSeconds: number } => {
  const room = HISTORY_BUDGET - worstCaseEvents(plan).total;
  const checks = Math.max(0, Math.floor(room / ASL_EVENTS.perHeldCheck));
  const heldLimitSeconds = checks * plan.checkIntervalSeconds;
  const checksSoFar = Math.floor(Math.max(0, elapsedSeconds) / plan.checkIntervalSeconds) + 1;
  return { exhausted: checksSoFar >= checks, heldLimitSeconds };
};

/** The failure a hold ends with when it would run the history out (the workflow rolls back). */
export const heldTooLongError = (heldLimitSeconds: number, reason: string): ClusterShiftError => {
  const hours = Math.floor(heldLimitSeconds / 3600);
  const minutes = Math.floor((heldLimitSeconds % 3600) / 60);
  return new ClusterShiftError(
    'GateFailed',
    `${reason} for too long: this execution may hold about ${hours} h ${minutes} min before its history ` +
      `could pass ${thousands(HISTORY_BUDGET)} of Step Functions' ${thousands(STEP_FUNCTIONS_HISTORY_LIMIT)} events; ` +
      'rolling back (resume or approve sooner, or use a longer --check-interval)',
    { details: { failures: [{ gate: 'hold', detail: reason }], heldLimitSeconds } },
  );
};

/**
 * Throws heldTooLongError when one more held check could take the execution past the budget
 * (holdExhaustsHistory); `reason` says what holds it (paused, waiting for approval).
 */
export const assertHoldWithinHistory = (
  plan: HistoryPlan & { readonly checkIntervalSeconds: number },
  elapsedSeconds: number,
  reason: string,
): void => {
  const hold = holdExhaustsHistory(plan, elapsedSeconds);
  if (hold.exhausted) throw heldTooLongError(hold.heldLimitSeconds, reason);
};
