/** Observed share: what the load balancer actually sent each cluster since a step was written. */
import type { ObservedShare } from './model';

const MINUTE_MS = 60_000;

export interface ObservationWindow {
  readonly start: Date;
  readonly end: Date;
  readonly minutes: number;
}

/**
 * The whole minutes that began at or after the write and have ended by `now`. ALB metrics are
 * one-minute sums, and a minute that began before the write mixes old and new weights.
 * Undefined while no such minute has ended.
 */
export const observationWindow = (lastWriteAt: Date, now: Date): ObservationWindow | undefined => {
  const start = Math.ceil(lastWriteAt.getTime() / MINUTE_MS) * MINUTE_MS;
  const end = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  const minutes = Math.floor((end - start) / MINUTE_MS);
  return minutes < 1 ? undefined : { start: new Date(start), end: new Date(end), minutes };
};

export const TOO_SOON = 'less than a full minute of metrics since the step was written';

/** Each cluster's fraction of the requests counted over `minutes`; "not measured yet" with none. */
export const observedShare = (
  requestsByCluster: Readonly<Record<string, number>>,
  minutes: number,
): ObservedShare => {
  const total = Object.values(requestsByCluster).reduce((sum, n) => sum + n, 0);
  if (total <= 0) {
    return {
      status: 'not-measured',
      why: `no requests counted in the ${minutes} min since the step was written`,
    };
  }
  return {
    status: 'measured',
    shares: Object.fromEntries(Object.entries(requestsByCluster).map(([cluster, n]) => [cluster, n / total])),
    requests: total,
    minutes,
  };
};
