import type { FleetConfig } from './config';
import type { AlarmState, TargetGroupHealth } from './routes';

export type Thresholds = FleetConfig['thresholds'];

/** Whether a target group may receive more weight: enough healthy targets, in count and in percent. */
export const isReceiverHealthy = (health: TargetGroupHealth | undefined, thresholds: Thresholds): boolean => {
  if (health === undefined) return false;
  if (health.healthy < thresholds.minHealthyTargets) return false;
  if (health.total === 0) return thresholds.minHealthyTargets === 0;
  return (health.healthy / health.total) * 100 >= thresholds.minHealthyPercent;
};

/** The target groups that pass the receiver thresholds: the ones a failover may hand traffic to. */
export const healthyTargetGroups = (
  health: ReadonlyMap<string, TargetGroupHealth>,
  thresholds: Thresholds,
): Set<string> =>
  new Set([...health].filter(([, group]) => isReceiverHealthy(group, thresholds)).map(([arn]) => arn));

const SOURCE_NAMES = { cloudwatch: 'CloudWatch', live: 'read live' } as const;

/** `2/5 healthy`, and where and when it was read when known: `2/5 healthy, CloudWatch 12:03 UTC`. */
export const describeHealth = (health: TargetGroupHealth | undefined): string => {
  if (health === undefined) return 'health unknown';
  const figure = `${health.healthy}/${health.total} healthy`;
  if (health.source === undefined) return figure;
  const at = health.at === undefined ? '' : ` ${health.at.toISOString().slice(11, 16)} UTC`;
  return `${figure}, ${SOURCE_NAMES[health.source]}${at}`;
};

/** Health alarms of a cluster that are in ALARM. */
export const alarmingHealthAlarms = (
  config: FleetConfig,
  cluster: string,
  alarms: ReadonlyMap<string, AlarmState>,
): string[] =>
  (config.clusters.find((c) => c.name === cluster)?.healthAlarms ?? []).filter(
    (name) => alarms.get(name) === 'ALARM',
  );

/** Clusters none of whose health alarms is in ALARM. */
export const clustersWithoutAlarm = (
  config: FleetConfig,
  alarms: ReadonlyMap<string, AlarmState>,
): Set<string> =>
  new Set(
    config.clusters
      .map((c) => c.name)
      .filter((name) => alarmingHealthAlarms(config, name, alarms).length === 0),
  );
