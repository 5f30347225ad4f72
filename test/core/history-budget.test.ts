import { InvalidRequestError } from '../../core/errors';
import {
  ASL_EVENTS,
  assertHoldWithinHistory,
  checkHistoryBudget,
  continuationsOf,
  HISTORY_BUDGET,
  heldTooLongError,
  historyPlanOf,
  holdExhaustsHistory,
  WRITES_PER_INVOCATION,
  worstCaseEvents,
} from '../../core/history-budget';

/** The default drain: 4 steps, 300 s bakes checked every 30 s, verified over 300 s every 60 s. */
const defaultDrain = { action: 'drain' as const, steps: 4, bakeChecks: 10, verifyAttempts: 5 };

describe('history budget of a plan', () => {
  it('accepts the default drain with most of the budget left for holds', () => {
    // Act
    const estimate = checkHistoryBudget(defaultDrain);

    // Assert: 36 + 4 × (27 + 90) + 11 + 4 × 9 + 46 (rollback)
    expect(estimate.total).toBe(597);
    expect(estimate.bake).toBe(360);
  });

  it('accepts a default failover, whose longest lock wait (4,400 retries × 3 events) it counts', () => {
    const estimate = checkHistoryBudget({ action: 'failover', steps: 1, bakeChecks: 0, verifyAttempts: 5 });

    expect(estimate.lockWait).toBe(13_200);
    expect(estimate.total).toBeLessThanOrEqual(HISTORY_BUDGET);
  });

  it('refuses a plan that could pass 20,000 events with InvalidRequest naming the numbers and the remedies', () => {
    // Prepare: 4 steps, a 10-minute bake checked every second
    const plan = { ...defaultDrain, bakeChecks: 600 };

    // Act
    let error: unknown;
    try {
      checkHistoryBudget(plan);
    } catch (thrown) {
      error = thrown;
    }

    // Assert
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).name).toBe('InvalidRequest');
    expect((error as Error).message).toBe(
      'invalid request: steps: this plan could write up to 21,837 history events (4 steps × 600 bake checks × 9 events = 21,600; verification = 47); ' +
        'Step Functions fails an execution at 25,000 and clustershift keeps a plan under 20,000: use fewer steps, a longer --check-interval or a shorter --bake',
    );
    expect(worstCaseEvents(plan).total).toBe(21_837);
  });

  it("counts a failover's steps twice: after drift it plans again and runs them once more", () => {
    const once = worstCaseEvents({ action: 'drain', steps: 2, bakeChecks: 10, verifyAttempts: 1 });
    const failover = worstCaseEvents({ action: 'failover', steps: 2, bakeChecks: 10, verifyAttempts: 1 });

    expect(failover.bake).toBe(2 * once.bake);
  });
});

describe('history budget of a hold (pause or approval wait)', () => {
  const plan = { ...defaultDrain, checkIntervalSeconds: 30 };

  it('lets the default drain hold for about 18 hours at 30 s a check', () => {
    // Act
    const early = holdExhaustsHistory(plan, 3_600);

    // Assert: (20,000 − 597) ÷ 9 = 2,155 checks × 30 s
    expect(early).toEqual({ exhausted: false, heldLimitSeconds: 64_650 });
  });

  it('ends the hold before the history could pass the budget', () => {
    // Act
    const justBefore = holdExhaustsHistory(plan, 64_650 - 60);
    const atLimit = holdExhaustsHistory(plan, 64_650 - 30);

    // Assert
    expect(justBefore.exhausted).toBe(false);
    expect(atLimit.exhausted).toBe(true);
  });

  it('fails the gate with GateFailed saying what held, for how long it may, and what to do', () => {
    const error = heldTooLongError(64_680, 'paused by an operator');

    expect(error.name).toBe('GateFailed');
    expect(error.message).toBe(
      "paused by an operator for too long: this execution may hold about 17 h 58 min before its history could pass 20,000 of Step Functions' 25,000 events; " +
        'rolling back (resume or approve sooner, or use a longer --check-interval)',
    );
  });
});

describe('history budget of writes continued over several invocations', () => {
  it('counts no continuation while a step fits one invocation, and one more per 360 routes after', () => {
    // 3 writes a second over 240 s of an invocation, half of the bucket left to others
    expect(WRITES_PER_INVOCATION).toBe(360);
    expect(continuationsOf(0)).toBe(0);
    expect(continuationsOf(360)).toBe(0);
    expect(continuationsOf(361)).toBe(1);
    expect(continuationsOf(2_000)).toBe(5);
  });

  it('adds 7 events per continuation of every step and of the rollback to the worst case', () => {
    const without = worstCaseEvents(defaultDrain);
    const with2000 = worstCaseEvents({ ...defaultDrain, continuationsPerStep: continuationsOf(2_000) });

    // 4 steps × 5 continuations + 5 for the rollback, 7 events each
    expect(with2000.continuations).toBe((4 * 5 + 5) * ASL_EVENTS.perContinuation);
    expect(with2000.total - without.total).toBe(175);
  });

  it("counts a failover's continuations twice, as its steps may run twice", () => {
    const failover = worstCaseEvents({
      action: 'failover',
      steps: 1,
      bakeChecks: 0,
      verifyAttempts: 5,
      continuationsPerStep: 5,
    });

    expect(failover.continuations).toBe((2 * 5 + 5) * ASL_EVENTS.perContinuation);
  });

  it('refuses a plan whose continuations pass the budget, naming them', () => {
    const plan = historyPlanOf(
      'drain',
      100,
      20,
      { verifyWindowSeconds: 300, verifyIntervalSeconds: 60 },
      20_000,
    );

    expect(() => checkHistoryBudget(plan)).toThrow(/writes continued over several invocations = /);
  });
});

describe('the history plan of a shift', () => {
  it('counts the continuations its routes may need', () => {
    const thresholds = { verifyWindowSeconds: 300, verifyIntervalSeconds: 60 };
    expect(historyPlanOf('drain', 4, 10, thresholds, 2_000).continuationsPerStep).toBe(5);
    expect(historyPlanOf('drain', 4, 10, thresholds).continuationsPerStep).toBe(0);
  });

  const thresholds = { verifyWindowSeconds: 300, verifyIntervalSeconds: 60 };

  it('counts verification attempts for a drain and a failover only', () => {
    expect(historyPlanOf('drain', 4, 10, thresholds).verifyAttempts).toBe(5);
    expect(historyPlanOf('failover', 1, 0, thresholds).verifyAttempts).toBe(5);
    expect(historyPlanOf('restore', 4, 10, thresholds).verifyAttempts).toBe(0);
    expect(historyPlanOf('shift', 4, 10, thresholds).verifyAttempts).toBe(0);
  });

  it('fails a hold with GateFailed once one more held check could pass the budget, and lets it go before', () => {
    const plan = { ...historyPlanOf('drain', 4, 10, thresholds), checkIntervalSeconds: 30 };
    const { heldLimitSeconds } = holdExhaustsHistory(plan, 0);

    expect(() => assertHoldWithinHistory(plan, heldLimitSeconds / 2, 'paused')).not.toThrow();
    expect(() => assertHoldWithinHistory(plan, heldLimitSeconds, 'paused')).toThrow(
      expect.objectContaining({ name: 'GateFailed' }),
    );
  });
});
