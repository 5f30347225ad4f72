/**
 * The notifications a shift sends, as plain data: what happened, to which execution, and the facts an
 * on-call engineer needs to judge it. Renderers (text for SNS, Block Kit for Slack) only format these.
 */
import type { AlarmState } from '../routes';

/** What every notification says: which fleet, which execution, what was asked, by whom and why. */
export interface NotificationBase {
  readonly fleet: string;
  /** The execution ARN (the links to the console and to `clustershift watch` come from it). */
  readonly executionId: string;
  readonly action?: string;
  readonly cluster?: string;
  /** `cli:<arn or user>`, `slack:<id> (name)`, `alarm:<name>`, `auto-restore:<name>` … */
  readonly requestedBy?: string;
  readonly reason?: string;
}

/** One route's move as the plan summary spells it (`blue=50 green=50`). */
export interface RouteMove {
  readonly name: string;
  readonly before: string;
  readonly after: string;
}

/** The lock is taken and the first step is next. */
export interface StartedNotification extends NotificationBase {
  readonly kind: 'started';
  readonly plan: {
    /** Fractions of the way, one per step. */
    readonly steps: readonly number[];
    readonly bakeSeconds: number;
    /** Step indexes (0-based) that wait for an operator's approval first. */
    readonly pauseBeforeSteps: readonly number[];
    readonly routesChanging: number;
    readonly routesUnchanged: number;
    readonly held: readonly { readonly name: string; readonly reason: string }[];
    /** Guardrails an operator forced. */
    readonly forced: readonly string[];
    /** Each cluster's mean weight share (0–1) over the changing routes, now and at the end. */
    readonly sharesBefore: Readonly<Record<string, number>>;
    readonly sharesTarget: Readonly<Record<string, number>>;
    readonly routes: readonly RouteMove[];
    readonly routesOmitted: number;
  };
}

/** Each cluster's share of the requests CloudWatch counted since the step was written. */
export type ObservedShare =
  | {
      readonly status: 'measured';
      readonly shares: Readonly<Record<string, number>>;
      readonly requests: number;
      readonly minutes: number;
    }
  /** Too soon (no full minute since the write) or no requests counted: nothing to compare yet. */
  | { readonly status: 'not-measured'; readonly why: string }
  /** The read failed; the notification goes out anyway. */
  | { readonly status: 'unavailable'; readonly why: string };

export type AlarmReading = AlarmState | 'NOT FOUND';

/** The gate and receiving clusters' health alarms, as read when the notification was built. */
export type GateReadings =
  | {
      readonly status: 'read';
      readonly alarms: readonly { readonly name: string; readonly state: AlarmReading }[];
    }
  | { readonly status: 'unavailable'; readonly why: string };

/** Step k of n is written (and baked, when the plan bakes). */
export interface StepNotification extends NotificationBase {
  readonly kind: 'step';
  readonly step: { readonly index: number; readonly total: number; readonly fraction: number };
  readonly bakeSeconds: number;
  /** Each cluster's mean weight share (0–1) over the changing routes after this step. */
  readonly shares: Readonly<Record<string, number>>;
  readonly observed: ObservedShare;
  readonly gates: GateReadings;
  /** The next step waits for an operator's approval (the plan's pause-before points). */
  readonly nextStepAwaitsApproval: boolean;
}

export type OutcomeStatus = 'SUCCEEDED' | 'FAILED' | 'REFUSED' | 'DUPLICATE' | 'SKIPPED';

/** How a shift ended. */
export interface ShiftOutcome extends NotificationBase {
  /**
   * REFUSED: failed before any write. DUPLICATE: an alarm's failover that found the same failover
   * running or done. SKIPPED: an auto-restore that was not safe or not needed. Both end quietly.
   */
  readonly status: OutcomeStatus;
  readonly error?: { readonly name: string; readonly message: string };
  readonly rollback?: {
    readonly mode: string;
    readonly restored: number;
    readonly leftAsFound: readonly string[];
  };
  /** Where the routes were left after a failure, in words (see describeEndState). */
  readonly endState?: string;
  /** Each cluster's share at the end (a success: the plan's target). */
  readonly shares?: Readonly<Record<string, number>>;
  /** The execution this one duplicated (status DUPLICATE). */
  readonly duplicateOf?: string;
  /** Why an auto-restore did not restore (status SKIPPED). */
  readonly skipped?: string;
}

export interface OutcomeNotification extends ShiftOutcome {
  readonly kind: 'outcome';
}

export type Notification = StartedNotification | StepNotification | OutcomeNotification;
export type NotificationKind = Notification['kind'];
