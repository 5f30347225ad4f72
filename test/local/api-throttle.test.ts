import { ApiThrottle, NO_PRINCIPAL } from '../../local/api-throttle';
import { TwinClock } from '../../local/clock';
import { TwinError } from '../../local/errors';
import { ELBV2_API_BUCKETS, elbv2BucketOf } from '../../local/limits';

/** A twin clock that moves only when the test moves it. */
const frozenClock = () => {
  let real = 0;
  const clock = new TwinClock(1, () => real, 0);
  return { clock, advanceSeconds: (seconds: number) => (real += seconds * 1000) };
};

const admittedOf = (throttle: ApiThrottle, action: string, calls: number): number => {
  let admitted = 0;
  for (let i = 0; i < calls; i += 1) if (throttle.tryElbv2(action)) admitted += 1;
  return admitted;
};

describe('ELBv2 API buckets (documented figures)', () => {
  it('puts Describe* in the describe bucket, target registration in its own, everything else in mutating', () => {
    expect(elbv2BucketOf('DescribeTargetHealth')).toBe('describe');
    expect(elbv2BucketOf('DescribeRules')).toBe('describe');
    expect(elbv2BucketOf('RegisterTargets')).toBe('registration');
    expect(elbv2BucketOf('DeregisterTargets')).toBe('registration');
    expect(elbv2BucketOf('ModifyRule')).toBe('mutating');
    expect(elbv2BucketOf('ModifyListener')).toBe('mutating');
    expect(elbv2BucketOf('AddTags')).toBe('mutating');
  });

  it('admits a burst of 40 describes, then 10 per second', () => {
    const { clock, advanceSeconds } = frozenClock();
    const throttle = new ApiThrottle(clock);

    const burst = admittedOf(throttle, 'DescribeRules', 100);
    advanceSeconds(1);
    const nextSecond = admittedOf(throttle, 'DescribeRules', 100);

    expect(burst).toBe(ELBV2_API_BUCKETS.describe.capacity);
    expect(nextSecond).toBe(ELBV2_API_BUCKETS.describe.refillPerSecond);
  });

  it('admits a burst of 20 rule changes, then 3 per second, whatever the mix of ModifyRule and ModifyListener', () => {
    const { clock, advanceSeconds } = frozenClock();
    const throttle = new ApiThrottle(clock);

    const burst = admittedOf(throttle, 'ModifyRule', 15) + admittedOf(throttle, 'ModifyListener', 15);
    advanceSeconds(10);
    const tenSeconds = admittedOf(throttle, 'ModifyRule', 100);

    expect(burst).toBe(20);
    expect(tenSeconds).toBe(20); // refilled to capacity (30 tokens would overflow it)
  });

  it('keeps the buckets apart: spending every describe token leaves writes untouched', () => {
    const { clock } = frozenClock();
    const throttle = new ApiThrottle(clock);

    admittedOf(throttle, 'DescribeTargetHealth', 40);

    expect(throttle.tryElbv2('DescribeTargetHealth')).toBe(false);
    expect(throttle.tryElbv2('ModifyRule')).toBe(true);
    expect(throttle.tryElbv2('RegisterTargets')).toBe(true);
  });

  it('answers an empty bucket with ELBv2 own error: Throttling, Rate exceeded, HTTP 400, the sender fault', () => {
    const { clock } = frozenClock();
    const throttle = new ApiThrottle(clock, { elbv2: { mutating: { capacity: 1, refillPerSecond: 1 } } });
    throttle.admitElbv2('ModifyRule');

    let thrown: unknown;
    try {
      throttle.admitElbv2('ModifyRule');
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(TwinError);
    expect(thrown).toMatchObject({
      code: 'Throttling',
      message: 'Rate exceeded',
      status: 400,
      fault: 'Sender',
    });
  });

  it('counts admitted and throttled calls per kind of caller', () => {
    const { clock } = frozenClock();
    const throttle = new ApiThrottle(clock, { elbv2: { describe: { capacity: 2, refillPerSecond: 1 } } });

    throttle.tryElbv2('DescribeRules', 'background');
    throttle.tryElbv2('DescribeRules', 'client');
    throttle.tryElbv2('DescribeRules', 'background');
    throttle.tryElbv2('DescribeRules', 'client');

    const describe = throttle.stats().find((bucket) => bucket.bucket === 'describe');
    expect(describe).toMatchObject({
      capacity: 2,
      refillPerSecond: 1,
      admitted: { client: 1, background: 1 },
      throttled: { client: 1, background: 1 },
    });
  });

  it('refills with the twin clock, so time compression speeds refills up as it speeds waits up', () => {
    let real = 0;
    const clock = new TwinClock(60, () => real, 0);
    const throttle = new ApiThrottle(clock);
    admittedOf(throttle, 'ModifyRule', 20);

    real += 1_000; // one real second: sixty twin seconds, 180 tokens' worth

    expect(admittedOf(throttle, 'ModifyRule', 100)).toBe(20);
  });

  it('admits everything when the limits are turned off', () => {
    const { clock } = frozenClock();
    const throttle = new ApiThrottle(clock, false);

    expect(admittedOf(throttle, 'ModifyRule', 1_000)).toBe(1_000);
    expect(throttle.enabled).toBe(false);
    expect(throttle.stats()).toEqual([]);
  });

  it('refuses figures that cannot be a bucket', () => {
    const { clock } = frozenClock();

    expect(
      () => new ApiThrottle(clock, { elbv2: { describe: { capacity: 0, refillPerSecond: 10 } } }),
    ).toThrow('apiLimits.elbv2.describe: capacity must be ≥ 1 and refillPerSecond > 0, got 0/10');
  });
});

describe('client calls per operation', () => {
  it("counts clustershift's calls per operation, admitted and throttled, and not the background callers'", () => {
    const { clock } = frozenClock();
    const throttle = new ApiThrottle(clock);

    admittedOf(throttle, 'ModifyRule', 25);
    throttle.tryElbv2('DescribeTargetHealth', 'background');
    throttle.tryElbv2('DescribeRules');

    expect(throttle.operationStats()).toEqual({
      'elbv2:ModifyRule': { admitted: 20, throttled: 5 },
      'elbv2:DescribeRules': { admitted: 1, throttled: 0 },
    });
  });

  it('counts each principal’s calls apart, a call as no one under `-`, and no background call', () => {
    const { clock } = frozenClock();
    const throttle = new ApiThrottle(clock);

    throttle.tryCall('elbv2', 'DescribeTargetHealth', 'client', 'prepare-fn');
    throttle.tryCall('elbv2', 'DescribeTargetHealth', 'client', 'prepare-fn');
    throttle.tryCall('elbv2', 'DescribeRules', 'client', 'check-gates-fn');
    throttle.tryElbv2('DescribeRules');
    throttle.tryElbv2('DescribeTargetHealth', 'background');

    expect(throttle.operationStatsByPrincipal()).toEqual({
      'prepare-fn': { 'elbv2:DescribeTargetHealth': { admitted: 2, throttled: 0 } },
      'check-gates-fn': { 'elbv2:DescribeRules': { admitted: 1, throttled: 0 } },
      [NO_PRINCIPAL]: { 'elbv2:DescribeRules': { admitted: 1, throttled: 0 } },
    });
  });

  it('counts calls with the limits off too', () => {
    const { clock } = frozenClock();
    const throttle = new ApiThrottle(clock, false);

    admittedOf(throttle, 'ModifyRule', 25);

    expect(throttle.operationStats()['elbv2:ModifyRule']).toEqual({ admitted: 25, throttled: 0 });
  });
});
