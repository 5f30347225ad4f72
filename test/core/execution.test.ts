import {
  drainedTargetGroups,
  driftedRoutes,
  failedDrainLeavesNoBaseline,
  rollbackChanges,
  stepChanges,
} from '../../core/execution';
import { buildPlan, stepWeights } from '../../core/planner';
import { config, request, route } from './fixtures';

const cfg = config(['blue', 'green']);
const routes = [
  route('a', { blue: 50, green: 50 }),
  route('b', { blue: 40, green: 60 }),
  route('c', { blue: 10, green: 90 }),
];
const plan = buildPlan({
  config: cfg,
  request: request(cfg, { action: 'drain', cluster: 'blue' }),
  routes,
  healthyClusters: new Set(['blue', 'green']),
});
const [a, b, c] = plan.routes;

describe('execution helpers', () => {
  it('plans each step as a write from the previous step to this one', () => {
    const changes = stepChanges(plan, 1);
    expect(changes[0]).toEqual({
      route: a?.route,
      expected: stepWeights(plan, a as never, 0),
      desired: stepWeights(plan, a as never, 1),
    });
  });

  it('names the routes whose live weights are not what the last step wrote', () => {
    const live = new Map([
      [a?.route.id as string, stepWeights(plan, a as never, 0)],
      [b?.route.id as string, stepWeights(plan, b as never, 0)],
      [c?.route.id as string, { [Object.keys(c?.from ?? {})[0] as string]: 1 }],
    ]);
    expect(driftedRoutes(plan, 0, live).map((d) => d.name)).toEqual(['c.example.com']);
  });

  it('rolls back routes at a step this execution may have written, counts those at the snapshot, leaves the rest', () => {
    const live = new Map([
      [a?.route.id as string, stepWeights(plan, a as never, 1)], // one past the recorded step: ours
      [b?.route.id as string, { ...b?.from }],
      [c?.route.id as string, { [Object.keys(c?.from ?? {})[0] as string]: 7 }],
    ]);
    const result = rollbackChanges(plan, 0, live);
    expect(result.changes.map((ch) => ch.route.name)).toEqual(['a.example.com']);
    expect(result.changes[0]?.desired).toEqual(a?.from);
    expect(result.alreadyAtSnapshot).toBe(1);
    expect(result.leftAsFound).toEqual(['c.example.com']);
  });

  it('leaves a route at the next step as found when that step was never started (no write-ahead record)', () => {
    const live = new Map([[a?.route.id as string, stepWeights(plan, a as never, 1)]]);
    const result = rollbackChanges(plan, 0, live, false);
    expect(result.changes).toEqual([]);
    expect(result.leftAsFound).toEqual(['a.example.com', 'b.example.com', 'c.example.com']);
  });

  it('lists the drained cluster target groups with their routes', () => {
    const drained = drainedTargetGroups(plan, 'blue');
    expect([...drained.values()].map((d) => d.routes)).toEqual([
      ['a.example.com'],
      ['b.example.com'],
      ['c.example.com'],
    ]);
  });
});

describe('failedDrainLeavesNoBaseline', () => {
  const drain = { action: 'drain', wroteAnything: true, rollbackFailed: false };

  it('drops the baseline when nothing was written or everything was rolled back', () => {
    expect(failedDrainLeavesNoBaseline({ ...drain, wroteAnything: false })).toBe(true);
    expect(failedDrainLeavesNoBaseline({ ...drain, rollback: { mode: 'rollback', leftAsFound: [] } })).toBe(
      true,
    );
  });

  it('keeps it when the cluster may still be partly drained', () => {
    expect(failedDrainLeavesNoBaseline({ ...drain, rollback: { mode: 'hold' } })).toBe(false);
    expect(
      failedDrainLeavesNoBaseline({
        ...drain,
        rollback: { mode: 'rollback', leftAsFound: ['svc.example.com'] },
      }),
    ).toBe(false);
    expect(
      failedDrainLeavesNoBaseline({ ...drain, rollbackFailed: true, rollback: { mode: 'rollback' } }),
    ).toBe(false);
    expect(failedDrainLeavesNoBaseline(drain)).toBe(false);
  });

  it('never touches a failover’s or a restore’s baseline', () => {
    expect(failedDrainLeavesNoBaseline({ ...drain, action: 'failover', wroteAnything: false })).toBe(false);
    expect(failedDrainLeavesNoBaseline({ ...drain, action: 'restore', wroteAnything: false })).toBe(false);
  });
});
