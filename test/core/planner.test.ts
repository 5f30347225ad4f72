import fc from 'fast-check';
import { buildPlan, stepWeights, targetGroupsGainingFromZero } from '../../core/planner';
import { clusterWeights, type RouteState, totalWeight } from '../../core/routes';
import { config, request, route, routesArb, tg } from './fixtures';

const clusters = ['blue', 'green', 'red'];
const cfg = config(clusters);
const allHealthy = new Set(clusters);
const planFor = (input: Record<string, unknown>, routes: RouteState[]) =>
  buildPlan({ config: cfg, request: request(cfg, input), routes, healthyClusters: allHealthy });

describe('buildPlan: drain', () => {
  it('moves the drained cluster to 0 on every route it shares, keeping each route total', () => {
    fc.assert(
      fc.property(routesArb(clusters), fc.constantFrom(...clusters), (routes, cluster) => {
        const plan = planFor({ action: 'drain', cluster }, routes);
        for (const r of plan.routes) {
          expect(clusterWeights(r.route, r.to)[cluster] ?? 0).toBe(0);
          const capped = Object.values(r.to).some((w) => w === 999);
          if (!capped) expect(totalWeight(r.to)).toBe(totalWeight(r.from));
        }
        const heldIds = new Set(plan.held.map((h) => h.id));
        for (const r of routes) {
          const onlyCluster = r.targets.every((t) => t.cluster === cluster);
          const hasWeight = (clusterWeights(r, r.weights)[cluster] ?? 0) > 0;
          if (onlyCluster && hasWeight) expect(heldIds.has(r.id)).toBe(true);
        }
      }),
    );
  });

  it('hands the drained share over in proportion: each receiver within one unit of its exact quota', () => {
    fc.assert(
      fc.property(routesArb(clusters), fc.constantFrom(...clusters), (routes, cluster) => {
        const plan = planFor({ action: 'drain', cluster }, routes);
        for (const r of plan.routes) {
          const before = clusterWeights(r.route, r.from);
          const after = clusterWeights(r.route, r.to);
          if (Object.values(after).some((w) => w === 999)) continue; // capped: water-filling, tested below
          const drained = before[cluster] ?? 0;
          const receivers = Object.keys(before).filter((c) => c !== cluster);
          const receiverTotal = receivers.reduce((sum, c) => sum + (before[c] ?? 0), 0);
          for (const receiver of receivers) {
            const quota =
              receiverTotal === 0
                ? drained / receivers.length
                : (drained * (before[receiver] ?? 0)) / receiverTotal;
            const gained = (after[receiver] ?? 0) - (before[receiver] ?? 0);
            expect(Math.abs(gained - quota)).toBeLessThan(1);
          }
        }
      }),
    );
  });

  it('hands the drained share to the other clusters in proportion to their weights', () => {
    const routes = [route('api', { blue: 40, green: 30, red: 10 })];
    const plan = planFor({ action: 'drain', cluster: 'blue' }, routes);
    const to = clusterWeights(routes[0] as never, plan.routes[0]?.to ?? {});
    expect(to).toEqual({ blue: 0, green: 60, red: 20 });
  });

  it('splits equally among receivers that all have weight 0', () => {
    const routes = [route('api', { blue: 100, green: 0, red: 0 })];
    const plan = planFor({ action: 'drain', cluster: 'blue' }, routes);
    expect(clusterWeights(routes[0] as never, plan.routes[0]?.to ?? {})).toEqual({
      blue: 0,
      green: 50,
      red: 50,
    });
  });

  it('holds a route the drained cluster serves alone, naming single-cluster-route', () => {
    const routes = [route('api', { blue: 50, green: 50 }), route('legacy', { blue: 1 })];
    const plan = planFor({ action: 'drain', cluster: 'blue' }, routes);
    expect(plan.held).toEqual([
      expect.objectContaining({ name: 'legacy.example.com', guardrail: 'single-cluster-route' }),
    ]);
    expect(plan.routes.map((r) => r.route.name)).toEqual(['api.example.com']);
  });

  it('never puts more than 999 on a target group, even when the receivers are near the cap', () => {
    const routes = [route('api', { blue: 999, green: 999 })];
    const plan = planFor({ action: 'drain', cluster: 'blue' }, routes);
    expect(clusterWeights(routes[0] as never, plan.routes[0]?.to ?? {})).toEqual({ blue: 0, green: 999 });
  });
});

describe('buildPlan: steps', () => {
  it('leaves no step of any route without weight on a healthy target group when every receiver is healthy', () => {
    fc.assert(
      fc.property(
        routesArb(clusters),
        fc.constantFrom(...clusters),
        fc.subarray(clusters, { minLength: 1 }),
        (routes, cluster, healthyList) => {
          const healthy = new Set(healthyList);
          const plan = buildPlan({
            config: cfg,
            request: request(cfg, { action: 'failover', cluster, requestedBy: 'alarm:x' }),
            routes,
            healthyClusters: healthy,
          });
          for (const r of plan.routes) {
            const healthyArns = r.route.targets
              .filter((t) => t.cluster !== null && healthy.has(t.cluster) && t.cluster !== cluster)
              .map((t) => t.targetGroupArn);
            plan.steps.forEach((_, index) => {
              const weights = stepWeights(plan, r, index);
              expect(healthyArns.some((arn) => (weights[arn] ?? 0) > 0)).toBe(true);
            });
          }
        },
      ),
    );
  });
});

describe('buildPlan: restore', () => {
  it('returns every route to the recorded baseline exactly', () => {
    fc.assert(
      fc.property(routesArb(clusters), fc.constantFrom(...clusters), (routes, cluster) => {
        const drain = planFor({ action: 'drain', cluster }, routes);
        const baseline = Object.fromEntries(drain.routes.map((r) => [r.route.id, r.from]));
        const drained = routes.map((r) => {
          const planned = drain.routes.find((p) => p.route.id === r.id);
          return planned ? { ...r, weights: planned.to } : r;
        });
        const restore = buildPlan({
          config: cfg,
          request: request(cfg, { action: 'restore', cluster }),
          routes: drained,
          baseline,
          healthyClusters: allHealthy,
        });
        for (const r of restore.routes) {
          expect(stepWeights(restore, r, restore.steps.length - 1)).toEqual(baseline[r.route.id]);
        }
        expect(restore.routes.length).toBe(drain.routes.length);
      }),
    );
  });

  it('leaves a route with no recorded baseline as it is and says so', () => {
    const routes = [route('new', { blue: 0, green: 100 })];
    const plan = buildPlan({
      config: cfg,
      request: request(cfg, { action: 'restore', cluster: 'blue' }),
      routes,
      baseline: {},
      healthyClusters: allHealthy,
    });
    expect(plan.routes).toHaveLength(0);
    expect(plan.held[0]?.reason).toMatch(/no baseline/);
  });
});

describe('buildPlan: shift', () => {
  it('sets the explicit split on routes with both clusters and fills single-cluster routes with what is present', () => {
    const two = config(['blue', 'green']);
    const routes = [route('api', { blue: 50, green: 50 }), route('web', { green: 10 })];
    const plan = buildPlan({
      config: two,
      request: request(two, { action: 'shift', weights: { blue: 20, green: 80 } }),
      routes,
      healthyClusters: allHealthy,
    });
    expect(clusterWeights(routes[0] as never, plan.routes[0]?.to ?? {})).toEqual({ blue: 20, green: 80 });
    expect(plan.unchanged).toBe(1);
  });

  it('holds a route whose only cluster gets 0 %', () => {
    const two = config(['blue', 'green']);
    const routes = [route('legacy', { blue: 10 })];
    const plan = buildPlan({
      config: two,
      request: request(two, { action: 'shift', weights: { blue: 0, green: 100 } }),
      routes,
      healthyClusters: allHealthy,
    });
    expect(plan.held[0]?.guardrail).toBe('single-cluster-route');
  });
});

describe('buildPlan: failover', () => {
  it('hands the sick cluster share only to healthy clusters', () => {
    const routes = [route('api', { blue: 40, green: 40, red: 20 })];
    const plan = buildPlan({
      config: cfg,
      request: request(cfg, { action: 'failover', cluster: 'blue', requestedBy: 'alarm:blue-5xx' }),
      routes,
      healthyClusters: new Set(['blue', 'green']),
    });
    expect(clusterWeights(routes[0] as never, plan.routes[0]?.to ?? {})).toEqual({
      blue: 0,
      green: 80,
      red: 20,
    });
  });

  it('holds routes with no healthy receiver as last-cluster', () => {
    const routes = [route('api', { blue: 50, green: 50 })];
    const plan = buildPlan({
      config: cfg,
      request: request(cfg, { action: 'failover', cluster: 'blue', requestedBy: 'alarm:blue-5xx' }),
      routes,
      healthyClusters: new Set(),
    });
    expect(plan.held[0]?.guardrail).toBe('last-cluster');
  });

  it('hands traffic only to target groups healthy enough to receive: a quiet alarm is not enough', () => {
    // Prepare: green's alarm is OK, but on `api` its target group has no healthy target left.
    const routes = [route('api', { blue: 50, green: 50 }), route('web', { blue: 50, green: 50 })];

    // Act
    const plan = buildPlan({
      config: cfg,
      request: request(cfg, { action: 'failover', cluster: 'blue', requestedBy: 'alarm:blue-5xx' }),
      routes,
      healthyClusters: new Set(['green']),
      healthyTargetGroups: new Set([tg('web', 'green')]),
    });

    // Assert
    expect(plan.held).toEqual([
      expect.objectContaining({ name: 'api.example.com', guardrail: 'last-cluster' }),
    ]);
    expect(plan.routes.map((r) => r.route.name)).toEqual(['web.example.com']);
  });
});

describe('targetGroupsGainingFromZero', () => {
  it('names, once across routes, the target groups a step takes from no weight to some, and only at that step', () => {
    // Prepare: a restore of blue from 0 on two routes sharing blue's target group, over [0.5, 1].
    const shared = tg('api', 'blue');
    const plan = {
      steps: [0.5, 1],
      routes: [
        { from: { [shared]: 0, [tg('api', 'green')]: 100 }, to: { [shared]: 50, [tg('api', 'green')]: 50 } },
        { from: { [shared]: 0, [tg('web', 'green')]: 100 }, to: { [shared]: 50, [tg('web', 'green')]: 50 } },
      ],
    } as unknown as Parameters<typeof targetGroupsGainingFromZero>[0];

    // Act
    const first = targetGroupsGainingFromZero(plan, 0);
    const second = targetGroupsGainingFromZero(plan, 1);

    // Assert
    expect(first).toEqual([shared]);
    expect(second).toEqual([]);
  });

  it('names none on a drain whose receivers already carry weight', () => {
    const plan = {
      steps: [0.25, 0.5, 0.75, 1],
      routes: [
        {
          from: { [tg('api', 'blue')]: 50, [tg('api', 'green')]: 50 },
          to: { [tg('api', 'blue')]: 0, [tg('api', 'green')]: 100 },
        },
      ],
    } as unknown as Parameters<typeof targetGroupsGainingFromZero>[0];

    expect([0, 1, 2, 3].flatMap((i) => targetGroupsGainingFromZero(plan, i))).toEqual([]);
  });
});
