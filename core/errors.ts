/**
 * Typed errors. `name` is stable: it is what the workflow's Retry/Catch matches and what operators
 * see as the execution's error. Never rename one without changing statemachines/ and the README.
 */
export const ERROR_NAMES = [
  'InvalidConfig',
  'InvalidRequest',
  'GuardrailViolation',
  'LockHeld',
  'LockBusy',
  'LockLost',
  'DriftDetected',
  'GateFailed',
  'Aborted',
  'NotDrained',
  'AlarmNotFound',
  'RouteNotFound',
  'Throttling',
  'AwsCallFailed',
] as const;
export type ErrorName = (typeof ERROR_NAMES)[number];

export class ClusterShiftError extends Error {
  override readonly name: ErrorName;
  /** Structured facts for logs, history and the CLI (route names, holders, fields). */
  readonly details: Record<string, unknown>;

  constructor(
    name: ErrorName,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = name;
    this.details = options.details ?? {};
  }
}

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `clusters.1.name`. */
  readonly path: string;
  readonly message: string;
}

/** Renders issues as `field: message; field: message` so every message names its field. */
export const formatIssues = (issues: readonly FieldIssue[]): string =>
  issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ');

export class InvalidConfigError extends ClusterShiftError {
  readonly issues: readonly FieldIssue[];
  constructor(source: string, issues: readonly FieldIssue[], cause?: unknown) {
    super('InvalidConfig', `invalid fleet config ${source}: ${formatIssues(issues)}`, {
      cause,
      details: { issues },
    });
    this.issues = issues;
  }
}

export class InvalidRequestError extends ClusterShiftError {
  readonly issues: readonly FieldIssue[];
  constructor(issues: readonly FieldIssue[], cause?: unknown) {
    super('InvalidRequest', `invalid request: ${formatIssues(issues)}`, { cause, details: { issues } });
    this.issues = issues;
  }
}

export const isClusterShiftError = (error: unknown): error is ClusterShiftError =>
  error instanceof ClusterShiftError;
