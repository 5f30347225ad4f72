import type { HistoryRecord } from '../../aws/store';
import { clockTime, percent, validDate } from './format';
import type { ReportMarker, ReportStep } from './types';

/**
 * Reads an execution's history record (what functions/ append: `step`, `verify` and `rollback`
 * entries, then the outcome) into the report's steps, markers and end-state sentence. Pure, and
 * lenient: records are JSON from DynamoDB, written by whichever clustershift version ran.
 */

export interface PlanFacts {
  /** Steps in the plan (a failed shift may have written fewer). */
  readonly totalSteps?: number;
  readonly bakeSeconds?: number;
  /** Per route: its weights per cluster after each step, e.g. `blue=25 green=75` (from the plan summary). */
  readonly routeSteps?: readonly { name: string; steps: readonly string[] }[];
  /** Routes the summary left out (it keeps the first 25). */
  readonly routesOmitted?: number;
  /** Planned share per cluster per step, from the plan summary. */
  readonly plannedShares?: readonly Record<string, number>[];
}

interface Entry {
  readonly kind: string;
  readonly at: Date;
  readonly fields: Record<string, unknown>;
}

const asDate = (value: unknown): Date | undefined => {
  if (typeof value !== 'string' && !(value instanceof Date)) return undefined;
  const date = new Date(value);
  return validDate(date) ? date : undefined;
};

const asNumber = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

const asShares = (value: unknown): Record<string, number> | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const entries = Object.entries(value).filter((e): e is [string, number] => asNumber(e[1]) !== undefined);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
};

/** The history's entries with a valid time, in time order. */
const entries = (record: HistoryRecord): Entry[] =>
  (Array.isArray(record.steps) ? record.steps : [])
    .flatMap((fields): Entry[] => {
      const at = asDate(fields.at);
      return at === undefined ? [] : [{ kind: String(fields.kind ?? ''), at, fields }];
    })
    .sort((a, b) => a.at.getTime() - b.at.getTime());

/** `blue=25 green=75 on 8 routes; blue=30 green=70 on 2 routes`, the most common first, at most three. */
export const summariseWeights = (facts: PlanFacts, index: number): string | undefined => {
  const counts = new Map<string, number>();
  for (const route of facts.routeSteps ?? []) {
    const weights = route.steps[index];
    if (weights !== undefined) counts.set(weights, (counts.get(weights) ?? 0) + 1);
  }
  if (counts.size === 0) return undefined;
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  const shown = sorted
    .slice(0, 3)
    .map(([weights, count]) => `${weights} on ${count} route${count === 1 ? '' : 's'}`);
  const more = sorted.length > 3 ? `; ${sorted.length - 3} other split(s)` : '';
  const omitted = (facts.routesOmitted ?? 0) > 0 ? ` (first ${facts.routeSteps?.length} routes shown)` : '';
  return `${shown.join('; ')}${more}${omitted}`;
};

const writtenCounts = (fields: Record<string, unknown>): string | undefined => {
  const written = asNumber(fields.written);
  if (written === undefined) return undefined;
  const already = asNumber(fields.alreadyDesired) ?? 0;
  return `${written} route${written === 1 ? '' : 's'} written${already > 0 ? `, ${already} already there` : ''}`;
};

export interface HistoryView {
  readonly steps: ReportStep[];
  readonly markers: ReportMarker[];
  readonly endState?: string;
}

/**
 * Steps, markers and the end state. `execution` is what Step Functions says (status, dates): its
 * status says more than a history that a stopped execution never closed.
 */
export const readHistory = (
  record: HistoryRecord,
  facts: PlanFacts,
  execution: { status: string; startedAt?: Date; stoppedAt?: Date },
): HistoryView => {
  const all = entries(record);
  // Step Functions' dates where known: history's start is when the lock was taken, a little later.
  const finishedAt = execution.stoppedAt ?? asDate(record.finishedAt);
  const writes = all.filter((e) => e.kind === 'step' && asNumber(e.fields.index) !== undefined);
  const total = Math.max(facts.totalSteps ?? 0, ...writes.map((e) => (asNumber(e.fields.index) ?? 0) + 1));
  const failed =
    record.error !== undefined || (execution.status !== 'RUNNING' && execution.status !== 'SUCCEEDED');

  const steps = writes.map((entry, i): ReportStep => {
    const index = asNumber(entry.fields.index) ?? i;
    const next = all.find((e) => e.at > entry.at);
    const nextWrite = writes[i + 1];
    // The bake ends at the configured time, or earlier when the next event cut it short.
    const cutOff = next?.at ?? finishedAt;
    const planned =
      facts.bakeSeconds === undefined ? undefined : new Date(entry.at.getTime() + facts.bakeSeconds * 1000);
    const bakeUntil =
      planned === undefined ? cutOff : cutOff === undefined || planned < cutOff ? planned : cutOff;
    const later = nextWrite !== undefined || all.some((e) => e.kind === 'verify' && e.at >= entry.at);
    const gates =
      later || (!failed && record.status === 'SUCCEEDED')
        ? 'before write: passed · bake: passed'
        : failed
          ? `before write: passed · then ${record.error ?? execution.status}`
          : 'before write: passed · bake: in progress';
    const weights = [writtenCounts(entry.fields), summariseWeights(facts, index)].filter(
      (part): part is string => part !== undefined,
    );
    const shares = asShares(entry.fields.shares) ?? facts.plannedShares?.[index] ?? {};
    return {
      index,
      total,
      at: entry.at,
      ...(bakeUntil === undefined || bakeUntil <= entry.at ? {} : { bakeUntil }),
      shares,
      ...(weights.length === 0 ? {} : { weightsSummary: weights.join('; ') }),
      gates,
    };
  });

  const markers: ReportMarker[] = [];
  const startedAt = execution.startedAt ?? asDate(record.startedAt);
  if (startedAt !== undefined) markers.push({ at: startedAt, kind: 'note', label: 'started' });
  for (const entry of all) {
    if (entry.kind === 'verify')
      markers.push({ at: entry.at, kind: 'verify', label: verifyLabel(entry.fields) });
    if (entry.kind === 'rollback')
      markers.push({ at: entry.at, kind: 'rollback', label: rollbackLabel(entry.fields) });
  }
  if (finishedAt !== undefined) {
    if (failed)
      markers.push({ at: finishedAt, kind: 'failure', label: `failed: ${record.error ?? execution.status}` });
    else if (execution.status === 'SUCCEEDED')
      markers.push({ at: finishedAt, kind: 'note', label: 'finished' });
  }

  return { steps, markers, ...endStateOf(record, steps, all, execution) };
};

const verifyLabel = (fields: Record<string, unknown>): string => {
  if (fields.drained === true) return 'verified drained';
  const still = Array.isArray(fields.stillReceiving) ? fields.stillReceiving.length : 0;
  return `not drained: ${still} target group${still === 1 ? '' : 's'} still receiving`;
};

const rollbackLabel = (fields: Record<string, unknown>): string => {
  const cause = typeof fields.cause === 'string' ? ` after ${fields.cause}` : '';
  switch (fields.mode) {
    case 'rollback':
      return `rolled back${cause}: ${asNumber(fields.restored) ?? 0} routes restored`;
    case 'hold':
      return `held${cause} (no rollback)`;
    default:
      return `rollback ${String(fields.mode ?? '')}${cause}`;
  }
};

const shareSentence = (shares: Readonly<Record<string, number>>): string =>
  Object.entries(shares)
    .map(([cluster, share]) => `${cluster} ${percent(share)}`)
    .join(', ');

const endStateOf = (
  record: HistoryRecord,
  steps: readonly ReportStep[],
  all: readonly Entry[],
  execution: { status: string },
): { endState?: string } => {
  // Failed and refused executions carry the sentence finish wrote: the error, then where routes are.
  if (typeof record.cause === 'string' && record.cause !== '') return { endState: record.cause };
  const last = steps[steps.length - 1];
  const where =
    last === undefined ? '' : ` (mean share over the changed routes: ${shareSentence(last.shares)})`;
  const verified = [...all].reverse().find((e) => e.kind === 'verify');
  if (execution.status === 'SUCCEEDED' && record.status === 'SUCCEEDED') {
    if (last === undefined) return { endState: 'Succeeded: no route needed a change; nothing was written.' };
    const check =
      verified?.fields.drained === true ? ` Verified drained at ${clockTime(verified.at, true)} UTC.` : '';
    return { endState: `Succeeded: every changed route is at the plan target${where}.${check}` };
  }
  if (execution.status === 'RUNNING') {
    return {
      endState:
        last === undefined
          ? 'Running: no step written yet.'
          : `Running: step ${last.index + 1} of ${last.total} written at ${clockTime(last.at, true)} UTC${where}.`,
    };
  }
  // Stopped from outside (ABORTED, TIMED_OUT) before finish could close the history.
  return {
    endState:
      last === undefined
        ? `The execution ended ${execution.status} before writing any weight.`
        : `The execution ended ${execution.status} without closing its history: routes may be left at step ${last.index + 1} of ${last.total}${where} — check the load balancer.`,
  };
};
