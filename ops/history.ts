import type { HistoryRecord } from '../aws/store';
import type { PlanSummary } from '../core/summary';
import { table, utc } from './format';

/** Past shifts as a table, newest first, then why each failed or what it forced: for CLI and chat. */

/** The last part of an execution ARN: what the console and `watch <name>` show. */
const executionName = (executionId: string): string => executionId.split(':').pop() ?? executionId;

/** `3/4`: steps written out of the plan's; `-` when the request never got a plan. */
const stepsDone = (record: HistoryRecord): string => {
  const written = new Set((record.steps ?? []).filter((s) => s.kind === 'step').map((s) => Number(s.index)))
    .size;
  const summary = record.planSummary as PlanSummary | null | undefined;
  return summary?.steps === undefined
    ? written > 0
      ? String(written)
      : '-'
    : `${written}/${summary.steps.length}`;
};

const outcome = (record: HistoryRecord): string => {
  const rolledBack = (record.steps ?? []).some((s) => s.kind === 'rollback' && s.mode === 'rollback');
  return [record.status, record.error, rolledBack ? '(rolled back)' : ''].filter(Boolean).join(' ');
};

export const renderHistory = (records: readonly HistoryRecord[]): string[] => {
  if (records.length === 0) return ['no shifts recorded yet'];
  const lines = table(
    ['STARTED (UTC)', 'ACTION', 'CLUSTER', 'BY', 'OUTCOME', 'STEPS', 'REASON'],
    records.map((r) => [
      utc(r.startedAt),
      r.action,
      r.cluster ?? '-',
      r.requestedBy,
      outcome(r),
      stepsDone(r),
      r.reason,
    ]),
  );
  const explained = records.filter((r) => r.cause !== undefined || r.forced.length > 0);
  if (explained.length > 0) lines.push('');
  for (const r of explained) {
    const name = executionName(r.executionId);
    if (r.forced.length > 0) lines.push(`${name}: forced ${r.forced.join(', ')}`);
    if (r.cause !== undefined) lines.push(`${name}: ${r.error ?? 'error'}: ${r.cause}`);
  }
  return lines;
};
