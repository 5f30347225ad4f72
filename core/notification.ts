/**
 * Notifications: the model (core/notify/model.ts), the level policy, and the renderers for SNS (text)
 * and Slack (Block Kit). Pure: functions/shared/notify.ts only delivers what these produce.
 */
import type { NotificationLevel } from './notification-levels';
import { isFailStatic } from './notify/fail-static';
import type { OutcomeStatus, ShiftOutcome } from './notify/model';
import { sendsEvent } from './notify/policy';
import { renderText, type TextMessage } from './notify/text';

export { escapeMrkdwn } from './chat/blocks';
export type { NotificationLevel } from './notification-levels';
export { type StepReadings, type StoredShift, startedNotification, stepNotification } from './notify/build';
export { formatShares, notificationContent } from './notify/content';
export { isFailStatic } from './notify/fail-static';
export { executionLinks } from './notify/links';
export type * from './notify/model';
export { observationWindow, observedShare, TOO_SOON } from './notify/observed';
export { isNotificationWanted, type NotificationEvent, notificationEvent, sendsEvent } from './notify/policy';
export {
  renderSlack,
  type SlackBlock,
  type SlackButton,
  type SlackNotification as SlackMessage,
} from './notify/slack-blocks';
export { renderText, SUBJECT_LIMIT, type TextMessage } from './notify/text';
export { describeTrigger } from './notify/trigger';

/** Whether an end with this status notifies at `level` (see core/notify/policy.ts). */
export const shouldNotify = (
  level: NotificationLevel,
  status: OutcomeStatus,
  outcome: Pick<ShiftOutcome, 'action' | 'error'> = {},
): boolean =>
  sendsEvent(
    level,
    isFailStatic(outcome) ? 'fail-static' : (status.toLowerCase() as Lowercase<OutcomeStatus>),
  );

/** The text of the notification sent when a shift ends. */
export const formatOutcome = (outcome: ShiftOutcome): TextMessage =>
  renderText({ ...outcome, kind: 'outcome' });

export interface EndStateInput {
  readonly errorMessage: string;
  readonly errorName: string;
  readonly wroteAnything: boolean;
  readonly totalSteps: number;
  readonly rollback?: {
    readonly mode: string;
    readonly restored?: number;
    readonly alreadyAtSnapshot?: number;
    readonly leftAsFound?: readonly string[];
    readonly appliedStepIndex?: number;
    readonly reason?: string;
  };
  readonly rollbackError?: { readonly name: string; readonly message: string };
}

/**
 * Where every route was left after a failure. This is what an operator reads first, so it says
 * plainly whether traffic is back where it was.
 */
export const endStateOf = (input: Omit<EndStateInput, 'errorMessage'>): string => {
  const { rollback } = input;
  let state: string;
  if (input.rollbackError !== undefined) {
    state = `ROLLBACK FAILED (${input.rollbackError.name}: ${input.rollbackError.message}); routes may be between steps — check the history and the load balancer`;
  } else if (rollback === undefined || rollback.mode === 'nothing-written') {
    state =
      input.errorName === 'NotDrained'
        ? 'weights are at the plan target; traffic has not stopped on the routes named'
        : input.wroteAnything
          ? 'weights were written and not rolled back'
          : 'nothing was written';
  } else if (rollback.mode === 'rollback') {
    const left = rollback.leftAsFound ?? [];
    state =
      `rolled back: ${rollback.restored ?? 0} routes restored to their snapshot, ${rollback.alreadyAtSnapshot ?? 0} already there` +
      (left.length > 0 ? `; left as found (changed by someone else): ${left.join(', ')}` : '');
  } else if (rollback.mode === 'hold') {
    const step = (rollback.appliedStepIndex ?? -1) + 1;
    state =
      step === 0
        ? 'held (onFailure: hold): nothing was written'
        : `held (onFailure: hold): routes left at step ${step} of ${input.totalSteps} (a step can be partly written)`;
  } else {
    state = `rollback ${rollback.mode}${rollback.reason ? `: ${rollback.reason}` : ''}`;
  }
  return state;
};

/** The failed execution's cause: the original message, then where every route was left. */
export const describeEndState = (input: EndStateInput): string =>
  `${input.errorMessage} — ${endStateOf(input)}`;
