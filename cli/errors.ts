import { type FieldIssue, isClusterShiftError } from '../core/errors';
import { OperationRefused } from '../ops/errors';

/** Exit codes: what a script calling the CLI branches on. */
export const EXIT = {
  ok: 0,
  /** Refused or failed: a guardrail, a held lock, an execution that did not succeed, an AWS failure. */
  failed: 1,
  /** Usage or configuration: unknown command or option, bad value, invalid config, missing stack. */
  usage: 2,
} as const;

/** An error the CLI reports as it is: one line, optional detail lines, and its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string, details: readonly string[] = []): CliError =>
  new CliError(message, EXIT.usage, details);

/** Request fields as the operator typed them on the command line. */
const OPTION_OF_FIELD: Record<string, string> = {
  cluster: '<cluster>',
  weights: '--weights',
  force: '--force',
  reason: '--reason',
  steps: '--steps',
  bakeSeconds: '--bake',
  pauseBeforeSteps: '--pause-before',
  requestedBy: 'requestedBy',
};

const issueLine = (issue: FieldIssue): string => {
  const [head, ...rest] = issue.path.split('.');
  const option = OPTION_OF_FIELD[head ?? ''];
  const where = option === undefined ? issue.path || '(root)' : [option, ...rest].join(' ');
  return `  ${where}: ${issue.message}`;
};

/** Exit code, headline and detail lines for any error a command throws. */
export const describeError = (error: unknown): { exitCode: number; headline: string; details: string[] } => {
  if (error instanceof CliError) {
    return { exitCode: error.exitCode, headline: error.message, details: [...error.details] };
  }
  if (error instanceof OperationRefused) {
    return { exitCode: EXIT.failed, headline: error.message, details: [...error.details] };
  }
  if (isClusterShiftError(error)) {
    const issues = (error.details.issues ?? []) as FieldIssue[];
    if (error.name === 'InvalidConfig') {
      const source = error.message.match(/^invalid fleet config (.*?): /)?.[1] ?? 'fleet config';
      return {
        exitCode: EXIT.usage,
        headline: `invalid fleet config ${source}:`,
        details: issues.map((issue) => `  ${issue.path || '(root)'}: ${issue.message}`),
      };
    }
    if (error.name === 'InvalidRequest' && issues.length > 0) {
      return { exitCode: EXIT.usage, headline: 'invalid request:', details: issues.map(issueLine) };
    }
    return { exitCode: EXIT.failed, headline: `${error.name}: ${error.message}`, details: [] };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { exitCode: EXIT.failed, headline: `error: ${message}`, details: [] };
};
