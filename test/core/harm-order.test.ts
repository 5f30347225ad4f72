import fc from 'fast-check';
import { harmByRoute, orderByHarm } from '../../core/harm-order';
import { planShift } from '../../core/plan-shift';
import type { RoutePlan } from '../../core/planner';
import { config, request, route, tg } from './fixtures';

const cfg = config();
const ok = new Map([
  ['blue-5xx', 'OK' as const],
  ['green-5xx', 'OK' as const],
]);
const planned = (name: string, weights: Record<string, number>): RoutePlan => {
  const { weights: from, ...bare } = route(name, weights);
  return { route: bare, from, to: from };
};

describe('orderByHarm', () => {
  it('puts the routes that send the failing cluster the most requests first', () => {
    // Prepare
    const routes = ['a', 'b', 'c'].map((name) => planned(name, { blue: 50, green: 50 }));
    const requests = new Map([
      [tg('a', 'blue'), 10],
      [tg('b', 'blue'), 900],
      [tg('c', 'blue'), 50],
      // The receiving cluster's traffic says nothing about the harm of waiting.
      [tg('a', 'green'), 100_000],
    ]);

    // Act
    const ordered = orderByHarm(routes, 'blue', requests);

    // Assert
    expect(ordered.map((r) => r.route.name)).toEqual(['b.example.com', 'c.example.com', 'a.example.com']);
  });

  it('keeps the discovery order among routes with no traffic or traffic it could not read', () => {
    const routes = ['a', 'b', 'c', 'd'].map((name) => planned(name, { blue: 50, green: 50 }));
    const requests = new Map([
      [tg('c', 'blue'), 5],
      [tg('a', 'blue'), Number.NaN],
      [tg('b', 'blue'), -3],
    ]);

    expect(orderByHarm(routes, 'blue', requests).map((r) => r.route.name)).toEqual([
      'c.example.com',
      'a.example.com',
      'b.example.com',
      'd.example.com',
    ]);
  });

  it('splits a target group shared by several routes between them instead of crediting each in full', () => {
    // Prepare: two rules of one service forward to the same blue target group.
    const shared = planned('a', { blue: 50, green: 50 });
    const alsoShared: RoutePlan = { ...shared, route: { ...shared.route, id: 'rule-a2', name: 'a2' } };
    const single = planned('b', { blue: 50, green: 50 });
    const requests = new Map([
      [tg('a', 'blue'), 100],
      [tg('b', 'blue'), 60],
    ]);

    // Act
    const harm = harmByRoute([shared, alsoShared, single], 'blue', requests);

    // Assert
    expect([...harm.values()]).toEqual([50, 50, 60]);
    expect(orderByHarm([shared, alsoShared, single], 'blue', requests)[0]?.route.name).toBe('b.example.com');
  });

  it('is a permutation that never puts a less harmful route before a more harmful one', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(10_000), { minLength: 0, maxLength: 40 }), (loads) => {
        const routes = loads.map((_, i) => planned(`s${i}`, { blue: 50, green: 50 }));
        const requests = new Map(loads.map((load, i) => [tg(`s${i}`, 'blue'), load]));
        const ordered = orderByHarm(routes, 'blue', requests);
        const harm = harmByRoute(routes, 'blue', requests);
        expect(new Set(ordered.map((r) => r.route.id))).toEqual(new Set(routes.map((r) => r.route.id)));
        expect(ordered).toHaveLength(routes.length);
        for (let i = 1; i < ordered.length; i++) {
          const before = harm.get(ordered[i - 1]?.route.id ?? '') ?? 0;
          const after = harm.get(ordered[i]?.route.id ?? '') ?? 0;
          expect(before).toBeGreaterThanOrEqual(after);
        }
      }),
    );
  });
});

describe('planShift for a failover', () => {
  it('plans the busiest routes of the failing cluster first when their recent traffic was read', () => {
    const routes = ['a', 'b', 'c'].map((name) => route(name, { blue: 50, green: 50 }));
    const plan = planShift({
      config: cfg,
      request: request(cfg, { action: 'failover', cluster: 'blue', requestedBy: 'alarm:blue-5xx' }),
      routes,
      alarms: ok,
      recentRequests: new Map([
        [tg('c', 'blue'), 300],
        [tg('a', 'blue'), 20],
      ]),
    });

    expect(plan.routes.map((r) => r.route.name)).toEqual(['c.example.com', 'a.example.com', 'b.example.com']);
  });

  it('leaves a drain in discovery order: only a failover races the clock', () => {
    const routes = ['a', 'b'].map((name) => route(name, { blue: 50, green: 50 }));
    const plan = planShift({
      config: cfg,
      request: request(cfg, { action: 'drain', cluster: 'blue' }),
      routes,
      alarms: ok,
      recentRequests: new Map([[tg('b', 'blue'), 300]]),
    });

    expect(plan.routes.map((r) => r.route.name)).toEqual(['a.example.com', 'b.example.com']);
  });
});
