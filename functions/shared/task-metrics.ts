import type { MiddlewareObj } from '@middy/core';

/**
 * What a function that publishes metrics adds to each of its tasks: the `fleet` dimension and
 * Powertools' flush after the invocation. metrics.ts registers it when it is imported, that is in
 * exactly the functions that record a metric, so the others (most of them) do not bundle
 * Powertools Metrics, and a function that starts recording one cannot forget the flush.
 */
export interface TaskMetrics {
  readonly middleware: MiddlewareObj;
  readonly setFleet: (fleet: string) => void;
}

let registered: TaskMetrics | undefined;

export const registerTaskMetrics = (metrics: TaskMetrics): void => {
  registered = metrics;
};

/** Sets the registered metrics' `fleet` dimension; nothing when none are registered. */
export const setTaskMetricsFleet = (fleet: string): void => {
  registered?.setFleet(fleet);
};

/**
 * A middleware that hands each phase to the registered metrics middleware. Looked up at each
 * invocation, not when the handler is built, so the order of a module's imports does not matter.
 */
export const taskMetricsMiddleware = (): MiddlewareObj => ({
  before: (request) => registered?.middleware.before?.(request),
  after: (request) => registered?.middleware.after?.(request),
  onError: (request) => registered?.middleware.onError?.(request),
});
