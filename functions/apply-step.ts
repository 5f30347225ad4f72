import * as z from 'zod/mini';
import { applyWeights } from '../aws/elbv2';
import { stepChanges } from '../core/execution';
import { failoverLatencyMs } from '../core/metrics';
import { receivingClusters } from '../core/planner';
import { clusterShares } from '../core/summary';
import { now } from './shared/clock';
import { taskHandler } from './shared/handler';
import { logger } from './shared/logger';
import { recordFailoverLatency, recordStepApplied } from './shared/metrics';
import { loadStoredPlan } from './shared/plan';
import { count, executionId } from './shared/schemas';

const applyStepEvent = z.object({ executionId, stepIndex: count() });

/**
 * Writes one step's weights with compare-and-set: a route still at the previous step's weights is
 * written, one already at this step's is left (a retried step is harmless), and any other value is
 * drift — then nothing at all is written. The lock is checked (and renewed) first: an execution a
 * failover preempted halts here with LockLost rather than writing over the failover. A failover
 * records itself as the last failover with each write, so the cooldown starts with the traffic move.
 * Metrics: the step, the routes written, each cluster's share after it, and for a failover's last
 * step the latency from the alarm event.
 */
export const handler = taskHandler(applyStepEvent, async (event, { config, store }) => {
  const { meta, plan } = await loadStoredPlan(store, event.executionId);
  const fraction = plan.steps[event.stepIndex];
  if (fraction === undefined) throw new RangeError(`step ${event.stepIndex} is not in the plan`);
  await store.renewLock(event.executionId, now(), config.lock.leaseSeconds);
  const changes = stepChanges(plan, event.stepIndex);
  const result = await applyWeights(changes);
  const at = now();
  if (meta.action === 'failover' && meta.cluster !== undefined) {
    await store.setLastFailover({
      at,
      cluster: meta.cluster,
      executionId: event.executionId,
      receivers: [...receivingClusters(plan)],
    });
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
    written: result.written.length,
    alreadyDesired: result.alreadyDesired.length,
    shares,
  });
  recordStepApplied(shares, result.written.length);
  const lastStep = event.stepIndex === plan.steps.length - 1;
  const latency =
    meta.action === 'failover' && lastStep && meta.triggeredAt !== undefined
      ? failoverLatencyMs(meta.triggeredAt, at)
      : undefined;
  if (latency !== undefined) recordFailoverLatency(latency);
  logger.info('step applied', {
    step: event.stepIndex + 1,
    of: plan.steps.length,
    written: result.written.length,
    shares,
    ...(latency === undefined ? {} : { failoverLatencyMs: latency }),
  });
  return { stepIndex: event.stepIndex, written: result.written.length, appliedAt: at.toISOString() };
});
