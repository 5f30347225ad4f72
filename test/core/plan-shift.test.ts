import { planShift, targetGroupsOf } from '../../core/plan-shift';
import { config, request, route, tg } from './fixtures';

const cfg = config();
const routes = [route('api', { blue: 50, green: 50 }), route('web', { blue: 50, green: 50 })];
const ok = new Map([
  ['blue-5xx', 'OK' as const],
  ['green-5xx', 'OK' as const],
]);

describe('planShift', () => {
  it('refuses a restore with no recorded baseline, naming the cluster', () => {
    expect(() =>
      planShift({
        config: cfg,
        request: request(cfg, { action: 'restore', cluster: 'blue' }),
        routes,
        alarms: ok,
      }),
    ).toThrow(/no baseline recorded for blue/);
  });

  it('lets a failover hand traffic only to target groups whose health was read as good enough', () => {
    // Prepare: green's `api` target group has no healthy target.
    const health = new Map([
      [tg('api', 'green'), { healthy: 0, total: 3 }],
      [tg('web', 'green'), { healthy: 3, total: 3 }],
    ]);

    // Act
    const plan = planShift({
      config: cfg,
      request: request(cfg, { action: 'failover', cluster: 'blue', requestedBy: 'alarm:blue-5xx' }),
      routes,
      alarms: ok,
      health,
    });

    // Assert
    expect(plan.held.map((held) => [held.name, held.guardrail])).toEqual([
      ['api.example.com', 'last-cluster'],
    ]);
    expect(plan.routes.map((r) => r.route.name)).toEqual(['web.example.com']);
  });

  it('lists each target group of the routes once', () => {
    expect(targetGroupsOf([...routes, routes[0] ?? route('x', {})])).toEqual([
      tg('api', 'blue'),
      tg('api', 'green'),
      tg('web', 'blue'),
      tg('web', 'green'),
    ]);
  });
});
