import * as z from 'zod/mini';
import { guardrailViolations, readPlanInputs } from '../aws/plan-inputs';
import { PlanningStore } from '../aws/store';
import { autoRestoreSkipReason } from '../core/auto-restore';
import { duplicateOfRecentFailover } from '../core/failover';
import { enforceGuardrails, type Violation } from '../core/guardrails';
import { checkHistoryBudget, historyPlanOf, verifies } from '../core/history-budget';
import { refusingGuardrails } from '../core/metrics';
import { planShift } from '../core/plan-shift';
import { isAutoRestore, validateShiftRequest } from '../core/request';
import { planMeta } from '../core/stored-plan';
import { summarizePlan } from '../core/summary';
import { mergeTagInventory } from '../core/tag-inventory';
import { now } from './shared/clock';
import { taskHandlerWith } from './shared/handler';
import { logLiveFallback } from './shared/live-fallback';
import { logger } from './shared/logger';
import { recordGuardrailRefusals } from './shared/metrics';
import { runtimeWith } from './shared/runtime';
import { executionId } from './shared/schemas';

/**
 * Keeps what this discovery read of the fleet's tags for the next failover. Best effort: a lost
 * inventory only means the next failover reads those tags live, so a failure to save it is logged
 * and the shift goes on.
 */
const refreshTagInventory = async (
  store: PlanningStore,
  executionId: string,
  inputs: Awaited<ReturnType<typeof readPlanInputs>>,
  at: Date,
): Promise<void> => {
  const learned = mergeTagInventory(inputs.tagInventory?.entries, inputs.tagsRead);
  if (!learned.changed) return;
  try {
    await store.saveTagInventory(executionId, learned.entries, at);
  } catch (error) {
    logger.warn('could not save the tag inventory: the next failover reads these tags live', {
      error: String(error),
    });
  }
};

const prepareEvent = z.object({
  executionId,
  request: z.unknown(),
  /** Set when a failover re-plans after stopping this manual execution and taking its lock. */
  preempted: z.optional(z.string().check(z.minLength(1))),
  /** Set when an auto-restore plans after its hold (PrepareAfterHold). */
  held: z.optional(z.boolean()),
});

/**
 * Validates the request, reads the fleet (routes, weights, alarms, target health), plans the shift
 * and applies the guardrails. Writes no weight. Stores the plan for the later tasks (with the alarm
 * event's time, where a failover's latency starts); a dry run stores no plan and returns the plan's
 * summary. A refused shift counts one GuardrailRefusals per refusing guardrail. Its store holds the
 * reads and the plan's write only (PlanningStore): Prepare takes no lock and writes no history. Dry
 * run or not, it keeps the tags it read for the next failover (core/tag-inventory.ts).
 */
const planningRuntime = () => runtimeWith(PlanningStore);

export const handler = taskHandlerWith(planningRuntime, prepareEvent, async (event, { config, store }) => {
  const request = validateShiftRequest(event.request, config);
  logger.appendKeys({ cluster: request.cluster ?? 'all', action: request.action });
  if (request.holdSeconds !== undefined && event.held !== true && event.preempted === undefined) {
    // An auto-restore: the workflow waits `hold` seconds, then calls Prepare again to plan. Validating
    // first means a bad request fails now, not after the wait.
    return { executionId: event.executionId, dryRun: request.dryRun, hold: request.holdSeconds };
  }
  const startedAt = now();

  const inputs = await readPlanInputs(config, request, store, startedAt, {}, logLiveFallback);
  const { baseline, freeze, lastFailover } = inputs;
  if (isAutoRestore(request)) {
    const cluster = request.cluster ?? '';
    const skipped = autoRestoreSkipReason({
      cluster,
      enabled: config.failover.autoRestore.enabled,
      afterOkSeconds: config.failover.autoRestore.afterOkSeconds,
      healthAlarms: config.clusters.find((c) => c.name === cluster)?.healthAlarms ?? [],
      alarms: inputs.alarmDetails,
      ...(lastFailover === undefined ? {} : { lastFailover }),
      hasBaseline: baseline !== undefined,
      ...(freeze === undefined ? {} : { freeze }),
      now: startedAt,
    });
    if (skipped !== undefined) {
      // Not safe or not needed: an alarm back to OK is no one's request, so this is no failure.
      logger.info('auto-restore skipped: ending quietly', { skipped });
      return { executionId: event.executionId, dryRun: request.dryRun, duplicateOf: null, skipped };
    }
  }
  const plan = planShift({ config, request, ...inputs });
  const duplicateOf = duplicateOfRecentFailover({
    action: request.action,
    ...(request.cluster === undefined ? {} : { cluster: request.cluster }),
    executionId: event.executionId,
    routesChanging: plan.routes.length,
    ...(lastFailover === undefined ? {} : { lastFailover }),
    now: startedAt,
    cooldownSeconds: config.failover.cooldownSeconds,
  });
  if (duplicateOf !== undefined) {
    // An alarm storm's straggler: the failover it asks for is done. Nothing to check, store or write.
    logger.info('the same failover already ran: ending quietly', { duplicateOf });
    return { executionId: event.executionId, dryRun: request.dryRun, duplicateOf, skipped: null };
  }
  const violations = await guardrailViolations(config, request, plan, inputs, startedAt, {}, logLiveFallback);
  let forced: Violation[];
  try {
    forced = enforceGuardrails(violations, request.force);
  } catch (error) {
    // A dry run only asks: refusals it meets are answers, not refused shifts.
    if (!request.dryRun) recordGuardrailRefusals(refusingGuardrails(error));
    throw error;
  }
  const summary = summarizePlan(
    plan,
    config.clusters.map((c) => c.name),
    forced,
  );
  logger.info('plan ready', {
    routesChanging: plan.routes.length,
    routesHeld: plan.held.length,
    forced: forced.map((v) => v.guardrail),
    dryRun: request.dryRun,
  });

  const { checkIntervalSeconds, bakeSeconds } = plan;
  const prepared = {
    executionId: event.executionId,
    dryRun: request.dryRun,
    action: request.action,
    cluster: request.cluster ?? null,
    // No route to change: nothing to step through (verification still runs for a drain).
    steps: plan.routes.length === 0 ? [] : plan.steps.map((fraction, index) => ({ index, fraction })),
    checkIntervalSeconds,
    bakeChecks: bakeSeconds === 0 ? 0 : Math.max(1, Math.ceil(bakeSeconds / checkIntervalSeconds)),
    verify: verifies(request.action),
    verifyIntervalSeconds: config.thresholds.verifyIntervalSeconds,
    summary,
    duplicateOf: null,
    skipped: null,
  };
  // Refused before anything is stored or locked (a dry run is told too): an execution that reaches
  // Step Functions' 25,000 history events fails where no Catch runs, with no rollback or release.
  checkHistoryBudget(
    historyPlanOf(
      request.action,
      prepared.steps.length,
      prepared.bakeChecks,
      config.thresholds,
      plan.routes.length,
    ),
  );
  if (request.dryRun) {
    await refreshTagInventory(store, event.executionId, inputs, startedAt);
    return prepared;
  }

  const inventorySaved = refreshTagInventory(store, event.executionId, inputs, startedAt);
  await store.savePlan(
    event.executionId,
    {
      ...planMeta(plan, {
        executionId: event.executionId,
        reason: request.reason,
        requestedBy: request.requestedBy,
        forced,
        onFailure: request.action === 'failover' ? 'hold' : config.onFailure,
        createdAt: startedAt.toISOString(),
        ...(event.preempted === undefined ? {} : { preempted: event.preempted }),
        ...(request.trigger === undefined ? {} : { triggeredAt: request.trigger.time }),
      }),
      summary,
    },
    plan.routes,
    startedAt,
  );
  await inventorySaved;
  return prepared;
});
