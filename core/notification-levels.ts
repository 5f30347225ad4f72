/**
 * all: every step and every outcome (duplicates and skips too); steps: each step and the outcome;
 * failures: failures and refusals only.
 */
export const NOTIFICATION_LEVELS = ['all', 'steps', 'failures'] as const;
export type NotificationLevel = (typeof NOTIFICATION_LEVELS)[number];
