import { ApiThrottle } from '../../local/api-throttle';
import { TwinClock } from '../../local/clock';
import { LbControllers } from '../../local/lb-controllers';

const frozenClock = () => {
  let real = 0;
  const clock = new TwinClock(1, () => real, 0);
  return { clock, advanceSeconds: (seconds: number) => (real += seconds * 1000) };
};

describe('simulated AWS Load Balancer Controllers', () => {
  it('make their describe calls at the configured steady rate, one controller per cluster', () => {
    const { clock, advanceSeconds } = frozenClock();
    const controllers = new LbControllers(clock, new ApiThrottle(clock), {
      clusters: ['blue', 'green'],
      describesPerSecond: 2,
      registrationsPerSecond: 0,
    });

    for (let second = 0; second < 10; second += 1) {
      advanceSeconds(1);
      controllers.tick();
    }

    const stats = controllers.stats();
    expect(stats.map((controller) => controller.cluster)).toEqual(['blue', 'green']);
    for (const controller of stats) {
      expect(controller.describes).toBeGreaterThanOrEqual(20);
      expect(controller.describes).toBeLessThanOrEqual(21);
      expect(controller.describesThrottled).toBe(0);
    }
  });

  it('spend the same describe bucket as everyone else: when it is empty, their calls are throttled and counted', () => {
    const { clock, advanceSeconds } = frozenClock();
    const throttle = new ApiThrottle(clock);
    const controllers = new LbControllers(clock, throttle, {
      clusters: ['blue'],
      describesPerSecond: 1,
      registrationsPerSecond: 0,
    });

    for (let second = 0; second < 5; second += 1) {
      // Someone else (clustershift, say) drains the bucket each second before the controller calls.
      while (throttle.tryElbv2('DescribeTargetHealth')) {}
      advanceSeconds(1);
      while (throttle.tryElbv2('DescribeTargetHealth')) {}
      controllers.tick();
    }

    const [blue] = controllers.stats();
    expect(blue?.describesThrottled).toBe(blue?.describes);
    expect(blue?.describes).toBeGreaterThan(0);
    const describe = throttle.stats().find((bucket) => bucket.bucket === 'describe');
    expect(describe?.throttled.background).toBe(blue?.describesThrottled);
  });

  it('do not fire every call a jumped clock skipped', () => {
    const { clock, advanceSeconds } = frozenClock();
    const controllers = new LbControllers(clock, new ApiThrottle(clock), {
      clusters: ['blue'],
      describesPerSecond: 1,
      registrationsPerSecond: 0,
    });

    advanceSeconds(3_600);
    controllers.tick();

    expect(controllers.stats()[0]?.describes).toBeLessThanOrEqual(20);
  });

  it('refuse a negative rate', () => {
    const { clock } = frozenClock();

    expect(
      () => new LbControllers(clock, new ApiThrottle(clock), { clusters: ['blue'], describesPerSecond: -1 }),
    ).toThrow('lbControllers.describesPerSecond must be a number ≥ 0, got -1');
  });
});
