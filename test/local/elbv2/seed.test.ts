import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFleetConfig } from '../../../core/config-yaml';
import { call, failure, newTwin, SMALL_FLEET, START, smallFleet } from './fixtures';

const DEMO = join(__dirname, '..', '..', '..', 'local', 'demo');
const demoSeed = (): unknown => JSON.parse(readFileSync(join(DEMO, 'seed.json'), 'utf8'));
const demoConfig = () =>
  parseFleetConfig(readFileSync(join(DEMO, 'clustershift.demo.yaml'), 'utf8'), 'clustershift.demo.yaml');

describe('seed', () => {
  it('gives the same ARNs to the same fleet in every twin', () => {
    const first = newTwin().seed(SMALL_FLEET);
    const second = newTwin().seed(SMALL_FLEET);

    expect(second).toEqual(first);
  });

  it.each([
    ['a field it does not know', { loadBalancers: [{ name: 'x', colour: 'red' }] }, 'loadBalancers.0'],
    ['a target group without a port', { targetGroups: [{ name: 'x' }] }, 'targetGroups.0.port'],
    [
      'a listener with two default actions',
      {
        loadBalancers: [
          {
            name: 'x',
            listeners: [{ port: 80, defaultFixedResponse: '404', defaultForward: { weights: {} } }],
          },
        ],
      },
      'loadBalancers.0.listeners.0',
    ],
    ['a list where an object belongs', [], '(root)'],
  ])('refuses %s, naming the field', (_, spec, path) => {
    const error = failure(() => newTwin().seed(spec));

    expect(error.code).toBe('ValidationError');
    expect(error.message).toContain(path);
  });

  it('refuses a forward to a target group it does not define, naming where', () => {
    const spec = {
      loadBalancers: [{ name: 'x', listeners: [{ port: 80, defaultForward: { weights: { ghost: 1 } } }] }],
    };

    const error = failure(() => newTwin().seed(spec));

    expect(error.message).toBe(
      "invalid ELBv2 seed at loadBalancers.0.listeners.0: forward weights name an unknown target group 'ghost'",
    );
  });

  it("refuses what AWS would refuse, with AWS's error and where in the seed it is", () => {
    const spec = {
      targetGroups: [{ name: 'a', port: 80 }],
      loadBalancers: [{ name: 'x', listeners: [{ port: 80, defaultForward: { weights: { a: 1000 } } }] }],
    };

    const error = failure(() => newTwin().seed(spec));

    expect(error.message).toBe(
      'invalid ELBv2 seed at loadBalancers.0.listeners.0: The weight for each target group must be between 0 and 999, inclusive',
    );
  });
});

describe('seed and the rules quota', () => {
  it('refuses a load balancer of more than 100 rules, naming where in the seed', () => {
    const spec = {
      targetGroups: [{ name: 'a', port: 80 }],
      loadBalancers: [
        {
          name: 'x',
          listeners: [
            {
              port: 80,
              defaultFixedResponse: '404',
              rules: Array.from({ length: 101 }, (_, i) => ({
                priority: i + 1,
                hosts: [`s${i}.example.com`],
                forward: { weights: { a: 1 } },
              })),
            },
          ],
        },
      ],
    };

    const error = failure(() => newTwin().seed(spec));

    expect(error.code).toBe('TooManyRules');
    expect(error.message).toMatch(
      /^invalid ELBv2 seed at loadBalancers\.0\.listeners\.0\.rules\.100: You've reached the limit/,
    );
  });
});

describe('the demo fleet', () => {
  it('is a valid fleet config naming the seeded load balancer', () => {
    const config = demoConfig();

    const seeded = newTwin().seed(demoSeed());

    expect(config.fleet).toBe('demo');
    expect(config.loadBalancers.map((lb) => lb.arn)).toEqual([seeded.loadBalancerArns['demo-public']]);
    expect(config.clusters.map((c) => [c.name, c.healthAlarms])).toEqual([
      ['blue', ['demo-blue-5xx']],
      ['green', ['demo-green-5xx']],
    ]);
    expect(config.gateAlarms).toEqual(['demo-alb-5xx']);
    expect(config.drain).toEqual({ steps: [0.25, 0.5, 0.75, 1], bakeSeconds: 120, checkIntervalSeconds: 30 });
    expect(config.thresholds).toMatchObject({
      minHealthyTargets: 2,
      drainedRequestsPerMinute: 0,
      verifyWindowSeconds: 300,
    });
  });

  it('has nine services 50/50 on blue and green but reports, on blue only, and a 50/50 default', () => {
    const twin = newTwin();
    twin.seed(demoSeed());
    const clusterOf = new Map(twin.targetGroups().map((g) => [g.arn, g.tags['clustershift:cluster']]));

    const routes = twin.routes().map((route) => ({
      host: route.hosts[0] ?? 'default',
      split: route.targetGroups.map((t) => `${clusterOf.get(t.arn)}=${t.weight}`).join(' '),
    }));

    expect(routes).toEqual([
      { host: 'default', split: 'blue=50 green=50' },
      ...['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((s) => ({
        host: `svc-${s}.demo.example.com`,
        split: 'blue=50 green=50',
      })),
      { host: 'reports.demo.example.com', split: 'blue=1' },
    ]);
  });

  it('has three targets in every target group, one rule behind OIDC and one sticky', () => {
    const twin = newTwin();
    const seeded = twin.seed(demoSeed());

    const rules = call<{
      Rules: {
        Actions: { Type: string; ForwardConfig?: { TargetGroupStickinessConfig: { Enabled: boolean } } }[];
      }[];
    }>(twin, 'DescribeRules', { ListenerArn: seeded.listenerArns[0] }).Rules;

    expect(twin.targetGroups().every((g) => g.targets.length === 3)).toBe(true);
    expect(rules.filter((r) => r.Actions[0]?.Type === 'authenticate-oidc')).toHaveLength(1);
    expect(
      rules.filter((r) => r.Actions.some((a) => a.ForwardConfig?.TargetGroupStickinessConfig.Enabled)),
    ).toHaveLength(1);
  });
});

describe('the Elbv2View', () => {
  it('lists every forward as a route, keyed by rule ARN or, for a default action, listener ARN', () => {
    const { twin, lb, listener, apiRule, adminRule, otherLb, tg } = smallFleet();

    const routes = twin.routes();

    expect(routes.map((r) => [r.key, r.loadBalancerArn, r.ruleArn, r.hosts])).toEqual([
      [listener, lb, undefined, []],
      [apiRule, lb, apiRule, ['api.example.com']],
      [adminRule, lb, adminRule, ['admin.example.com']],
      [expect.any(String), otherLb, undefined, []],
    ]);
    expect(routes[2]?.targetGroups).toEqual([
      { arn: tg('blue-admin'), weight: 70 },
      { arn: tg('green-admin'), weight: 30 },
    ]);
  });

  it("logs each forward's weights at creation, at the twin's time", () => {
    const { twin } = smallFleet();

    const log = twin.weightLog();

    expect(log.map((change) => change.key)).toEqual(twin.routes().map((route) => route.key));
    expect(log.every((change) => change.at === START)).toBe(true);
  });

  it('reports target groups with the load balancers that use them and their tags', () => {
    const { twin, lb, tg } = smallFleet();

    const groups = twin.targetGroups();

    expect(groups.find((g) => g.arn === tg('blue-api'))).toMatchObject({
      name: 'blue-api',
      loadBalancerArns: [lb],
      tags: { 'clustershift:cluster': 'blue' },
    });
    expect(groups.find((g) => g.arn === tg('spare'))?.loadBalancerArns).toEqual([]);
  });
});
