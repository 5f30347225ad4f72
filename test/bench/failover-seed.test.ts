import { benchFleetConfig, benchLoadBalancers, benchSeed } from '../../bench/failover-seed';
import { parseFleetConfig } from '../../core/config-yaml';
import { TwinClock } from '../../local/clock';
import { Elbv2Twin } from '../../local/elbv2';

const newTwin = () =>
  new Elbv2Twin({ clock: new TwinClock(1), region: 'us-east-1', accountId: '000000000000' });

describe('the bench fleet seed', () => {
  it('spreads 2,000 routes over 40 load balancers that each keep the 100-target-group and 100-rule quotas', () => {
    const twin = newTwin();

    const seeded = twin.seed(benchSeed(2_000));

    expect(Object.keys(seeded.loadBalancerArns)).toHaveLength(40);
    expect(benchLoadBalancers(2_000)).toBe(40);
    expect(twin.routes()).toHaveLength(2_000);
    expect(twin.targetGroups()).toHaveLength(4_000);
    // The twin refuses what AWS refuses, so seeding is the check; and every one is full.
    const perLb = new Map<string, number>();
    for (const group of twin.targetGroups())
      for (const lb of group.loadBalancerArns) perLb.set(lb, (perLb.get(lb) ?? 0) + 1);
    expect(new Set(perLb.values())).toEqual(new Set([100]));
  });

  it('keeps the demo load balancer and its routes for a fleet of up to 50', () => {
    const twin = newTwin();

    const seeded = twin.seed(benchSeed(50));

    expect(Object.keys(seeded.loadBalancerArns)).toEqual(['demo-public']);
    expect(twin.routes()).toHaveLength(50);
  });

  it('puts the 51st route on a second load balancer', () => {
    const seeded = newTwin().seed(benchSeed(100));

    expect(Object.keys(seeded.loadBalancerArns)).toEqual(['demo-public', 'lb-2']);
  });

  it('writes a fleet config that names every load balancer of the fleet', () => {
    const seeded = newTwin().seed(benchSeed(250));
    const arns = Object.values(seeded.loadBalancerArns);

    const config = parseFleetConfig(benchFleetConfig(arns), 'bench.yaml');

    expect(config.loadBalancers.map((lb) => lb.arn)).toEqual(arns);
    expect(config.fleet).toBe('demo');
  });
});
