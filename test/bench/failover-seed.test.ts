import { benchFleetConfig, benchLoadBalancers, benchSeed } from '../../bench/failover-seed';
import { parseFleetConfig } from '../../core/config-yaml';
import { TwinClock } from '../../local/clock';
import { Elbv2Twin } from '../../local/elbv2';

const newTwin = () =>
  new Elbv2Twin({ clock: new TwinClock(1), region: 'us-east-1', accountId: '000000000000' });

describe('the bench fleet seed', () => {
  it('spreads 2,000 routes over 20 load balancers that each keep the 100-rules quota', () => {
    const twin = newTwin();

    const seeded = twin.seed(benchSeed(2_000));

    expect(Object.keys(seeded.loadBalancerArns)).toHaveLength(20);
    expect(benchLoadBalancers(2_000)).toBe(20);
    expect(twin.routes()).toHaveLength(2_000);
    expect(twin.targetGroups()).toHaveLength(4_000);
  });

  it('keeps the demo load balancer and its routes for a fleet of up to 100', () => {
    const twin = newTwin();

    const seeded = twin.seed(benchSeed(100));

    expect(Object.keys(seeded.loadBalancerArns)).toEqual(['demo-public']);
    expect(twin.routes()).toHaveLength(100);
  });

  it('writes a fleet config that names every load balancer of the fleet', () => {
    const seeded = newTwin().seed(benchSeed(250));
    const arns = Object.values(seeded.loadBalancerArns);

    const config = parseFleetConfig(benchFleetConfig(arns), 'bench.yaml');

    expect(config.loadBalancers.map((lb) => lb.arn)).toEqual(arns);
    expect(config.fleet).toBe('demo');
  });
});
