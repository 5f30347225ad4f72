import type { FleetConfig } from './config';
import { ClusterShiftError } from './errors';
import { alarmingHealthAlarms, describeHealth, isReceiverHealthy } from './health';
import type { AlarmState, TargetGroupHealth, Weights } from './routes';

export interface ControlFlags {
  readonly paused: boolean;
  readonly aborted: boolean;
  /** The highest step index an operator approved past a pause-before point (-1: none). */
  readonly approvedThroughStep: number;
}

export interface DriftedRoute {
  readonly id: string;
  readonly name: string;
  readonly expected: Weights;
  readonly live: Weights;
}

export interface GateInput {
  readonly config: FleetConfig;
  /** `before-step`: about to apply `stepIndex`; `bake`: holding `stepIndex` after writing it. */
  readonly phase: 'before-step' | 'bake';
  readonly stepIndex: number;
  readonly pauseBeforeSteps: readonly number[];
  /** Whether fleet gate alarms apply (not for a failover: the fleet is alarming because of the sick cluster). */
  readonly checkGateAlarms: boolean;
  readonly receivingClusters: ReadonlySet<string>;
  readonly receivingTargetGroups: ReadonlyMap<string, string>;
  readonly alarms: ReadonlyMap<string, AlarmState>;
  readonly health: ReadonlyMap<string, TargetGroupHealth>;
  readonly control: ControlFlags;
  readonly drifted: readonly DriftedRoute[];
}

export interface GateFailure {
  readonly gate: 'alarm' | 'receiver-health' | 'abort' | 'drift';
  readonly detail: string;
}

export interface GateResult {
  readonly ok: boolean;
  /** Hold here (operator pause, or a pause-before-step not yet approved); not a failure. */
  readonly paused: boolean;
  readonly pauseReason?: string;
  readonly failures: readonly GateFailure[];
}

/** The alarm names a gate check needs to read. */
export const gateAlarmNames = (
  config: FleetConfig,
  receivingClusters: ReadonlySet<string>,
  checkGateAlarms: boolean,
) => [
  ...new Set([
    ...(checkGateAlarms ? config.gateAlarms : []),
    ...config.clusters.filter((c) => receivingClusters.has(c.name)).flatMap((c) => c.healthAlarms),
  ]),
];

export const evaluateGates = (input: GateInput): GateResult => {
  const failures: GateFailure[] = [];
  if (input.control.aborted) failures.push({ gate: 'abort', detail: 'an operator aborted the shift' });
  if (input.drifted.length > 0) {
    failures.push({
      gate: 'drift',
      detail: `weights changed by someone else on: ${input.drifted.map((d) => d.name).join(', ')}`,
    });
  }
  if (input.checkGateAlarms) {
    const firing = input.config.gateAlarms.filter((name) => input.alarms.get(name) === 'ALARM');
    if (firing.length > 0)
      failures.push({ gate: 'alarm', detail: `gate alarms in ALARM: ${firing.join(', ')}` });
  }
  for (const cluster of input.receivingClusters) {
    const firing = alarmingHealthAlarms(input.config, cluster, input.alarms);
    if (firing.length > 0) {
      failures.push({
        gate: 'alarm',
        detail: `receiving cluster ${cluster} health alarms in ALARM: ${firing.join(', ')}`,
      });
    }
  }
  const sick = [...input.receivingTargetGroups].filter(
    ([arn]) => !isReceiverHealthy(input.health.get(arn), input.config.thresholds),
  );
  if (sick.length > 0) {
    failures.push({
      gate: 'receiver-health',
      detail: `receiving target groups unhealthy: ${sick.map(([arn, label]) => `${label} (${describeHealth(input.health.get(arn))})`).join(', ')}`,
    });
  }
  const awaitingApproval =
    input.phase === 'before-step' &&
    input.pauseBeforeSteps.includes(input.stepIndex) &&
    input.control.approvedThroughStep < input.stepIndex;
  const paused = input.control.paused || awaitingApproval;
  const pauseReason = input.control.paused
    ? 'paused by an operator'
    : awaitingApproval
      ? `waiting for approval before step ${input.stepIndex + 1}`
      : undefined;
  return {
    ok: failures.length === 0,
    paused,
    ...(pauseReason === undefined ? {} : { pauseReason }),
    failures,
  };
};

/** Turns failed gates into the error the workflow catches: abort wins, then drift, then the rest. */
export const gateError = (result: GateResult): ClusterShiftError | undefined => {
  if (result.ok) return undefined;
  const details = { failures: result.failures };
  const message = result.failures.map((f) => f.detail).join('; ');
  if (result.failures.some((f) => f.gate === 'abort'))
    return new ClusterShiftError('Aborted', message, { details });
  if (result.failures.some((f) => f.gate === 'drift'))
    return new ClusterShiftError('DriftDetected', message, { details });
  return new ClusterShiftError('GateFailed', message, { details });
};
