import { enforceGuardrails, evaluateGuardrails, type GuardrailContext } from '../../core/guardrails';
import { buildPlan } from '../../core/planner';
import type { AlarmState, RouteState, TargetGroupHealth } from '../../core/routes';
import { config, request, route, tg } from './fixtures';

const cfg = config(['blue', 'green']);
const now = new Date('2026-11-23T10:00:00Z');

const context = (
  input: Record<string, unknown>,
  routes: RouteState[],
  options: {
    health?: Record<string, TargetGroupHealth>;
    alarms?: Record<string, AlarmState>;
    extra?: Partial<GuardrailContext>;
  } = {},
): GuardrailContext => {
  const alarms = new Map(Object.entries(options.alarms ?? {}));
  const healthy = new Set(['blue', 'green'].filter((c) => alarms.get(`${c}-5xx`) !== 'ALARM'));
  const req = request(cfg, input);
  const plan = buildPlan({ config: cfg, request: req, routes, healthyClusters: healthy });
  const health = new Map<string, TargetGroupHealth>();
  for (const r of routes)
    for (const t of r.targets)
      health.set(t.targetGroupArn, options.health?.[t.targetGroupArn] ?? { healthy: 3, total: 3 });
  return {
    config: cfg,
    plan,
    health,
    alarms,
    automatic: req.requestedBy.startsWith('alarm:'),
    now,
    ...options.extra,
  };
};

const names = (ctx: GuardrailContext) => evaluateGuardrails(ctx).map((v) => v.guardrail);

describe('guardrails', () => {
  it('passes a drain onto healthy receivers', () => {
    expect(
      names(context({ action: 'drain', cluster: 'blue' }, [route('api', { blue: 50, green: 50 })])),
    ).toEqual([]);
  });

  it('refuses single-cluster-route naming the service', () => {
    const violations = evaluateGuardrails(
      context({ action: 'drain', cluster: 'blue' }, [
        route('api', { blue: 50, green: 50 }),
        route('legacy', { blue: 1 }),
      ]),
    );
    expect(violations).toEqual([
      expect.objectContaining({ guardrail: 'single-cluster-route', routes: ['legacy.example.com'] }),
    ]);
  });

  it('refuses empty-route when every receiver has no healthy target, and it cannot be forced', () => {
    const ctx = context({ action: 'drain', cluster: 'blue' }, [route('api', { blue: 50, green: 50 })], {
      health: { [tg('api', 'green')]: { healthy: 0, total: 3 } },
    });
    expect(names(ctx)).toEqual(['empty-route', 'receiver-unhealthy']);
    expect(() => enforceGuardrails(evaluateGuardrails(ctx), ['receiver-unhealthy'])).toThrow(
      /empty-route.*api\.example\.com/,
    );
  });

  it('refuses receiver-unhealthy below the healthy percentage', () => {
    const ctx = context({ action: 'drain', cluster: 'blue' }, [route('api', { blue: 50, green: 50 })], {
      health: { [tg('api', 'green')]: { healthy: 1, total: 4 } },
    });
    expect(evaluateGuardrails(ctx)).toEqual([
      expect.objectContaining({
        guardrail: 'receiver-unhealthy',
        routes: ['api.example.com → green (1/4 healthy)'],
      }),
    ]);
  });

  it('refuses receiver-alarm when the receiving cluster alarms', () => {
    const ctx = context({ action: 'drain', cluster: 'blue' }, [route('api', { blue: 50, green: 50 })], {
      alarms: { 'green-5xx': 'ALARM' },
    });
    expect(names(ctx)).toEqual(['receiver-alarm']);
  });

  it('refuses last-cluster when a failover has no healthy cluster to go to', () => {
    const ctx = context(
      { action: 'failover', cluster: 'blue', requestedBy: 'alarm:blue-5xx' },
      [route('api', { blue: 50, green: 50 })],
      {
        alarms: { 'blue-5xx': 'ALARM', 'green-5xx': 'ALARM' },
      },
    );
    expect(names(ctx)).toEqual(['last-cluster']);
  });

  it('fails over the routes that have a healthy cluster left and holds the rest, rather than refusing all', () => {
    // Prepare: three clusters; blue and green alarm; only `web` also runs on purple
    const three = config(['blue', 'green', 'purple']);
    const routes = [route('api', { blue: 50, green: 50 }), route('web', { blue: 50, green: 50, purple: 0 })];
    const req = request(three, { action: 'failover', cluster: 'blue', requestedBy: 'alarm:blue-5xx' });
    const plan = buildPlan({ config: three, request: req, routes, healthyClusters: new Set(['purple']) });
    const health = new Map(
      routes.flatMap((r) => r.targets.map((t) => [t.targetGroupArn, { healthy: 3, total: 3 }] as const)),
    );
    const alarms = new Map<string, AlarmState>([
      ['blue-5xx', 'ALARM'],
      ['green-5xx', 'ALARM'],
    ]);

    // Act
    const violations = evaluateGuardrails({ config: three, plan, health, alarms, automatic: true, now });

    // Assert: web moves to purple, api is held as fail static
    expect(violations).toEqual([]);
    expect(plan.routes.map((r) => r.route.name)).toEqual(['web.example.com']);
    expect(plan.held).toEqual([
      expect.objectContaining({ name: 'api.example.com', guardrail: 'last-cluster' }),
    ]);
  });

  it('refuses a manual shift while frozen, but not an automatic failover', () => {
    const freeze = { reason: 'peak', by: 'cli:bob', at: now.toISOString() };
    expect(
      names(
        context({ action: 'drain', cluster: 'blue' }, [route('api', { blue: 50, green: 50 })], {
          extra: { freeze },
        }),
      ),
    ).toEqual(['frozen']);
    expect(
      names(
        context(
          { action: 'failover', cluster: 'blue', requestedBy: 'alarm:blue-5xx' },
          [route('api', { blue: 50, green: 50 })],
          { extra: { freeze } },
        ),
      ),
    ).toEqual([]);
  });

  it('refuses an automatic failover within the cooldown', () => {
    const lastFailover = { at: new Date(now.getTime() - 60_000).toISOString(), cluster: 'green' };
    const ctx = context(
      { action: 'failover', cluster: 'blue', requestedBy: 'alarm:blue-5xx' },
      [route('api', { blue: 50, green: 50 })],
      { extra: { lastFailover } },
    );
    expect(names(ctx)).toEqual(['cooldown']);
  });

  it('allows failing over the same cluster again within the cooldown (same direction)', () => {
    const lastFailover = { at: new Date(now.getTime() - 60_000).toISOString(), cluster: 'blue' };
    const ctx = context(
      { action: 'failover', cluster: 'blue', requestedBy: 'alarm:blue-5xx' },
      [route('api', { blue: 50, green: 50 })],
      { extra: { lastFailover } },
    );
    expect(names(ctx)).toEqual([]);
  });

  it('refuses failing over a cluster that took the last failover’s traffic, naming the direction', () => {
    const lastFailover = {
      at: new Date(now.getTime() - 60_000).toISOString(),
      cluster: 'green',
      receivers: ['blue'],
    };
    const ctx = context(
      { action: 'failover', cluster: 'blue', requestedBy: 'alarm:blue-5xx' },
      [route('api', { blue: 50, green: 50 })],
      { extra: { lastFailover } },
    );
    expect(evaluateGuardrails(ctx)).toEqual([
      expect.objectContaining({
        guardrail: 'cooldown',
        message: expect.stringContaining('no failover back the other way'),
      }),
    ]);
  });

  it('allows, after the cooldown, a failover back the other way', () => {
    const lastFailover = {
      at: new Date(now.getTime() - 901_000).toISOString(),
      cluster: 'green',
      receivers: ['blue'],
    };
    const ctx = context(
      { action: 'failover', cluster: 'blue', requestedBy: 'alarm:blue-5xx' },
      [route('api', { blue: 50, green: 50 })],
      { extra: { lastFailover } },
    );
    expect(names(ctx)).toEqual([]);
  });

  it('says "fail static" when no healthy cluster can take a failed-over cluster’s traffic', () => {
    const ctx = context(
      { action: 'failover', cluster: 'green', requestedBy: 'alarm:green-5xx' },
      [route('api', { blue: 50, green: 50 })],
      { alarms: { 'blue-5xx': 'ALARM', 'green-5xx': 'ALARM' } },
    );
    expect(evaluateGuardrails(ctx)).toEqual([
      expect.objectContaining({
        guardrail: 'last-cluster',
        message: "fail static: no healthy cluster to take green's traffic",
        routes: ['api.example.com'],
      }),
    ]);
  });

  it('refuses controller-owned routes', () => {
    const ctx = context({ action: 'drain', cluster: 'blue' }, [
      route('api', { blue: 50, green: 50 }, { controllerOwned: true }),
    ]);
    expect(names(ctx)).toEqual(['controller-owned']);
  });

  it('lets an operator force a forceable guardrail and returns it for the history', () => {
    const ctx = context({ action: 'drain', cluster: 'blue' }, [
      route('api', { blue: 50, green: 50 }),
      route('legacy', { blue: 1 }),
    ]);
    const forced = enforceGuardrails(evaluateGuardrails(ctx), ['single-cluster-route']);
    expect(forced.map((v) => v.guardrail)).toEqual(['single-cluster-route']);
  });

  it('names every refusing guardrail and route in one GuardrailViolation', () => {
    const ctx = context({ action: 'drain', cluster: 'blue' }, [
      route('api', { blue: 50, green: 50 }, { controllerOwned: true }),
      route('legacy', { blue: 1 }),
    ]);
    expect(() => enforceGuardrails(evaluateGuardrails(ctx), [])).toThrow(
      expect.objectContaining({
        name: 'GuardrailViolation',
        message: expect.stringMatching(
          /single-cluster-route.*legacy\.example\.com.*controller-owned.*api\.example\.com/,
        ),
      }),
    );
  });
});
