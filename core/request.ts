import * as z from 'zod/mini';
import type { FleetConfig } from './config';
import { stepsSchema, wholeNumber } from './config';
import { InvalidRequestError } from './errors';
import { GUARDRAIL_NAMES } from './guardrail-names';
import { toFieldIssues } from './zod-issues';

export const ACTIONS = ['drain', 'restore', 'shift', 'failover'] as const;
export type Action = (typeof ACTIONS)[number];

/** Longest `reason` kept; longer ones (an alarm's state reason can be 1023 characters) are cut. */
export const REASON_MAX = 500;
/** Longest `trigger.stateReason` kept (CloudWatch allows 1023 characters). */
export const STATE_REASON_MAX = 1_023;

/** The alarm that started an automatic failover, as the EventBridge input transformer writes it. */
export const triggerSchema = z.strictObject({
  alarmName: z.string().check(z.minLength(1), z.maxLength(255)),
  alarmArn: z.optional(z.string().check(z.maxLength(1_600))),
  stateReason: z.optional(z.string().check(z.maxLength(STATE_REASON_MAX))),
  /** The event's time (ISO 8601). */
  time: z.string().check(z.minLength(1), z.maxLength(64)),
});

/** The execution input of the shift workflow, as started by the CLI, an alarm rule or chat. */
export const shiftRequestSchema = z.strictObject({
  action: z.enum(ACTIONS),
  cluster: z.optional(z.string().check(z.minLength(1))),
  /** Explicit split for `shift`: percent per cluster, whole numbers summing to 100. */
  weights: z.optional(z.record(z.string(), wholeNumber(0, 100, 'percent must be a whole number'))),
  steps: z.optional(stepsSchema),
  bakeSeconds: z.optional(wholeNumber(0, 86_400)),
  checkIntervalSeconds: z.optional(wholeNumber(1, 3_600)),
  /** Step indexes (0-based) before which the workflow waits for `resume`. */
  pauseBeforeSteps: z.optional(z.array(wholeNumber(0, 19)).check(z.maxLength(20))),
  reason: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'a reason is required (it goes into the history)'),
      z.maxLength(REASON_MAX),
    ),
  /**
   * `alarm:` and `auto-restore:` carry an alarm name, which may be 255 characters long. The fleet
   * config refuses a health alarm name this would not match (white space first, a line break), so
   * every configured alarm's events pass here.
   */
  requestedBy: z
    .string()
    .check(
      z.regex(
        /^(cli|slack|alarm|auto-restore|console|api|webhook):\S.{0,254}$/,
        'must look like "cli:<user>", "slack:<user>", "alarm:<name>" or "auto-restore:<name>"',
      ),
    ),
  /** Auto-restore only: seconds the workflow waits before it plans (the alarms must stay OK that long). */
  holdSeconds: z.optional(wholeNumber(0, 86_400)),
  dryRun: z._default(z.boolean(), false),
  force: z._default(z.array(z.enum(GUARDRAIL_NAMES)), []),
  trigger: z.optional(triggerSchema),
});

export const AUTO_RESTORE_PREFIX = 'auto-restore:';

/** A restore started by a health alarm returning to OK: it ends quietly whenever restoring is not safe. */
export const isAutoRestore = (request: { readonly action: string; readonly requestedBy: string }): boolean =>
  request.action === 'restore' && request.requestedBy.startsWith(AUTO_RESTORE_PREFIX);

export type ShiftRequestInput = z.input<typeof shiftRequestSchema>;
export type ShiftRequest = z.output<typeof shiftRequestSchema>;

const ELLIPSIS = '…';

/** `text` cut to `max` characters, the last one an ellipsis, so a cut is visible in the history. */
export const truncateText = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - ELLIPSIS.length)}${ELLIPSIS}`;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Cuts an over-long `reason` and `trigger.stateReason` to the schema's limits instead of refusing
 * the request: an alarm's reason can be far longer than a history line, and an alarm-triggered
 * failover must never be lost to that. Anything else is left for the schema to judge.
 */
export const truncateLongReasons = (value: unknown): unknown => {
  if (!isRecord(value)) return value;
  const result: Record<string, unknown> = { ...value };
  if (typeof result.reason === 'string') result.reason = truncateText(result.reason.trim(), REASON_MAX);
  if (isRecord(result.trigger) && typeof result.trigger.stateReason === 'string') {
    result.trigger = {
      ...result.trigger,
      stateReason: truncateText(result.trigger.stateReason, STATE_REASON_MAX),
    };
  }
  return result;
};

/** Validates an execution input against the schema and the fleet; every problem names its field. */
export const validateShiftRequest = (value: unknown, config: FleetConfig): ShiftRequest => {
  const parsed = shiftRequestSchema.safeParse(truncateLongReasons(value));
  if (!parsed.success) throw new InvalidRequestError(toFieldIssues(parsed.error));
  const request = parsed.data;
  const clusters = new Set(config.clusters.map((c) => c.name));
  const known = [...clusters].join(', ');
  const issues: { path: string; message: string }[] = [];

  if (request.action === 'shift') {
    if (request.cluster !== undefined)
      issues.push({ path: 'cluster', message: 'shift takes weights, not a cluster' });
    if (request.weights === undefined) {
      issues.push({ path: 'weights', message: 'shift needs weights, e.g. {"blue": 20, "green": 80}' });
    } else {
      for (const name of Object.keys(request.weights)) {
        if (!clusters.has(name))
          issues.push({ path: `weights.${name}`, message: `unknown cluster (known: ${known})` });
      }
      const sum = Object.values(request.weights).reduce((a, b) => a + b, 0);
      if (sum !== 100) issues.push({ path: 'weights', message: `percentages must sum to 100, got ${sum}` });
    }
  } else {
    if (request.cluster === undefined) {
      issues.push({ path: 'cluster', message: `${request.action} needs a cluster (known: ${known})` });
    } else if (!clusters.has(request.cluster)) {
      issues.push({ path: 'cluster', message: `unknown cluster "${request.cluster}" (known: ${known})` });
    }
    if (request.weights !== undefined)
      issues.push({ path: 'weights', message: `${request.action} takes no weights` });
  }
  if (request.action === 'drain' && config.clusters.length < 2) {
    issues.push({ path: 'cluster', message: 'a fleet of one cluster has nowhere to drain to' });
  }
  const steps = request.steps ?? config[request.action].steps;
  for (const [index, step] of (request.pauseBeforeSteps ?? []).entries()) {
    if (step >= steps.length) {
      issues.push({
        path: `pauseBeforeSteps.${index}`,
        message: `there are only ${steps.length} steps (0-based)`,
      });
    }
  }
  if (request.requestedBy.startsWith(AUTO_RESTORE_PREFIX) && request.action !== 'restore') {
    issues.push({
      path: 'requestedBy',
      message: `only a restore may be requested by ${AUTO_RESTORE_PREFIX}`,
    });
  }
  if (request.holdSeconds !== undefined && !isAutoRestore(request)) {
    issues.push({
      path: 'holdSeconds',
      message: `holdSeconds is only for a restore requested by ${AUTO_RESTORE_PREFIX}<alarm>`,
    });
  }
  if (request.force.includes('empty-route')) {
    issues.push({ path: 'force', message: 'empty-route can never be forced' });
  }
  if (issues.length > 0) throw new InvalidRequestError(issues);
  return request;
};
