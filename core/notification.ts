/** Text of the notification sent when a shift ends. Pure: the adapter only delivers it. */

export interface ShiftOutcome {
  /** DUPLICATE: an alarm's failover that found the same failover running or done, and ended quietly. */
  readonly status: 'SUCCEEDED' | 'FAILED' | 'REFUSED' | 'DUPLICATE';
  readonly fleet: string;
  readonly executionId: string;
  readonly action?: string;
  readonly cluster?: string;
  readonly requestedBy?: string;
  readonly reason?: string;
  readonly error?: { readonly name: string; readonly message: string };
  readonly rollback?: {
    readonly mode: string;
    readonly restored: number;
    readonly leftAsFound: readonly string[];
  };
  readonly shares?: Record<string, number>;
  /** The execution this one duplicated (status DUPLICATE). */
  readonly duplicateOf?: string;
}

export type NotificationLevel = 'all' | 'steps' | 'failures';

/** A duplicate is news only to someone who asked for everything; a refusal or failure always is. */
export const shouldNotify = (level: NotificationLevel, status: ShiftOutcome['status']): boolean => {
  if (status === 'DUPLICATE') return level === 'all';
  return level !== 'failures' || status !== 'SUCCEEDED';
};

/** A failover refused by `last-cluster`: traffic stays on the sick cluster, an operator must act. */
export const isFailStatic = (outcome: Pick<ShiftOutcome, 'action' | 'error'>): boolean =>
  outcome.action === 'failover' &&
  outcome.error?.name === 'GuardrailViolation' &&
  outcome.error.message.includes('last-cluster: fail static');

export const formatOutcome = (outcome: ShiftOutcome): { subject: string; text: string } => {
  const what = [outcome.action ?? 'shift', outcome.cluster].filter(Boolean).join(' ');
  const failStatic = isFailStatic(outcome);
  const subject = failStatic
    ? `clustershift ${outcome.fleet}: FAIL STATIC, ${what} refused`
    : `clustershift ${outcome.fleet}: ${what} ${outcome.status.toLowerCase()}`;
  const lines = [
    subject,
    failStatic
      ? `fail static: no healthy cluster to take ${outcome.cluster}'s traffic; nothing was written, ${outcome.cluster} keeps its traffic until an operator acts`
      : '',
    outcome.duplicateOf ? `duplicate of: ${outcome.duplicateOf} (nothing written)` : '',
    `execution: ${outcome.executionId}`,
    outcome.requestedBy ? `requested by: ${outcome.requestedBy}` : '',
    outcome.reason ? `reason: ${outcome.reason}` : '',
    outcome.error ? `error: ${outcome.error.name}: ${outcome.error.message}` : '',
    outcome.rollback
      ? `after the failure: ${outcome.rollback.mode}, ${outcome.rollback.restored} routes restored to their snapshot` +
        (outcome.rollback.leftAsFound.length > 0
          ? `; left as found: ${outcome.rollback.leftAsFound.join(', ')}`
          : '')
      : '',
    outcome.shares
      ? `shares: ${Object.entries(outcome.shares)
          .map(([cluster, share]) => `${cluster} ${Math.round(share * 100)} %`)
          .join(', ')}`
      : '',
  ];
  // SNS subjects are limited to 100 characters.
  return { subject: subject.slice(0, 100), text: lines.filter((line) => line !== '').join('\n') };
};

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
 * The failed execution's cause: the original message, then where every route was left. This is
 * what an operator reads first, so it says plainly whether traffic is back where it was.
 */
export const describeEndState = (input: EndStateInput): string => {
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
  return `${input.errorMessage} — ${state}`;
};
