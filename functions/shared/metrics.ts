import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { MetricUnit as Unit } from '@aws-lambda-powertools/metrics/types';
import type { GuardrailName } from '../../core/guardrail-names';
import {
  baseDimensions,
  METRIC,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
  type RollbackMode,
  sharePercent,
} from '../../core/metrics';
import { logger } from './logger';
import { registerTaskMetrics } from './task-metrics';

/** The text Powertools warns with on every flush that has no metric (most tasks emit none). */
const NO_METRICS_WARNING = 'No application metrics to publish';

/**
 * Metrics' own messages go to the structured log (with the fleet and execution keys). An empty
 * flush is the normal case here, not a problem, so that warning is logged at debug level.
 */
const metricsLog = {
  debug: (message: string) => logger.debug(message),
  info: (message: string) => logger.info(message),
  warn: (message: string) =>
    message.startsWith(NO_METRICS_WARNING) ? logger.debug(message) : logger.warn(message),
  error: (message: string) => logger.error(message),
};

/** The handlers' Metrics (EMF on stdout); `taskHandler` flushes it after each invocation. */
export const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName: METRICS_SERVICE,
  logger: metricsLog,
});

let dimensionFleet: string | undefined;

/**
 * Sets the `fleet` dimension on first use, and again only if the fleet changes (the twin and the
 * tests run several fleets in one process). Cleared first: Powertools warns on every overwrite.
 */
export const setFleetDimension = (fleet: string): void => {
  if (fleet === dimensionFleet) return;
  metrics.clearDefaultDimensions();
  metrics.setDefaultDimensions(baseDimensions(fleet));
  dimensionFleet = fleet;
};

// Importing this module is what gives a function's tasks the dimension and the flush.
registerTaskMetrics({ middleware: logMetrics(metrics), setFleet: setFleetDimension });

/**
 * Publishes one metric with dimensions of its own right away: an EMF document's dimensions apply to
 * every metric in it, so a per-cluster value cannot share the invocation's document.
 */
const publishWith = (dimensions: Record<string, string>, name: string, unit: Unit, value: number) => {
  const single = metrics.singleMetric();
  for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
  single.addMetric(name, unit, value);
};

/** After a step's writes: the step, the routes written and each cluster's share (0–1) as a percentage. */
export const recordStepApplied = (shares: Readonly<Record<string, number>>, routesWritten: number): void => {
  metrics.addMetric(METRIC.stepsApplied, MetricUnit.Count, 1);
  metrics.addMetric(METRIC.routesWritten, MetricUnit.Count, routesWritten);
  for (const [cluster, share] of Object.entries(shares)) {
    publishWith({ cluster }, METRIC.clusterShare, MetricUnit.Percent, sharePercent(share));
  }
};

export const recordRollback = (mode: RollbackMode): void => {
  publishWith({ mode }, METRIC.rollbacks, MetricUnit.Count, 1);
};

/** One refusal per guardrail that refused the shift. */
export const recordGuardrailRefusals = (guardrails: readonly GuardrailName[]): void => {
  for (const guardrail of guardrails)
    publishWith({ guardrail }, METRIC.guardrailRefusals, MetricUnit.Count, 1);
};

export const recordFailoverLatency = (milliseconds: number): void => {
  metrics.addMetric(METRIC.failoverLatency, MetricUnit.Milliseconds, milliseconds);
};
