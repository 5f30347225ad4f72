import * as z from 'zod/mini';
import { getAlarmStates } from '../aws/cloudwatch';
import { applyWeights } from '../aws/elbv2';
import { InvalidRequestError } from '../core/errors';
import { stepChanges } from '../core/execution';
import { evaluateGates, gateAlarmNames } from '../core/gates';
import { failoverLatencyMs } from '../core/metrics';
import { receivingClusters } from '../core/planner';
import { clusterShares } from '../core/summary';
import { now } from './shared/clock';
import { taskHandler } from './shared/handler';
import { logger } from './shared/logger';
import { recordFailoverLatency, recordStepApplied } from './shared/metrics';
import { loadStoredPlan } from './shared/plan';
import { count, executionId } from './shared/schemas';

const applyStepEvent = z.object({
  executionId,
  stepIndex: count(),
  // Set by the workflow when it invokes again a step the previous invocation could not finish.
  writtenBefore: z.optional(count()),
  invocation: z.optional(count()),
  /**
   * False when the workflow skipped GateBeforeStep: a failover's first step, whose first write must
   * not wait for a gate invocation (Prepare checked the receivers a moment ago). Then this task
   * checks what could have changed since (an abort or pause, the receivers' health alarms) and,
   * unless all is clear, writes nothing and asks for the gate (`needsGate`), which fails or holds.
   */
  gateRan: z._default(z.boolean(), true),
});

/**
 * Writes one step's weights with compare-and-set (after recording in the history that it is writing them): a route still at the previous step's weights is
 * written, one already at this step's is left (a retried step is harmless), and any other value is
 * drift — then nothing at all is written. The lock is checked (and renewed) first: an execution a
 * failover preempted halts here with LockLost rather than writing over the failover. A failover
 * records itself as the last failover with each write, so the cooldown starts with the traffic move.
 * Metrics: the step, the routes written, each cluster's share after it, and for a failover's last
 * step the latency from the alarm event.
 *
 * A step over more routes than ELBv2's mutating bucket accepts in one invocation (3 writes a second,
 * a 5-minute timeout) stops starting writes when the next could not end before the invocation's
 * deadline and returns `done: false`; the workflow invokes it again (`writtenBefore`, `invocation`),
 * and the compare-and-set skips the routes already written. The step counts as applied (plan meta,
 * history's `step` entry with the total written, a failover's lock release) only once it is done.
 */
export const handler = taskHandler(applyStepEvent, async (event, { config, store }) => {
  const { meta, plan } = await loadStoredPlan(store, event.executionId);
  const fraction = plan.steps[event.stepIndex];
  if (fraction === undefined) {
    throw new InvalidRequestError([
      {
        path: 'stepIndex',
        message: `step ${event.stepIndex} is not in the plan (steps 0-${plan.steps.length - 1})`,
      },
    ]);
  }
  const changes = stepChanges(plan, event.stepIndex);
  const writtenBefore = event.writtenBefore ?? 0;
  const invocation = event.invocation ?? 0;
  if (!event.gateRan && invocation === 0) {
    // Only a failover's first step goes ungated; anything else, or anything not clear, takes the gate.
    const [control, alarms] = await Promise.all([
      store.getControl(event.executionId),
      getAlarmStates(gateAlarmNames(config, receivingClusters(plan), false)),
      store.renewLock(event.executionId, now(), config.lock.leaseSeconds),
    ]);
    const gate = evaluateGates({
      config,
      phase: 'before-step',
      stepIndex: event.stepIndex,
      pauseBeforeSteps: meta.pauseBeforeSteps,
      checkGateAlarms: false,
      receivingClusters: receivingClusters(plan),
      receivingTargetGroups: new Map(),
      alarms,
      health: new Map(),
      control,
      drifted: [],
    });
    if (meta.action !== 'failover' || !gate.ok || gate.paused) {
      logger.info('not clear to write without the gate: asking for it', {
        step: event.stepIndex + 1,
        failures: gate.failures.map((f) => f.gate),
        paused: gate.paused,
      });
      return {
        stepIndex: event.stepIndex,
        done: false,
        needsGate: true,
        written: 0,
        remaining: changes.length,
        invocation: 0,
        appliedAt: now().toISOString(),
      };
    }
  }
  // Write-ahead: the history names the step before any weight moves, so a handler that dies
  // between the writes and their record still leaves the writes accounted for. One round with the
  // lease renewal, so it adds no latency. Once per step: a continuation's routes are the same step's.
  await Promise.all([
    store.renewLock(event.executionId, now(), config.lock.leaseSeconds),
    invocation > 0
      ? Promise.resolve()
      : store.appendHistoryStep(event.executionId, {
          kind: 'writing',
          index: event.stepIndex,
          fraction,
          at: now().toISOString(),
          routes: changes.length,
        }),
  ]);
  // A manual shift can lose the fleet to a failover at any moment: each write first checks it still
  // holds it (one read), so none of its writes lands after the failover's. A failover is never
  // preempted and writes at full speed.
  const result = await applyWeights(changes, undefined, {
    ...(meta.action === 'failover' ? {} : { beforeEachWrite: () => store.assertLockHeld(event.executionId) }),
  });
  const at = now();
  const written = writtenBefore + result.written.length;
  if (meta.action === 'failover' && meta.cluster !== undefined && result.written.length > 0) {
    await store.setLastFailover({
      at,
      cluster: meta.cluster,
      executionId: event.executionId,
      receivers: [...receivingClusters(plan)],
    });
  }
  if (result.remaining.length > 0) {
    // Not applied yet: appliedStepIndex stays at the previous step, and the `writing` entry tells a
    // rollback that this step's weights on a route are this execution's.
    if (result.written.length > 0)
      await store.updatePlanMeta(event.executionId, { lastWriteAt: at.toISOString() });
    logger.info('step continues in the next invocation', {
      step: event.stepIndex + 1,
      of: plan.steps.length,
      invocation: invocation + 1,
      written,
      remaining: result.remaining.length,
    });
    return {
      stepIndex: event.stepIndex,
      done: false,
      needsGate: false,
      written,
      remaining: result.remaining.length,
      invocation: invocation + 1,
      appliedAt: at.toISOString(),
    };
  }
  await store.updatePlanMeta(event.executionId, {
    appliedStepIndex: event.stepIndex,
    lastWriteAt: at.toISOString(),
  });
  const shares = clusterShares(
    changes.map((c) => ({ route: c.route, weights: c.desired })),
    config.clusters.map((c) => c.name),
  );
  await store.appendHistoryStep(event.executionId, {
    kind: 'step',
    index: event.stepIndex,
    fraction,
    at: at.toISOString(),
    written,
    // Routes the earlier invocations of this step wrote read as already desired now.
    alreadyDesired: Math.max(0, result.alreadyDesired.length - writtenBefore),
    ...(invocation > 0 ? { invocations: invocation + 1 } : {}),
    shares,
  });
  recordStepApplied(shares, written);
  const lastStep = event.stepIndex === plan.steps.length - 1;
  const latency =
    meta.action === 'failover' && lastStep && meta.triggeredAt !== undefined
      ? failoverLatencyMs(meta.triggeredAt, at)
      : undefined;
  if (latency !== undefined) recordFailoverLatency(latency);
  // A failover with no bake has written everything: what is left (verifying) only reads, so it frees
  // the fleet at once for the failover of another sick cluster that may be waiting for it.
  if (meta.action === 'failover' && lastStep && plan.bakeSeconds === 0)
    await store.releaseLock(event.executionId);
  logger.info('step applied', {
    step: event.stepIndex + 1,
    of: plan.steps.length,
    written,
    shares,
    ...(latency === undefined ? {} : { failoverLatencyMs: latency }),
  });
  return {
    stepIndex: event.stepIndex,
    done: true,
    needsGate: false,
    written,
    remaining: 0,
    invocation: invocation + 1,
    appliedAt: at.toISOString(),
  };
});
