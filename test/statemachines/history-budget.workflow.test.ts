import { ClusterShiftError } from '../../core/errors';
import { ASL_EVENTS, LOCK_BUSY_MAX_ATTEMPTS, runEvents, worstCaseEvents } from '../../core/history-budget';
import { twinWith } from '../local/sfn/support';
import { substitutedDefinition } from '../support/workflow';

interface Shape {
  readonly action: 'drain' | 'shift' | 'failover';
  readonly steps: number;
  readonly bakeChecks: number;
  /** Gate checks that hold (paused) before step 0. */
  readonly held: number;
  /** Verification attempts until drained. */
  readonly verifyAttempts: number;
  /** LockBusy answers before the lock is taken. */
  readonly lockBusy: number;
  /** Fail the gate during the last step's bake (rollback). */
  readonly failLastStep?: boolean;
  /** Invocations each step's writes (and the rollback's) take: more than 1 continues them. */
  readonly invocationsPerWrite?: number;
  /** A failover's ungated first step is not clear to write and asks for the gate. */
  readonly asksForGate?: boolean;
}

/**
 * Runs shift.asl.json on the twin (its Step Functions engine and history recorder, functions in its
 * Lambda runtime) with stub tasks that answer as the real ones do, and returns the execution's event
 * count: the real workflow's events for a run of this shape.
 */
const eventsOf = async (shape: Shape): Promise<number> => {
  let busy = shape.lockBusy;
  let held = shape.held;
  const payload = (event: unknown) => event as Record<string, unknown>;
  const twin = twinWith(
    {
      'clustershift-Prepare': async (event) => ({
        executionId: payload(event).executionId,
        dryRun: false,
        action: shape.action,
        cluster: 'blue',
        steps: Array.from({ length: shape.steps }, (_, index) => ({
          index,
          fraction: (index + 1) / shape.steps,
        })),
        checkIntervalSeconds: 1,
        bakeChecks: shape.bakeChecks,
        verify: shape.verifyAttempts > 0,
        verifyIntervalSeconds: 1,
        summary: {},
        duplicateOf: null,
        skipped: null,
      }),
      'clustershift-Lock': async () => {
        if (busy-- > 0) throw new ClusterShiftError('LockBusy', 'another failover holds the fleet');
        return { duplicateOf: null, preempted: null, skipped: null, replan: null };
      },
      'clustershift-Notify': async () => ({}),
      'clustershift-ApplyStep': async (event) => {
        const appliedAt = '2026-11-23T10:00:00Z';
        if (shape.asksForGate && payload(event).gateRan === false)
          return { done: false, needsGate: true, written: 0, invocation: 0, appliedAt };
        const invocation = (payload(event).invocation as number) + 1;
        const done = invocation >= (shape.invocationsPerWrite ?? 1);
        return { done, needsGate: false, written: invocation, invocation, appliedAt };
      },
      'clustershift-CheckGates': async (event) => {
        const e = payload(event) as { phase: string; stepIndex: number; checks: number; bakeChecks: number };
        if (e.phase === 'before-step') return { paused: held-- > 0 };
        const checks = e.checks + 1;
        if (shape.failLastStep && e.stepIndex === shape.steps - 1 && checks === e.bakeChecks)
          throw new ClusterShiftError('GateFailed', 'gate alarms in ALARM');
        return { ...e, checks, done: checks >= e.bakeChecks, paused: false };
      },
      'clustershift-VerifyDrained': async (event) => {
        const attempt = (payload(event).attempt as number) + 1;
        return { attempt, drained: attempt >= shape.verifyAttempts };
      },
      'clustershift-Rollback': async (event) => ({
        done: (payload(event).invocation as number) + 1 >= (shape.invocationsPerWrite ?? 1),
        invocation: (payload(event).invocation as number) + 1,
        leftAsFoundCount: 0,
        mode: 'rollback',
        restored: 1,
        alreadyAtSnapshot: 0,
        leftAsFound: [],
        appliedStepIndex: 0,
        reason: 'gate',
      }),
      'clustershift-Finish': async (event) => ({
        status: payload(event).outcome,
        executionId: payload(event).executionId,
        message: 'done',
        cause: 'rolled back',
      }),
    },
    // Waits of 1 s take 1 ms; the workflow's 48-hour TimeoutSeconds stays far off (172 s).
    1_000,
  );
  const machine = await twin.createMachine(substitutedDefinition(), 'shift');
  const arn = await twin.start(machine, {
    action: shape.action,
    cluster: 'blue',
    reason: 'count',
    requestedBy: 'cli:test',
  });
  const done = await twin.sfn.whenDone(arn);
  if (done.status !== (shape.failLastStep ? 'FAILED' : 'SUCCEEDED'))
    throw new Error(`${done.status} ${done.error} ${done.cause}`);
  const events = await twin.call<{ events: unknown[]; nextToken?: string }>('GetExecutionHistory', {
    executionArn: arn,
    maxResults: 1000,
  });
  if (events.nextToken !== undefined) throw new Error('more than 1000 events');
  return events.events.length;
};

const base: Shape = { action: 'drain', steps: 1, bakeChecks: 1, held: 0, verifyAttempts: 1, lockBusy: 0 };

describe('the history budget against shift.asl.json run on the twin', () => {
  it.each<[string, Shape]>([
    ['a drain of one step, one bake check, one verification', base],
    [
      'a drain of 3 steps of 4 bake checks, verified at the 3rd attempt',
      { ...base, steps: 3, bakeChecks: 4, verifyAttempts: 3 },
    ],
    [
      'a shift without bake or verification',
      { ...base, action: 'shift', steps: 2, bakeChecks: 0, verifyAttempts: 0 },
    ],
    ['a drain held for 3 gate checks before its first step', { ...base, held: 3 }],
    [
      'a failover that waits for the lock 4 times',
      { ...base, action: 'failover', lockBusy: 4, bakeChecks: 0 },
    ],
    ['a failover of 2 steps', { ...base, action: 'failover', steps: 2, bakeChecks: 0 }],
  ])('writes exactly the events core/history-budget.ts counts: %s', async (_, shape) => {
    // Act
    const measured = await eventsOf(shape);

    // Assert
    expect(measured).toBe(
      runEvents({
        action: shape.action,
        steps: shape.steps,
        bakeChecks: shape.bakeChecks,
        verifyAttempts: shape.verifyAttempts,
        held: shape.held,
        lockRetries: shape.lockBusy,
      }),
    );
  });

  it('counts 9 events per bake check, per held check and per verification attempt, measured as differences', async () => {
    // Act
    const one = await eventsOf(base);
    const moreBake = await eventsOf({ ...base, bakeChecks: 2 });
    const moreHeld = await eventsOf({ ...base, held: 1 });
    const moreVerify = await eventsOf({ ...base, verifyAttempts: 2 });

    // Assert
    expect(moreBake - one).toBe(ASL_EVENTS.perBakeCheck);
    expect(moreHeld - one).toBe(ASL_EVENTS.perHeldCheck);
    expect(moreVerify - one).toBe(ASL_EVENTS.perVerifyAttempt);
  });

  it('counts 7 events per continuation of a step whose writes take more than one invocation', async () => {
    // Act
    const one = await eventsOf({ ...base, steps: 2 });
    const continued = await eventsOf({ ...base, steps: 2, invocationsPerWrite: 3 });

    // Assert: 2 steps × 2 further ApplyStep invocations
    expect(continued - one).toBe(4 * ASL_EVENTS.perContinuation);
    expect(continued).toBe(
      runEvents({ action: 'drain', steps: 2, bakeChecks: 1, verifyAttempts: 1, continuations: 4 }),
    );
  });

  it('stays within the worst case when a continued rollback follows continued steps', async () => {
    // Act
    const measured = await eventsOf({
      ...base,
      steps: 3,
      bakeChecks: 2,
      failLastStep: true,
      invocationsPerWrite: 4,
    });

    // Assert
    const plan = {
      action: 'drain' as const,
      steps: 3,
      bakeChecks: 2,
      verifyAttempts: 1,
      continuationsPerStep: 3,
    };
    expect(measured).toBeLessThanOrEqual(worstCaseEvents(plan).total);
    expect(measured).toBeGreaterThan(worstCaseEvents({ ...plan, continuationsPerStep: 0 }).total);
  });

  it("counts a failover's first step that asks for the gate it skipped", async () => {
    // Prepare
    const shape: Shape = { ...base, action: 'failover', bakeChecks: 0 };

    // Act
    const ungated = await eventsOf(shape);
    const askedForGate = await eventsOf({ ...shape, asksForGate: true });

    // Assert: ApplyStep and StepWritten? before the gate, then the gate itself (GateBeforeStep, HeldBeforeStep?)
    expect(askedForGate - ungated).toBe(ASL_EVENTS.failoverAsksForGate);
    expect(askedForGate).toBeLessThanOrEqual(
      worstCaseEvents({ action: 'failover', steps: 1, bakeChecks: 0, verifyAttempts: 1 }).total,
    );
  });

  it('stays within the worst case when the last bake check fails and the workflow rolls back', async () => {
    // Act
    const measured = await eventsOf({ ...base, steps: 3, bakeChecks: 2, failLastStep: true });

    // Assert
    const plan = { action: 'drain' as const, steps: 3, bakeChecks: 2, verifyAttempts: 1 };
    expect(measured).toBeLessThanOrEqual(worstCaseEvents(plan).total);
  });

  it("counts the lock wait with the ASL's own LockBusy retry budget", () => {
    const retry = substitutedDefinition().States.Lock.Retry.find((r: { ErrorEquals: string[] }) =>
      r.ErrorEquals.includes('LockBusy'),
    );
    expect(retry.MaxAttempts).toBe(LOCK_BUSY_MAX_ATTEMPTS);
  });
});
