import * as fc from 'fast-check';
import { type ChaosCluster, CLUSTERS, INITIAL_WEIGHTS } from './fleet';

/**
 * One chaos run's schedule, drawn from a seed: what starts (and from where), which faults are
 * injected, and when. fast-check draws it, so a seed names the same schedule on every machine.
 */

/** When something happens: real ms after the run starts, after the run's n-th weight write, or
 * once start number `index` has ended. */
export type When =
  | { readonly kind: 'at'; readonly ms: number }
  | { readonly kind: 'write'; readonly n: number }
  | { readonly kind: 'ended'; readonly index: number };

export type StartSource = 'cli' | 'chat' | 'alarm';

export interface StartSpec {
  readonly op: 'drain' | 'restore' | 'shift' | 'failover';
  readonly cluster?: ChaosCluster;
  /** shift: percent per cluster, summing to 100. */
  readonly weights?: Readonly<Partial<Record<ChaosCluster, number>>>;
  readonly source: StartSource;
  readonly when: When;
}

export type FaultSpec =
  | {
      readonly kind: 'throttle-storm';
      readonly throttleRate: number;
      readonly times: number;
      readonly when: When;
    }
  | {
      readonly kind: 'elbv2-5xx';
      readonly code: 'InternalFailure' | 'ServiceUnavailable';
      readonly errorRate: number;
      readonly times: number;
      readonly when: When;
    }
  | {
      readonly kind: 'latency-spike';
      readonly latencyMs: number;
      readonly times: number;
      readonly when: When;
    }
  /** The next handler that writes a weight dies before it records the write (its table writes fail). */
  | { readonly kind: 'crash-after-write'; readonly when: When }
  /** The n-th invocation of a task function in this run times out, before it starts or after its work. */
  | {
      readonly kind: 'lambda-timeout';
      readonly functionName: string;
      readonly nth: number;
      readonly phase: 'before' | 'after';
    }
  | {
      readonly kind: 'alarm-flap';
      readonly cluster: ChaosCluster;
      readonly toggles: number;
      readonly everyMs: number;
      readonly when: When;
    }
  | {
      readonly kind: 'two-alarms';
      readonly clusters: readonly [ChaosCluster, ChaosCluster];
      readonly when: When;
    }
  /** Another client sets a route's weights by hand. */
  | {
      readonly kind: 'manual-edit';
      readonly route: string;
      readonly weights: Readonly<Partial<Record<ChaosCluster, number>>>;
      readonly when: When;
    }
  /** A lock left by an execution that died: starts are refused until its lease expires. */
  | { readonly kind: 'dead-holder' };

export type FaultKind = FaultSpec['kind'];

export interface ChaosSchedule {
  readonly seed: number;
  readonly starts: readonly StartSpec[];
  readonly faults: readonly FaultSpec[];
}

/** The task functions a Lambda timeout can hit (their names in the chaos stack). */
export const TIMEOUT_TARGETS = ['Prepare', 'Lock', 'ApplyStep', 'CheckGates', 'Rollback', 'Finish'] as const;

const cluster = fc.constantFrom(...CLUSTERS);
const routes = Object.keys(INITIAL_WEIGHTS);
const early = fc.record({ kind: fc.constant('at' as const), ms: fc.integer({ min: 0, max: 400 }) });
const duringWrites = fc.record({ kind: fc.constant('write' as const), n: fc.integer({ min: 1, max: 12 }) });
const when: fc.Arbitrary<When> = fc.oneof(early, duringWrites);

/** Percent per cluster, whole numbers summing to 100, each cluster at least 0. */
const split = fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })).map(([a, b]) => {
  const [low, high] = a <= b ? [a, b] : [b, a];
  return { blue: low, green: high - low, purple: 100 - high };
});

const manualStart: fc.Arbitrary<StartSpec> = fc.oneof(
  fc.record({
    op: fc.constant('drain' as const),
    cluster,
    source: fc.constantFrom('cli' as const, 'chat' as const),
    when,
  }),
  fc.record({
    op: fc.constant('shift' as const),
    weights: split,
    source: fc.constantFrom('cli' as const, 'chat' as const),
    when,
  }),
);
const failoverStart: fc.Arbitrary<StartSpec> = fc.record({
  op: fc.constant('failover' as const),
  cluster,
  source: fc.constant('alarm' as const),
  when,
});

/** Starts: one to three, from the CLI, chat and alarms, some at the same moment; a drain may be
 * followed by the restore of its cluster once it ends. */
const starts: fc.Arbitrary<StartSpec[]> = fc
  .tuple(
    fc.array(fc.oneof({ weight: 3, arbitrary: manualStart }, { weight: 2, arbitrary: failoverStart }), {
      minLength: 1,
      maxLength: 3,
    }),
    fc.boolean(),
    fc.constantFrom('cli' as const, 'chat' as const),
  )
  .map(([drawn, restoreAfter, source]) => {
    const list = [...drawn];
    const drainIndex = list.findIndex((start) => start.op === 'drain');
    const drained = list[drainIndex]?.cluster;
    if (restoreAfter && drained !== undefined) {
      list.push({ op: 'restore', cluster: drained, source, when: { kind: 'ended', index: drainIndex } });
    }
    return list;
  });

const manualWeights = fc.constantFrom(...routes).chain((route) =>
  fc
    .tuple(
      ...Object.keys(INITIAL_WEIGHTS[route] ?? {}).map((name) =>
        fc.integer({ min: 0, max: 100 }).map((weight) => [name, weight] as const),
      ),
    )
    .filter((pairs) => pairs.some(([, weight]) => weight > 0))
    .map((pairs) => ({ route, weights: Object.fromEntries(pairs) })),
);

const fault: fc.Arbitrary<FaultSpec> = fc.oneof(
  fc.record({
    kind: fc.constant('throttle-storm' as const),
    throttleRate: fc.double({ min: 0.3, max: 0.9, noNaN: true }),
    times: fc.integer({ min: 5, max: 40 }),
    when,
  }),
  fc.record({
    kind: fc.constant('elbv2-5xx' as const),
    code: fc.constantFrom('InternalFailure' as const, 'ServiceUnavailable' as const),
    errorRate: fc.double({ min: 0.2, max: 0.6, noNaN: true }),
    times: fc.integer({ min: 3, max: 20 }),
    when,
  }),
  fc.record({
    kind: fc.constant('latency-spike' as const),
    latencyMs: fc.integer({ min: 20, max: 150 }),
    times: fc.integer({ min: 5, max: 30 }),
    when,
  }),
  fc.record({ kind: fc.constant('crash-after-write' as const), when: duringWrites }),
  fc.record({
    kind: fc.constant('lambda-timeout' as const),
    functionName: fc.constantFrom(...TIMEOUT_TARGETS),
    nth: fc.integer({ min: 1, max: 3 }),
    phase: fc.constantFrom('before' as const, 'after' as const),
  }),
  fc.record({
    kind: fc.constant('alarm-flap' as const),
    cluster,
    toggles: fc.integer({ min: 2, max: 6 }),
    everyMs: fc.integer({ min: 10, max: 200 }),
    when,
  }),
  fc.record({
    kind: fc.constant('two-alarms' as const),
    clusters: fc
      .uniqueArray(cluster, { minLength: 2, maxLength: 2 })
      .map((pair) => pair as [ChaosCluster, ChaosCluster]),
    when,
  }),
  fc.record({ kind: fc.constant('manual-edit' as const), edit: manualWeights, when }).map(
    ({ edit, when: at }): FaultSpec => ({
      kind: 'manual-edit',
      route: edit.route,
      weights: edit.weights,
      when: at,
    }),
  ),
  fc.constant({ kind: 'dead-holder' as const }),
);

const scheduleArbitrary = fc.record({
  starts,
  faults: fc.array(fault, { minLength: 0, maxLength: 4 }),
});

/** The schedule a seed names. */
export const scheduleFor = (seed: number): ChaosSchedule => {
  const [drawn] = fc.sample(scheduleArbitrary, { seed, numRuns: 1 });
  if (drawn === undefined) throw new Error(`fast-check drew no schedule for seed ${seed}`);
  return { seed, ...drawn };
};

/** Faults by kind, counting concurrent starts as a kind of their own (two or more at once). */
export const faultKinds = (schedule: ChaosSchedule): FaultKind[] | string[] => {
  const kinds: string[] = schedule.faults.map((f) => f.kind);
  const sources = new Set(schedule.starts.filter((s) => s.when.kind !== 'ended').map((s) => s.source));
  if (schedule.starts.filter((s) => s.when.kind !== 'ended').length > 1 && sources.size > 1) {
    kinds.push('concurrent-starts');
  }
  return kinds;
};
