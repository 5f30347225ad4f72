import * as z from 'zod/mini';
import { getRequestCounts } from '../aws/cloudwatch';
import { ClusterShiftError } from '../core/errors';
import { drainedTargetGroups } from '../core/execution';
import { MESSAGE_NAMES_LIMIT, nameList } from '../core/name-list';
import { checkDrained } from '../core/verify';
import { now } from './shared/clock';
import { taskHandler } from './shared/handler';
import { logger } from './shared/logger';
import { loadStoredPlan } from './shared/plan';
import { count, executionId } from './shared/schemas';

const verifyEvent = z.object({ executionId, attempt: z._default(count(), 0) });

/**
 * After a drain or failover: the drained cluster's RequestCount per target group (CloudWatch) must
 * fall to the threshold within the verify window. This is what says the cluster is safe to take
 * down. Throws NotDrained naming the routes still receiving traffic when the window is over.
 */
export const handler = taskHandler(verifyEvent, async (event, { config, store }) => {
  const { meta, plan } = await loadStoredPlan(store, event.executionId);
  // A failover has written everything: verifying only reads, so it frees the fleet for the
  // failover of another sick cluster that waits for it. Any other shift keeps the fleet until it
  // has ended (the verify window may outlast the lease).
  if (meta.action === 'failover') await store.releaseLock(event.executionId);
  else await store.renewLock(event.executionId, now(), config.lock.leaseSeconds);
  const attempt = event.attempt + 1;
  const drainedTargets = drainedTargetGroups(plan, meta.cluster);
  if (drainedTargets.size === 0) return { attempt, drained: true };

  const at = now();
  const lastWriteAt = new Date(meta.lastWriteAt ?? meta.createdAt);
  const start = new Date(Math.floor(lastWriteAt.getTime() / 60_000) * 60_000);
  const datapoints = await getRequestCounts(
    [...drainedTargets].map(([targetGroupArn, entry]) => ({
      targetGroupArn,
      loadBalancerArn: entry.loadBalancerArn,
    })),
    { start, end: at },
  );
  const check = checkDrained(datapoints, lastWriteAt, at, config.thresholds.drainedRequestsPerMinute);
  const maxAttempts = Math.max(
    1,
    Math.ceil(config.thresholds.verifyWindowSeconds / config.thresholds.verifyIntervalSeconds),
  );
  const stillReceiving = check.stillReceiving.map((s) => ({
    routes: drainedTargets.get(s.targetGroupArn)?.routes ?? [],
    targetGroupArn: s.targetGroupArn,
    requestsPerMinute: s.requestsPerMinute,
  }));
  logger.info('drain verification', {
    attempt,
    maxAttempts,
    observed: check.observed,
    stillReceiving: stillReceiving.length,
  });
  if (check.drained) {
    await store.appendHistoryStep(event.executionId, {
      kind: 'verify',
      at: at.toISOString(),
      drained: true,
      attempt,
    });
    return { attempt, drained: true };
  }
  if (attempt >= maxAttempts) {
    const names = [...new Set(stillReceiving.flatMap((s) => s.routes))];
    const message = check.observed
      ? `${meta.cluster} still receives traffic after ${config.thresholds.verifyWindowSeconds} s on: ${nameList(names)}`
      : `no full minute of metrics after the last write within ${config.thresholds.verifyWindowSeconds} s; cannot confirm ${meta.cluster} is drained`;
    await store.appendHistoryStep(event.executionId, {
      kind: 'verify',
      at: at.toISOString(),
      drained: false,
      attempt,
      // Bounded: one DynamoDB item holds the whole history.
      stillReceiving: stillReceiving.slice(0, MESSAGE_NAMES_LIMIT),
      stillReceivingCount: stillReceiving.length,
    });
    throw new ClusterShiftError('NotDrained', message, { details: { stillReceiving } });
  }
  return { attempt, drained: false };
});
