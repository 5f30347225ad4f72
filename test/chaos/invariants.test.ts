import { checkInvariants } from '../../chaos/invariants';
import type { Observation, ObservedExecution } from '../../chaos/observation';

/**
 * The invariants on hand-made observations: a clean run passes, and each broken promise is named.
 * Route r1 forwards to blue (tg-b) and green (tg-g), 50/50 at the start.
 */
const T0 = Date.parse('2026-11-24T10:00:00Z');
const R1 = 'arn:rule/r1';
const ARN_A = 'arn:aws:states:us-east-1:0:execution:clustershift-chaos:drain-a';
const ARN_B = 'arn:aws:states:us-east-1:0:execution:clustershift-chaos:failover-b';

const drainOfBlue = (arn = ARN_A, overrides: Partial<ObservedExecution> = {}): ObservedExecution => ({
  arn,
  status: 'SUCCEEDED',
  startMs: T0,
  stopMs: T0 + 60_000,
  plan: {
    action: 'drain',
    cluster: 'blue',
    steps: [0.5, 1],
    routes: [{ id: R1, name: 'r1', from: { 'tg-b': 50, 'tg-g': 50 }, to: { 'tg-b': 0, 'tg-g': 100 } }],
    held: [],
  },
  history: {
    executionId: arn,
    action: 'drain',
    requestedBy: 'test',
    reason: 'test',
    startedAt: new Date(T0).toISOString(),
    planSummary: null,
    forced: [],
    status: 'SUCCEEDED',
    steps: [
      { kind: 'writing', index: 0 },
      { kind: 'step', index: 0 },
      { kind: 'writing', index: 1 },
      { kind: 'step', index: 1 },
    ],
  },
  ...overrides,
});

const outcome = (arn: string, status: string, at = T0 + 60_000) => ({
  at,
  subject: `clustershift chaos: drain blue ${status}`,
  text: `clustershift chaos: drain blue ${status}\nexecution: ${arn}\nwatch: x`,
});

const cleanDrain = (overrides: Partial<Observation> = {}): Observation => ({
  seed: 1,
  startMs: T0,
  endMs: T0 + 120_000,
  initial: { [R1]: { 'tg-b': 50, 'tg-g': 50 } },
  routeNames: { [R1]: 'r1' },
  clusterOf: { 'tg-b': 'blue', 'tg-g': 'green' },
  writes: [
    { at: T0 + 10_000, key: R1, weights: { 'tg-b': 25, 'tg-g': 75 }, by: 'system' },
    { at: T0 + 40_000, key: R1, weights: { 'tg-b': 0, 'tg-g': 100 }, by: 'system' },
  ],
  executions: [drainOfBlue()],
  notifications: [outcome(ARN_A, 'succeeded')],
  starts: [],
  leaseSeconds: 600,
  healthAtEnd: { blue: 'OK', green: 'OK' },
  settled: true,
  ...overrides,
});

describe('chaos invariants', () => {
  it('finds nothing wrong in a drain that wrote its planned steps, recorded them and told the truth', () => {
    expect(checkInvariants(cleanDrain())).toEqual([]);
  });

  it('reports a run that did not settle', () => {
    const violations = checkInvariants(cleanDrain({ settled: false, stuck: '1 driver actions in flight' }));
    expect(violations.map((v) => v.invariant)).toEqual(['settles']);
  });

  it('reports a write that left a route with no weight', () => {
    // Prepare: someone zeroed the route
    const o = cleanDrain({
      writes: [{ at: T0 + 5_000, key: R1, weights: { 'tg-b': 0, 'tg-g': 0 }, by: 'manual' }],
    });

    // Act
    const violations = checkInvariants(o);

    // Assert
    expect(violations.map((v) => v.invariant)).toContain('no-empty-route');
  });

  it('reports weights that are neither a planned step nor a snapshot', () => {
    const o = cleanDrain({
      writes: [{ at: T0 + 10_000, key: R1, weights: { 'tg-b': 33, 'tg-g': 67 }, by: 'system' }],
    });
    const violations = checkInvariants(o).filter((v) => v.invariant === 'planned-or-snapshot');
    expect(violations).toHaveLength(1);
    expect(violations[0]?.detail).toContain('"blue":33');
  });

  it('accepts a manual edit by another client as not the system’s write', () => {
    const o = cleanDrain({
      writes: [{ at: T0 + 10_000, key: R1, weights: { 'tg-b': 33, 'tg-g': 67 }, by: 'manual' }],
      executions: [],
      notifications: [],
    });
    expect(checkInvariants(o)).toEqual([]);
  });

  it('reports two executions writing the fleet interleaved', () => {
    // Prepare: B (a shift of blue to 10/90) writes between A's two steps, then A writes again
    const b = drainOfBlue(ARN_B, {
      plan: {
        action: 'shift',
        steps: [1],
        routes: [{ id: R1, name: 'r1', from: { 'tg-b': 50, 'tg-g': 50 }, to: { 'tg-b': 10, 'tg-g': 90 } }],
        held: [],
      },
    });
    const o = cleanDrain({
      writes: [
        { at: T0 + 10_000, key: R1, weights: { 'tg-b': 25, 'tg-g': 75 }, by: 'system' },
        { at: T0 + 20_000, key: R1, weights: { 'tg-b': 10, 'tg-g': 90 }, by: 'system' },
        { at: T0 + 40_000, key: R1, weights: { 'tg-b': 0, 'tg-g': 100 }, by: 'system' },
      ],
      executions: [drainOfBlue(), b],
      notifications: [outcome(ARN_A, 'succeeded'), outcome(ARN_B, 'succeeded')],
    });

    // Act
    const violations = checkInvariants(o).filter((v) => v.invariant === 'one-writer-at-a-time');

    // Assert
    expect(violations).toHaveLength(1);
    expect(violations[0]?.detail).toContain('drain-a');
  });

  it('reports a lock left held by an execution that ended', () => {
    const o = cleanDrain({ lock: { executionId: ARN_A, expiresAtMs: T0 + 600_000 } });
    expect(checkInvariants(o).map((v) => v.invariant)).toEqual(['lock-released-or-expires']);
  });

  it('accepts a dead holder’s lock that will expire, and reports a start refused after it expired', () => {
    const dead = { executionId: 'arn:dead', expiresAtMs: T0 + 600_000 };
    expect(checkInvariants(cleanDrain({ lock: dead }))).toEqual([]);
    const refused = cleanDrain({
      lock: dead,
      afterLeaseExpiry: {
        label: 'drain after the lease expired',
        outcome: 'refused (exit 1): LockHeld: fleet chaos is locked',
      },
    });
    expect(checkInvariants(refused).map((v) => v.invariant)).toEqual(['lock-released-or-expires']);
  });

  it('reports a written step the history does not record, and a history status that differs', () => {
    const base = drainOfBlue();
    const history = {
      ...(base.history as NonNullable<ObservedExecution['history']>),
      status: 'FAILED',
      steps: [{ kind: 'step', index: 0 }],
    };
    const o = cleanDrain({ executions: [{ ...base, history }] });
    const details = checkInvariants(o)
      .filter((v) => v.invariant === 'history-records-every-write')
      .map((v) => v.detail);
    expect(details).toHaveLength(2);
    expect(details.join('\n')).toMatch(/history says FAILED/);
    expect(details.join('\n')).toMatch(/wrote step 2/);
  });

  it('accepts a shift stopped by a preemption while in its Finish, whose history records its own outcome', () => {
    // Prepare: all steps written and recorded SUCCEEDED, then a failover's StopExecution landed
    const o = cleanDrain({
      executions: [
        drainOfBlue(ARN_A, {
          status: 'ABORTED',
          error: 'Preempted',
          cause: `preempted by failover ${ARN_B}`,
        }),
      ],
    });

    // Act
    const violations = checkInvariants(o).filter((v) => v.invariant === 'history-records-every-write');

    // Assert
    expect(violations).toEqual([]);
  });

  it('reports a succeeded execution whose history says it was preempted', () => {
    // Prepare
    const base = drainOfBlue();
    const history = { ...(base.history as NonNullable<ObservedExecution['history']>), status: 'PREEMPTED' };

    // Act
    const details = checkInvariants(cleanDrain({ executions: [{ ...base, history }] })).map((v) => v.detail);

    // Assert
    expect(details.join('\n')).toMatch(/ended SUCCEEDED, its history says PREEMPTED/);
  });

  it('reports a route left only on clusters in alarm while another is healthy', () => {
    const sick = cleanDrain({ healthAtEnd: { blue: 'OK', green: 'ALARM' } });
    expect(checkInvariants(sick).map((v) => v.invariant)).toEqual(['healthy-weight']);
  });

  it('accepts a sick cluster kept serving by a failover refused fail static and announced, not an unannounced one', () => {
    // Prepare: green's failover was refused by the cooldown, and the refusal was notified
    const refusedFailover = drainOfBlue(ARN_B, {
      plan: undefined,
      status: 'FAILED',
      cause: 'refused by guardrails: cooldown: the last failover …',
      history: {
        ...(drainOfBlue().history as NonNullable<ObservedExecution['history']>),
        executionId: ARN_B,
        action: 'failover',
        cluster: 'green',
        status: 'REFUSED',
        steps: [],
        cause: 'refused by guardrails: cooldown: the last failover …',
      },
    });
    const held = cleanDrain({
      healthAtEnd: { blue: 'OK', green: 'ALARM' },
      executions: [drainOfBlue(), refusedFailover],
      notifications: [outcome(ARN_A, 'succeeded'), outcome(ARN_B, 'refused')],
    });
    const untold = { ...held, notifications: [outcome(ARN_A, 'succeeded')] };

    // Act + Assert
    expect(checkInvariants(held)).toEqual([]);
    expect(checkInvariants(untold).map((v) => v.invariant)).toContain('healthy-weight');
  });

  it('accepts a route a failover held as fail static (no other cluster was fit then), once announced', () => {
    // Prepare: green's failover moved nothing on r1 (held, last-cluster) and said so when it started
    const partial = drainOfBlue(ARN_B, {
      plan: {
        action: 'failover',
        cluster: 'green',
        steps: [1],
        routes: [],
        held: [{ name: 'r1', guardrail: 'last-cluster' }],
      },
      history: {
        ...(drainOfBlue().history as NonNullable<ObservedExecution['history']>),
        executionId: ARN_B,
        action: 'failover',
        cluster: 'green',
        steps: [],
      },
    });
    const o = cleanDrain({
      healthAtEnd: { blue: 'OK', green: 'ALARM' },
      executions: [drainOfBlue(), partial],
      notifications: [outcome(ARN_A, 'succeeded'), outcome(ARN_B, 'succeeded')],
    });

    // Act + Assert
    expect(checkInvariants(o)).toEqual([]);
  });

  it('reports an outcome message that names another status, and a step announced before its weights', () => {
    const lying = cleanDrain({
      notifications: [
        outcome(ARN_A, 'failed'),
        {
          at: T0 + 5_000,
          subject: 'clustershift chaos: drain blue: step 1/2 applied and baked',
          text: `x\nexecution: ${ARN_A}\nwatch: x`,
        },
      ],
    });
    const details = checkInvariants(lying)
      .filter((v) => v.invariant === 'notifications-truthful')
      .map((v) => v.detail);
    expect(details).toHaveLength(2);
    expect(details.join('\n')).toMatch(/ended SUCCEEDED; its outcome messages say/);
    expect(details.join('\n')).toMatch(/before step 1's weights/);
  });
});
