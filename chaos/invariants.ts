import { stepWeights } from '../core/planner';
import type {
  Observation,
  ObservedExecution,
  ObservedRoutePlan,
  ObservedWrite,
  TargetWeights,
} from './observation';

/**
 * The promises clustershift makes whatever goes wrong, checked on what a chaos run observed. Pure:
 * every check reads the observation only.
 */

export const INVARIANTS = [
  'settles',
  'no-empty-route',
  'planned-or-snapshot',
  'one-writer-at-a-time',
  'lock-released-or-expires',
  'history-records-every-write',
  'healthy-weight',
  'notifications-truthful',
] as const;
export type InvariantName = (typeof INVARIANTS)[number];

export interface Violation {
  readonly invariant: InvariantName;
  readonly detail: string;
}

const sameWeights = (a: TargetWeights, b: TargetWeights): boolean => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
};

const total = (weights: TargetWeights): number => Object.values(weights).reduce((sum, w) => sum + w, 0);

const shortArn = (arn: string): string => arn.split(':').at(-1) ?? arn;

/** The step indexes (-1: the snapshot) of an execution's plans that put `weights` on the route `key`. */
const explainingSteps = (execution: ObservedExecution, key: string, weights: TargetWeights): number[] => {
  const plans = [
    ...(execution.earlierPlans ?? []),
    ...(execution.plan === undefined ? [] : [execution.plan]),
  ];
  const indexes = new Set<number>();
  for (const plan of plans) {
    const routePlan = plan.routes.find((r) => r.id === key);
    if (routePlan === undefined) continue;
    for (let index = -1; index < plan.steps.length; index++) {
      if (sameWeights(stepWeights(plan, routePlan, index), weights)) indexes.add(index);
    }
  }
  return [...indexes];
};

interface Attributed {
  readonly write: ObservedWrite;
  /** Executions whose plan explains the write, each with the steps that do. */
  readonly candidates: ReadonlyMap<string, number[]>;
}

const attribute = (o: Observation): Attributed[] =>
  o.writes
    .filter((w) => w.by === 'system')
    .map((write) => {
      const candidates = new Map<string, number[]>();
      for (const execution of o.executions) {
        const steps = explainingSteps(execution, write.key, write.weights);
        if (steps.length > 0) candidates.set(execution.arn, steps);
      }
      return { write, candidates };
    });

const settles = (o: Observation): Violation[] =>
  o.settled
    ? []
    : [
        {
          invariant: 'settles',
          detail: `still running at the deadline: ${
            o.executions
              .filter((e) => e.status === 'RUNNING')
              .map((e) => shortArn(e.arn))
              .join(', ') || 'no execution'
          } (${o.stuck ?? ''})`,
        },
      ];

const noEmptyRoute = (o: Observation): Violation[] =>
  o.writes
    .filter((w) => total(w.weights) === 0)
    .map((w) => ({
      invariant: 'no-empty-route' as const,
      detail: `${o.routeNames[w.key] ?? w.key} was left with no weight at ${new Date(w.at).toISOString()} (${w.by})`,
    }));

/** Every write the system made is a planned step of some execution, or a snapshot it restored. */
const plannedOrSnapshot = (o: Observation, attributed: readonly Attributed[]): Violation[] =>
  attributed
    .filter(
      ({ write, candidates }) =>
        candidates.size === 0 && !sameWeights(write.weights, o.initial[write.key] ?? {}),
    )
    .map(({ write }) => ({
      invariant: 'planned-or-snapshot' as const,
      detail: `${o.routeNames[write.key] ?? write.key} set to ${JSON.stringify(named(o, write.weights))} at ${new Date(write.at).toISOString()}: no execution planned it`,
    }));

/** Weights by cluster, for messages. */
const named = (o: Observation, weights: TargetWeights): Record<string, number> => {
  const result: Record<string, number> = {};
  for (const [arn, weight] of Object.entries(weights)) {
    const cluster = o.clusterOf[arn] ?? arn;
    result[cluster] = (result[cluster] ?? 0) + weight;
  }
  return result;
};

/**
 * No two shifts write the fleet at once: once another execution has written, an execution whose
 * writes it followed writes no more (A … B … A is two writers interleaved). Writes that only one
 * execution's plan explains are attributed to it.
 */
const oneWriterAtATime = (o: Observation, attributed: readonly Attributed[]): Violation[] => {
  const sequence = attributed
    .filter((a) => a.candidates.size === 1)
    .map((a) => ({ at: a.write.at, key: a.write.key, arn: [...a.candidates.keys()][0] ?? '' }))
    .sort((x, y) => x.at - y.at);
  const finished = new Set<string>();
  const violations: Violation[] = [];
  let current: string | undefined;
  for (const entry of sequence) {
    if (entry.arn === current) continue;
    if (finished.has(entry.arn)) {
      violations.push({
        invariant: 'one-writer-at-a-time',
        detail: `${shortArn(entry.arn)} wrote ${o.routeNames[entry.key] ?? entry.key} at ${new Date(entry.at).toISOString()} after ${shortArn(current ?? '')} had started writing`,
      });
    }
    if (current !== undefined) finished.add(current);
    current = entry.arn;
  }
  return violations;
};

const lockReleasedOrExpires = (o: Observation): Violation[] => {
  const violations: Violation[] = [];
  const lock = o.lock;
  if (lock !== undefined) {
    const holder = o.executions.find((e) => e.arn === lock.executionId);
    if (holder?.status === 'RUNNING') {
      violations.push({
        invariant: 'lock-released-or-expires',
        detail: `${shortArn(lock.executionId)} still runs and holds the lock`,
      });
    } else if (holder !== undefined) {
      violations.push({
        invariant: 'lock-released-or-expires',
        detail: `${shortArn(lock.executionId)} ended ${holder.status} and left the lock held (expires ${new Date(lock.expiresAtMs).toISOString()})`,
      });
    } else if (lock.expiresAtMs > o.endMs + o.leaseSeconds * 1000) {
      violations.push({
        invariant: 'lock-released-or-expires',
        detail: `the lock of ${shortArn(lock.executionId)} expires ${new Date(lock.expiresAtMs).toISOString()}, beyond one lease from now`,
      });
    }
  }
  const after = o.afterLeaseExpiry;
  if (after !== undefined && /lock|held by/i.test(after.outcome) && !after.outcome.startsWith('started')) {
    violations.push({
      invariant: 'lock-released-or-expires',
      detail: `after the dead holder's lease expired, ${after.label} was refused: ${after.outcome.slice(0, 300)}`,
    });
  }
  return violations;
};

/**
 * What the history may say for each way an execution ends. A failover that preempts a shift
 * closes its history as PREEMPTED when it stops it; a shift that was already in its Finish when it
 * was stopped (Lambda runs a task to its end) records its own outcome, FAILED or SUCCEEDED, which
 * is what happened to its weights: stopping it and recording its end are two calls, never one.
 */
const HISTORY_STATUSES: Readonly<Record<string, readonly string[]>> = {
  SUCCEEDED: ['SUCCEEDED'],
  FAILED: ['FAILED', 'REFUSED'],
  ABORTED: ['ABORTED', 'PREEMPTED', 'FAILED', 'SUCCEEDED'],
  TIMED_OUT: ['TIMED_OUT'],
};

/**
 * Every execution that wrote has its history; each write is recorded, as the step it belongs to
 * (written, or being written when the handler died) or as the rollback that restored a snapshot.
 * A write some steps share (a route where two steps round alike) is recorded by any of them.
 */
const historyRecordsEveryWrite = (o: Observation, attributed: readonly Attributed[]): Violation[] => {
  const violations: Violation[] = [];
  const writesOf = new Map<string, number[][]>();
  for (const { candidates } of attributed) {
    if (candidates.size !== 1) continue;
    const [arn, steps] = [...candidates.entries()][0] ?? ['', []];
    writesOf.set(arn, [...(writesOf.get(arn) ?? []), steps]);
  }
  for (const [arn, writes] of writesOf) {
    const execution = o.executions.find((e) => e.arn === arn);
    const history = execution?.history;
    if (execution === undefined) continue;
    if (history === undefined) {
      violations.push({
        invariant: 'history-records-every-write',
        detail: `${shortArn(arn)} wrote weights and has no history`,
      });
      continue;
    }
    const expected = HISTORY_STATUSES[execution.status];
    if (expected !== undefined && !expected.includes(history.status)) {
      violations.push({
        invariant: 'history-records-every-write',
        detail: `${shortArn(arn)} ended ${execution.status}, its history says ${history.status}`,
      });
    }
    const recorded = new Set(
      history.steps.filter((s) => s.kind === 'step' || s.kind === 'writing').map((s) => Number(s.index)),
    );
    if (history.steps.some((s) => s.kind === 'rollback' || s.kind === 'rollback-writing')) recorded.add(-1);
    const unrecorded = new Set(
      writes.filter((steps) => !steps.some((step) => recorded.has(step))).map((steps) => Math.max(...steps)),
    );
    for (const step of unrecorded) {
      violations.push({
        invariant: 'history-records-every-write',
        detail: `${shortArn(arn)} wrote ${step < 0 ? 'its snapshot back' : `step ${step + 1}`} and its history does not record it (${history.steps.map((s) => `${String(s.kind)}${s.index === undefined ? '' : ` ${String(s.index)}`}`).join(', ') || 'no steps'})`,
      });
    }
  }
  return violations;
};

/** The weights each route ended with. */
const finalWeights = (o: Observation): Record<string, TargetWeights> => {
  const weights: Record<string, TargetWeights> = { ...o.initial };
  for (const write of o.writes) weights[write.key] = write.weights;
  return weights;
};

/** Guardrails whose refusal of a failover leaves its cluster serving by design (fail static, no ping-pong). */
const FAIL_STATIC = /last-cluster|cooldown|receiver-alarm|receiver-unhealthy/;

/**
 * The sick clusters whose failover left them serving by design, and said so: a failover refused
 * (every route of the cluster), or a failover that held some routes as fail static (those routes).
 * No other cluster was fit when it was decided; a recovery after that starts nothing, since only a
 * change to ALARM triggers a failover. Entries are `cluster` or `cluster route-name`.
 */
export const heldByDesign = (o: Observation): Set<string> => {
  const held = new Set<string>();
  for (const execution of o.executions) {
    const history = execution.history;
    if (history?.action !== 'failover' || history.cluster === undefined) continue;
    const told = o.notifications.some((n) => n.text.includes(`execution: ${execution.arn}\n`));
    if (!told) continue;
    if (history.status === 'REFUSED' && FAIL_STATIC.test(`${history.cause ?? ''} ${execution.cause ?? ''}`)) {
      held.add(history.cluster);
    }
    for (const route of execution.plan?.held ?? []) {
      if (route.guardrail === 'last-cluster') held.add(`${history.cluster} ${route.name}`);
    }
  }
  return held;
};

/**
 * Every route that has a healthy cluster keeps weight on one, unless the clusters holding its
 * weight are held by design (see heldByDesign).
 */
const healthyWeight = (o: Observation): Violation[] => {
  const held = heldByDesign(o);
  const violations: Violation[] = [];
  for (const [key, weights] of Object.entries(finalWeights(o))) {
    const clusters = new Set(Object.keys(o.initial[key] ?? {}).map((arn) => o.clusterOf[arn] ?? ''));
    const healthy = [...clusters].filter((c) => o.healthAtEnd[c] === 'OK');
    if (healthy.length === 0) continue;
    const weighted = Object.entries(weights).filter(([, w]) => w > 0);
    const onHealthy = weighted.filter(([arn]) => healthy.includes(o.clusterOf[arn] ?? ''));
    if (onHealthy.length > 0) continue;
    const name = o.routeNames[key] ?? key;
    const isHeld = (cluster: string) => held.has(cluster) || held.has(`${cluster} ${name}`);
    if (weighted.every(([arn]) => isHeld(o.clusterOf[arn] ?? ''))) continue;
    // Another client set these weights last, after anything clustershift did: a human's decision.
    if (o.writes.filter((w) => w.key === key).at(-1)?.by === 'manual') continue;
    violations.push({
      invariant: 'healthy-weight',
      detail: `${o.routeNames[key] ?? key} ends with all its weight on clusters in alarm ${JSON.stringify(named(o, weights))} while ${healthy.join(', ')} ${healthy.length === 1 ? 'is' : 'are'} healthy`,
    });
  }
  return violations;
};

/** Whether every route of `plan` has had step `index`'s weights by time `at`. */
const stepSeen = (
  o: Observation,
  routes: readonly ObservedRoutePlan[],
  plan: NonNullable<ObservedExecution['plan']>,
  index: number,
  at: number,
): boolean =>
  routes.every((routePlan) => {
    const wanted = stepWeights(plan, routePlan, index);
    if (sameWeights(o.initial[routePlan.id] ?? {}, wanted)) return true;
    return o.writes.some((w) => w.key === routePlan.id && w.at <= at && sameWeights(w.weights, wanted));
  });

/**
 * The outcome words a message may use for each way an execution ends: a refusal is a failure that
 * wrote nothing; a duplicate or skipped failover succeeded at doing nothing; a stopped or timed-out
 * execution is reported failed, with the stop as its error.
 */
const OUTCOME_WORDS: Readonly<Record<string, readonly string[]>> = {
  SUCCEEDED: ['succeeded', 'duplicate', 'skipped'],
  FAILED: ['failed', 'refused'],
  ABORTED: ['failed'],
  TIMED_OUT: ['failed'],
};

/**
 * Notifications tell the truth: an ended execution's outcome message names its real status, and a
 * step message comes only once that step's weights are on every route of the plan.
 */
const notificationsTruthful = (o: Observation): Violation[] => {
  const violations: Violation[] = [];
  for (const execution of o.executions) {
    if (execution.status === 'RUNNING') continue;
    const mine = o.notifications.filter((n) => n.text.includes(`execution: ${execution.arn}\n`));
    const outcomes = mine.filter((n) => !/ started$| step \d+\/\d+ /.test(n.subject));
    const status = execution.status.toLowerCase();
    const truthful = outcomes.filter((n) => {
      const said = / (\w+)$/.exec(n.subject)?.[1] ?? '';
      return (
        (OUTCOME_WORDS[execution.status] ?? []).includes(said) ||
        (status === 'failed' && /FAIL STATIC/.test(n.subject))
      );
    });
    if (outcomes.length > 0 && truthful.length === 0) {
      violations.push({
        invariant: 'notifications-truthful',
        detail: `${shortArn(execution.arn)} ended ${execution.status}; its outcome messages say: ${outcomes.map((n) => n.subject).join(' | ')}`,
      });
    }
    if (execution.history !== undefined && outcomes.length === 0) {
      violations.push({
        invariant: 'notifications-truthful',
        detail: `${shortArn(execution.arn)} ended ${execution.status} and no outcome was notified`,
      });
    }
    const plan = execution.plan;
    if (plan === undefined) continue;
    for (const n of mine) {
      const step = / step (\d+)\/\d+ /.exec(n.subject);
      if (step === null) continue;
      const index = Number(step[1]) - 1;
      if (!stepSeen(o, plan.routes, plan, index, n.at)) {
        violations.push({
          invariant: 'notifications-truthful',
          detail: `${shortArn(execution.arn)} notified "${n.subject}" before step ${index + 1}'s weights were on every route`,
        });
      }
    }
  }
  return violations;
};

/** Every invariant's violations in this observation (none: the run kept every promise). */
export const checkInvariants = (o: Observation): Violation[] => {
  const attributed = attribute(o);
  return [
    ...settles(o),
    ...noEmptyRoute(o),
    ...plannedOrSnapshot(o, attributed),
    ...oneWriterAtATime(o, attributed),
    ...lockReleasedOrExpires(o),
    ...historyRecordsEveryWrite(o, attributed),
    ...healthyWeight(o),
    ...notificationsTruthful(o),
  ];
};
