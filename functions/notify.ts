import * as z from 'zod/mini';
import { getAlarmStates, sumRequestCounts } from '../aws/cloudwatch';
import type { ShiftStore } from '../aws/store';
import type { FleetConfig } from '../core/config';
import { isClusterShiftError } from '../core/errors';
import { gateAlarmNames } from '../core/gates';
import {
  type GateReadings,
  type Notification,
  type ObservedShare,
  observationWindow,
  observedShare,
  type StoredShift,
  sendsEvent,
  startedNotification,
  stepNotification,
  TOO_SOON,
} from '../core/notification';
import { receivingClusters } from '../core/planner';
import { now } from './shared/clock';
import { taskHandler } from './shared/handler';
import { logger } from './shared/logger';
import { deliverNotification } from './shared/notify';
import { findStoredPlan } from './shared/plan';
import { count, executionId } from './shared/schemas';

const notifyEvent = z
  .object({
    executionId,
    kind: z.enum(['started', 'step']),
    /** The step just applied (and baked); required for `step`. */
    stepIndex: z.optional(count()),
  })
  .check(
    z.refine((event) => event.kind !== 'step' || event.stepIndex !== undefined, {
      message: 'stepIndex is required for a step notification',
      path: ['stepIndex'],
    }),
  );

const reasonOf = (error: unknown): string =>
  isClusterShiftError(error)
    ? `${error.name}: ${error.message}`
    : error instanceof Error
      ? `${error.name}: ${error.message}`
      : String(error);

/** A read whose failure is reported in the message rather than thrown. */
const attempt = async <T>(
  read: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; why: string }> => {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    return { ok: false, why: reasonOf(error) };
  }
};

const readGates = async (config: FleetConfig, shift: StoredShift): Promise<GateReadings> => {
  // The alarms the gates check for this plan (a failover does not check the fleet gate alarms).
  const names = gateAlarmNames(config, receivingClusters(shift.plan), shift.meta.action !== 'failover');
  if (names.length === 0) return { status: 'read', alarms: [] };
  const read = await attempt(() => getAlarmStates(names));
  if (!read.ok) return { status: 'unavailable', why: read.why };
  return {
    status: 'read',
    alarms: names.map((name) => ({ name, state: read.value.get(name) ?? 'NOT FOUND' })),
  };
};

/** Requests per cluster (CloudWatch RequestCount) over the whole minutes since the step was written. */
const readObserved = async (config: FleetConfig, shift: StoredShift): Promise<ObservedShare> => {
  const { meta, plan } = shift;
  const window = observationWindow(new Date(meta.lastWriteAt ?? meta.createdAt), now());
  if (window === undefined) return { status: 'not-measured', why: TOO_SOON };
  const clusterOf = new Map<string, string>();
  const targets = plan.routes.flatMap(({ route }) =>
    route.targets.flatMap((target) => {
      if (target.cluster === null) return [];
      clusterOf.set(target.targetGroupArn, target.cluster);
      return [{ targetGroupArn: target.targetGroupArn, loadBalancerArn: route.loadBalancerArn }];
    }),
  );
  if (targets.length === 0) return { status: 'not-measured', why: 'no route changes' };
  const read = await attempt(() =>
    sumRequestCounts(targets, (t) => clusterOf.get(t.targetGroupArn) ?? 'unknown', window),
  );
  if (!read.ok) return { status: 'unavailable', why: read.why };
  const requests: Record<string, number> = Object.fromEntries(config.clusters.map((c) => [c.name, 0]));
  for (const [cluster, points] of read.value) {
    if (cluster in requests)
      requests[cluster] = (requests[cluster] ?? 0) + points.reduce((s, p) => s + p.sum, 0);
  }
  return observedShare(requests, window.minutes);
};

const approvedThrough = async (store: ShiftStore, id: string): Promise<number> => {
  const read = await attempt(() => store.getControl(id));
  // Unknown: assume not approved, so the button is offered (pressing it twice is harmless).
  return read.ok ? read.value.approvedThroughStep : -1;
};

/**
 * A workflow task: notifies that a shift started (after the lock) or that a step was applied and
 * baked, with the step's weights, the observed share per cluster from CloudWatch and the gate alarms.
 * Reads that fail show as "unavailable" in the message; the workflow also catches anything thrown
 * here and goes on, so a notification never fails the shift.
 */
export const handler = taskHandler(notifyEvent, async (event, { config, store }) => {
  const { kind, stepIndex = 0 } = event;
  const { snsTopicArn, slack, level } = config.notifications;
  if ((snsTopicArn === undefined && slack === undefined) || !sendsEvent(level, kind)) {
    return { kind, notification: { attempted: false, delivered: false } };
  }
  const loaded = await attempt(() => findStoredPlan(store, event.executionId));
  if (!loaded.ok || loaded.value === undefined) {
    const why = loaded.ok ? 'no plan is stored for this execution' : loaded.why;
    logger.warn('nothing to notify', { kind, why });
    return { kind, notification: { attempted: false, delivered: false }, note: why };
  }
  const shift: StoredShift = loaded.value;
  const clusters = config.clusters.map((c) => c.name);
  let notification: Notification;
  if (kind === 'started') {
    notification = startedNotification(config.fleet, clusters, shift);
  } else {
    const [observed, gates, approvedThroughStep] = await Promise.all([
      readObserved(config, shift),
      readGates(config, shift),
      approvedThrough(store, event.executionId),
    ]);
    notification = stepNotification(config.fleet, clusters, shift, stepIndex, {
      observed,
      gates,
      approvedThroughStep,
    });
  }
  const delivery = await deliverNotification(config, notification);
  logger.info('notified', { kind, step: kind === 'step' ? stepIndex + 1 : undefined, ...delivery });
  return { kind, ...(kind === 'step' ? { stepIndex } : {}), notification: delivery };
});
