import * as z from 'zod/mini';
import { getAlarmStates } from '../aws/cloudwatch';
import { readWeights } from '../aws/elbv2';
import { healthTargetsOf, liveFallbackOf, readLiveHealth, readTargetHealthWith } from '../aws/target-health';
import { InvalidRequestError } from '../core/errors';
import { driftedRoutes, receiverLabels } from '../core/execution';
import { evaluateGates, gateAlarmNames, gateError } from '../core/gates';
import { assertHoldWithinHistory, historyPlanOf } from '../core/history-budget';
import { receivingClusters, targetGroupsGainingFromZero } from '../core/planner';
import type { TargetGroupHealth } from '../core/routes';
import { now } from './shared/clock';
import { taskHandler } from './shared/handler';
import { logLiveFallback } from './shared/live-fallback';
import { logger } from './shared/logger';
import { loadStoredPlan } from './shared/plan';
import { count, executionId } from './shared/schemas';

const checkGatesEvent = z.object({
  executionId,
  phase: z.enum(['before-step', 'bake']),
  stepIndex: count(),
  /** Bake checks done so far for this step (the bake counts checks, not clock time, so it is
   * independent of the clock of whoever runs the Wait states). */
  checks: z._default(count(), 0),
  bakeChecks: z._default(count(), 0),
  checkIntervalSeconds: z._default(count(1), 30),
});

/**
 * Checks the gates (alarms, receivers' target health, abort/pause, drift) and renews the lock's
 * lease. Throws Aborted / DriftDetected / GateFailed; returns `paused` to hold and `done` once the
 * bake is over.
 */
export const handler = taskHandler(checkGatesEvent, async (event, { config, store }) => {
  const { meta, plan } = await loadStoredPlan(store, event.executionId);
  // Refused before the lease is renewed: a task event naming a step the plan lacks writes nothing.
  if (event.stepIndex >= plan.steps.length) {
    throw new InvalidRequestError([
      {
        path: 'stepIndex',
        message: `step ${event.stepIndex} is not in the plan (steps 0-${plan.steps.length - 1})`,
      },
    ]);
  }
  const clusters = receivingClusters(plan);
  // A failover planned from its receivers' health moments ago (Prepare read it to choose them); its
  // first gate does not read it again, which would double the reads before the first write. Every
  // later gate does.
  const plannedFromFreshHealth =
    meta.action === 'failover' && event.phase === 'before-step' && event.stepIndex === 0;
  const receivers = plannedFromFreshHealth ? new Map<string, string>() : receiverLabels(plan);
  const checkedAt = now();
  // A failover runs because the fleet is alarming; its fleet gate alarms would only stop the cure.
  const checkGateAlarms = meta.action !== 'failover';
  // Reads and the lease renewal in one round: this runs every check interval of every bake. Receivers'
  // health comes from CloudWatch (one GetMetricData round), live only where it has no fresh datapoint.
  const [alarms, healthRead, weights, control] = await Promise.all([
    getAlarmStates(gateAlarmNames(config, clusters, checkGateAlarms)),
    readTargetHealthWith(
      healthTargetsOf(
        plan.routes.map((r) => r.route),
        (target) => receivers.has(target.targetGroupArn),
      ),
      checkedAt,
    ),
    readWeights(plan.routes.map((r) => r.route)),
    store.getControl(event.executionId),
    store.renewLock(event.executionId, checkedAt, config.lock.leaseSeconds),
  ]);
  const fallback = liveFallbackOf(healthRead);
  if (fallback !== undefined) logLiveFallback(fallback);
  const drifted = driftedRoutes(plan, meta.appliedStepIndex, weights);
  const gates = (health: ReadonlyMap<string, TargetGroupHealth>) =>
    evaluateGates({
      config,
      phase: event.phase,
      stepIndex: event.stepIndex,
      pauseBeforeSteps: meta.pauseBeforeSteps,
      checkGateAlarms,
      receivingClusters: clusters,
      receivingTargetGroups: receivers,
      alarms,
      health,
      control,
      drifted,
    });
  let result = gates(healthRead.health);
  // Target groups this step takes from 0 weight are read live just before it is written, once the
  // rest of the gate passes (not while a pause holds, nor when it fails anyway): nothing has been sent
  // to them, so no alarm has seen them serve, and their metric may be minutes old or absent (ALB
  // reports metrics while requests flow). A target group leaves 0 once per shift: at most one
  // DescribeTargetHealth per route per shift, none on a drain or shift whose receivers already carry
  // weight. Every other check, the bake's re-checks included, relies on CloudWatch plus the alarms,
  // which keeps a drain's ELBv2 calls near its writes (issue 15: ≤ 1.2 per route per step).
  const fromZero =
    event.phase === 'before-step'
      ? targetGroupsGainingFromZero(plan, event.stepIndex).filter((arn) => receivers.has(arn))
      : [];
  if (result.ok && !result.paused && fromZero.length > 0) {
    const live = await readLiveHealth(fromZero, checkedAt);
    result = gates(new Map([...healthRead.health, ...live]));
  }
  const error = gateError(result);
  if (error !== undefined) throw error;

  const checks = event.phase === 'bake' ? event.checks + 1 : 0;
  const done = event.phase === 'bake' && !result.paused && checks >= event.bakeChecks;
  if (result.paused) {
    // A hold loops every check interval, 9 history events a turn, for as long as the operator takes:
    // before it could run the execution's history out (where Step Functions fails it with no rollback),
    // it fails the gate, and the workflow rolls back and releases the lock.
    assertHoldWithinHistory(
      {
        ...historyPlanOf(
          meta.action,
          plan.steps.length,
          event.bakeChecks,
          config.thresholds,
          plan.routes.length,
        ),
        checkIntervalSeconds: event.checkIntervalSeconds,
      },
      (now().getTime() - Date.parse(meta.createdAt)) / 1000,
      result.pauseReason ?? 'held',
    );
    logger.info('holding', { reason: result.pauseReason, step: event.stepIndex + 1 });
  }
  return {
    stepIndex: event.stepIndex,
    bakeChecks: event.bakeChecks,
    checkIntervalSeconds: event.checkIntervalSeconds,
    checks,
    done,
    paused: result.paused,
  };
});
