import { isClusterShiftError } from './errors';
import { GUARDRAIL_NAMES, type GuardrailName } from './guardrail-names';

/**
 * clustershift's own CloudWatch metrics (published as EMF by the handlers, charted by the dashboard):
 * one list of names, units and dimensions, so that what the functions emit and what the dashboard
 * reads cannot drift apart. A CloudWatch metric is identified by its exact set of dimensions.
 */
export const METRICS_NAMESPACE = 'Clustershift';
/** Powertools adds it to every metric as the `service` dimension. */
export const METRICS_SERVICE = 'clustershift';

export const METRIC = {
  /** Percent: a cluster's fleet share after an applied step (dimension `cluster`). */
  clusterShare: 'ClusterShare',
  /** Count: steps whose weights were written (or found already written). */
  stepsApplied: 'StepsApplied',
  /** Count: routes written by a step. */
  routesWritten: 'RoutesWritten',
  /** Count: rollback tasks run, by what they did (dimension `mode`). */
  rollbacks: 'Rollbacks',
  /** Count: shifts refused, one per refusing guardrail (dimension `guardrail`). */
  guardrailRefusals: 'GuardrailRefusals',
  /** Milliseconds: from the alarm event that started a failover to its last step's writes. */
  failoverLatency: 'FailoverLatency',
} as const;

/** What a rollback task did: wrote the snapshot back, held (onFailure: hold), skipped (another shift owns the lock), or found nothing written. */
export const ROLLBACK_MODES = ['rollback', 'hold', 'skipped', 'nothing-written'] as const;
export type RollbackMode = (typeof ROLLBACK_MODES)[number];

/** The dimensions every clustershift metric carries. */
export const baseDimensions = (fleet: string): Record<string, string> => ({
  service: METRICS_SERVICE,
  fleet,
});

/** A share (0–1) as a percentage with one decimal, the precision the history keeps (0.001). */
export const sharePercent = (share: number): number => Math.round(share * 1000) / 10;

/**
 * Milliseconds from the alarm event's time (ISO 8601, as EventBridge writes `time`) to `writtenAt`;
 * undefined when the time does not parse or lies after `writtenAt` (clocks disagreeing), so that no
 * made-up figure reaches the metric.
 */
export const failoverLatencyMs = (triggeredAt: string, writtenAt: Date): number | undefined => {
  const start = Date.parse(triggeredAt);
  if (Number.isNaN(start)) return undefined;
  const latency = writtenAt.getTime() - start;
  return latency < 0 ? undefined : latency;
};

const isGuardrailName = (value: unknown): value is GuardrailName =>
  typeof value === 'string' && (GUARDRAIL_NAMES as readonly string[]).includes(value);

/**
 * The guardrails that refused a shift, each once, from a GuardrailViolation's details (the violations
 * that were not forced); empty for any other error.
 */
export const refusingGuardrails = (error: unknown): GuardrailName[] => {
  if (!isClusterShiftError(error) || error.name !== 'GuardrailViolation') return [];
  const violations = error.details.violations;
  if (!Array.isArray(violations)) return [];
  const names = violations.map((v: unknown) => (v as { guardrail?: unknown } | null)?.guardrail);
  return [...new Set(names.filter(isGuardrailName))];
};
