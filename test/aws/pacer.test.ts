import { TokenBucketPacer } from '../../aws/pacer';

describe('TokenBucketPacer', () => {
  const pacerOn = (options: Partial<ConstructorParameters<typeof TokenBucketPacer>[0]> = {}) => {
    let now = 0;
    const waits: number[] = [];
    const pacer = new TokenBucketPacer({
      capacity: 20,
      refillPerSecond: 3,
      ...options,
      clock: () => ({
        now: () => now,
        sleep: async (ms) => {
          waits.push(ms);
          now += ms;
        },
      }),
    });
    return { pacer, waits, advance: (ms: number) => (now += ms), now: () => now };
  };

  it('lets a burst of the documented capacity through at once, then one call per token', async () => {
    const { pacer, waits } = pacerOn();

    for (let i = 0; i < 23; i += 1) await pacer.acquire();

    expect(waits).toHaveLength(3);
    // Each waiting call reserved its token: the second waits for two tokens' worth, and so on.
    expect(waits.map((ms) => Math.round(ms))).toEqual([333, 333, 333]);
  });

  it('queues concurrent callers in the order they came, each one token later than the last', async () => {
    // Time stands still while they queue: every wait is decided at once.
    const waits: number[] = [];
    const pacer = new TokenBucketPacer({
      capacity: 1,
      refillPerSecond: 3,
      clock: () => ({ now: () => 0, sleep: async (ms) => void waits.push(ms) }),
    });
    await pacer.acquire();

    await Promise.all([pacer.acquire(), pacer.acquire(), pacer.acquire()]);

    expect(waits.map((ms) => Math.round(ms))).toEqual([333, 667, 1000]);
  });

  it('on a throttle, takes its bucket as empty and halves the refill rate, once a second at most', () => {
    const { pacer, advance } = pacerOn();

    pacer.throttled();
    pacer.throttled();
    const afterBurst = pacer.currentRate;
    advance(1_000);
    pacer.throttled();

    expect(afterBurst).toBe(1.5);
    expect(pacer.currentRate).toBe(0.75);
    expect(pacer.level).toBeLessThanOrEqual(0);
  });

  it('never refills faster than the documented rate, and wins the rate back with successes', () => {
    const { pacer } = pacerOn();
    pacer.throttled();

    for (let i = 0; i < 1_000; i += 1) pacer.succeeded();

    expect(pacer.currentRate).toBe(3);
  });

  it('spends only its share of the documented refill rate', () => {
    const { pacer } = pacerOn({ refillPerSecond: 10, share: 0.5 });

    expect(pacer.currentRate).toBe(5);
  });

  it('forgets a cut rate after a throttle-free minute', async () => {
    const { pacer, advance } = pacerOn();
    pacer.throttled();
    advance(61_000);

    await pacer.acquire();

    expect(pacer.currentRate).toBe(3);
  });

  it('refuses a share outside (0, 1]', () => {
    expect(() => pacerOn({ share: 0 })).toThrow('pacer share must be in (0, 1], got 0');
  });
});
