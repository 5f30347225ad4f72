/** Text of the notification sent when a shift ends. Pure: the adapter only delivers it. */

export interface ShiftOutcome {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'REFUSED';
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
}

export type NotificationLevel = 'all' | 'steps' | 'failures';

export const shouldNotify = (level: NotificationLevel, status: ShiftOutcome['status']): boolean =>
  level !== 'failures' || status !== 'SUCCEEDED';

export const formatOutcome = (outcome: ShiftOutcome): { subject: string; text: string } => {
  const what = [outcome.action ?? 'shift', outcome.cluster].filter(Boolean).join(' ');
  const subject = `clustershift ${outcome.fleet}: ${what} ${outcome.status.toLowerCase()}`;
  const lines = [
    subject,
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
