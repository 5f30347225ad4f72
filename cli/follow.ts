import { describeShift, type ShiftDescription } from '../aws/sfn';
import type { PlanSummary } from '../core/summary';
import { reasonOf } from '../ops/fleet';
import { renderSummary } from '../ops/plan-view';
import type { Context } from './context';
import { EXIT } from './errors';
import { EXIT_INTERRUPTED, interruptSignal } from './interrupt';
import { isRunning, type Progress, progressLine, readProgress } from './progress';

export interface FollowOptions {
  /** Print an update whenever the progress changes (watch); otherwise wait quietly for the end. */
  readonly progress: boolean;
  readonly intervalMs: number;
  /** Merged into the one JSON document a quiet follow prints at the end. */
  readonly extra?: Record<string, unknown>;
}

/**
 * The drain verification the workflow recorded: what tells an operator the cluster is safe to take
 * down. Undefined when the shift had none (restore, shift) or history cannot be read.
 */
export const verificationLine = async (ctx: Context, executionArn: string): Promise<string | undefined> => {
  try {
    const record = await (await ctx.store()).getHistory(executionArn);
    const verify = [...(record?.steps ?? [])].reverse().find((step) => step.kind === 'verify');
    if (verify === undefined || record === undefined) return undefined;
    const threshold = ctx.config.thresholds.drainedRequestsPerMinute;
    return verify.drained === true
      ? `verified drained: ${record.cluster ?? 'the cluster'}'s target groups at <= ${threshold} requests/minute ` +
          `(CloudWatch RequestCount, check ${String(verify.attempt)}, ${String(verify.at)})`
      : `NOT verified drained: ${record.cluster ?? 'the cluster'} still receives traffic (check ${String(verify.attempt)})`;
  } catch {
    return undefined;
  }
};

/** What an ended execution says: the dry run's plan, the finish message, or the error and its cause. */
const reportEnd = async (ctx: Context, executionArn: string, end: ShiftDescription): Promise<number> => {
  const output = (end.output ?? {}) as { dryRun?: boolean; summary?: PlanSummary; message?: string };
  if (end.status === 'SUCCEEDED') {
    if (output.dryRun === true && output.summary !== undefined)
      ctx.out.lines(['', ...renderSummary(output.summary)]);
    else if (typeof output.message === 'string') ctx.out.lines(['', output.message]);
    const verification = output.dryRun === true ? undefined : await verificationLine(ctx, executionArn);
    if (verification !== undefined) ctx.out.line(verification);
    ctx.out.line(`${end.status}: ${executionArn}`);
    return EXIT.ok;
  }
  ctx.out.note(`${end.status}: ${executionArn}`);
  if (end.error !== undefined) ctx.out.note(`  ${end.error}: ${end.cause ?? ''}`);
  return EXIT.failed;
};

/**
 * Follows an execution until it ends: exit 0 if it succeeded, 1 if it failed, timed out or was
 * aborted, 130 if the operator stopped following (the shift itself goes on).
 */
export const follow = async (ctx: Context, executionArn: string, options: FollowOptions): Promise<number> => {
  const { signal, dispose } = interruptSignal(ctx.io);
  let shown = '';
  let failures = 0;
  let updated = false;
  if (!options.progress) ctx.out.note('waiting for it to end (Ctrl-C stops waiting, not the shift)');
  try {
    for (;;) {
      let status: string | undefined;
      try {
        if (options.progress) {
          const progress = await readProgress(ctx, executionArn);
          shown = printIfNew(ctx, progress, shown);
          status = progress.status;
        } else {
          status = (await describeShift(executionArn, ctx.clients.sfn())).status;
        }
        failures = 0;
        updated = true;
      } catch (error) {
        // A network blip must not end a watch that may last an hour; a persistent failure does, and
        // so does a first one (a mistyped execution, missing permissions).
        failures += 1;
        if (!updated || failures >= MAX_FAILED_UPDATES) throw error;
        ctx.out.note(`update failed (${reasonOf(error)}); trying again`);
      }
      if (status !== undefined && !isRunning(status)) {
        const end = await describeShift(executionArn, ctx.clients.sfn());
        if (!options.progress) {
          ctx.out.data({
            ...options.extra,
            executionArn,
            status: end.status,
            output: end.output,
            error: end.error,
            cause: end.cause,
          });
        }
        return await reportEnd(ctx, executionArn, end);
      }
      await ctx.sleep(options.intervalMs, signal);
      if (signal.aborted) {
        ctx.out.note(
          `stopped following ${executionArn}; the shift goes on (clustershift watch to follow it again)`,
        );
        return EXIT_INTERRUPTED;
      }
    }
  } finally {
    dispose();
  }
};

/** Consecutive failed updates after which following gives up. */
const MAX_FAILED_UPDATES = 5;

/**
 * Prints an update when anything but its time changed, or the execution ended. Returns what was
 * compared, for the next update.
 */
const printIfNew = (ctx: Context, progress: Progress, shown: string): string => {
  const line = progressLine(progress);
  const news = line.slice(line.indexOf('  '));
  if (news !== shown || !isRunning(progress.status)) {
    ctx.out.line(line);
    ctx.out.data(progress);
  }
  return news;
};
