import { AdaptivePacer } from '../../aws/pacer';

/** A pacer on a hand-moved clock, recording how long each call had to wait. */
const pacerAt = (options: ConstructorParameters<typeof AdaptivePacer>[0] = {}) => {
  let now = 0;
  const waits: number[] = [];
  const pacer = new AdaptivePacer({
    ...options,
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  });
  return { pacer, waits, advance: (ms: number) => (now += ms) };
};

describe('AdaptivePacer', () => {
  it('lets every call through at once until the service throttles', async () => {
    const { pacer, waits } = pacerAt();

    for (let i = 0; i < 100; i += 1) {
      await pacer.acquire();
      pacer.succeeded();
    }

    expect(waits).toEqual([]);
    expect(pacer.currentRate).toBe(Number.POSITIVE_INFINITY);
  });

  it('on the first throttle, slows to what the service accepted over the last second', async () => {
    const { pacer, advance } = pacerAt();
    for (let i = 0; i < 25; i += 1) {
      await pacer.acquire();
      pacer.succeeded();
      advance(10);
    }

    pacer.throttled();

    expect(pacer.currentRate).toBe(25);
  });

  it('spaces calls by the rate once it has one', async () => {
    const { pacer, waits } = pacerAt({ initialRate: 10, increase: 0 });

    for (let i = 0; i < 4; i += 1) await pacer.acquire();

    expect(waits).toEqual([100, 100, 100]);
  });

  it('cuts once for a burst of throttles, not once per throttled call', () => {
    const { pacer, advance } = pacerAt({ initialRate: 40, decrease: 0.5, increase: 0 });
    for (let i = 0; i < 30; i += 1) pacer.succeeded();

    for (let i = 0; i < 16; i += 1) pacer.throttled();
    const afterBurst = pacer.currentRate;
    advance(1_000);
    pacer.throttled();

    expect(afterBurst).toBe(20);
    // A second later nothing was accepted in the last second: down to the minimum.
    expect(pacer.currentRate).toBe(2);
  });

  it('climbs back while calls succeed, and never below its minimum', () => {
    const { pacer } = pacerAt({ initialRate: 4, increase: 0.5, minRate: 2 });

    pacer.throttled();
    const cut = pacer.currentRate;
    for (let i = 0; i < 10; i += 1) pacer.succeeded();

    expect(cut).toBe(2);
    expect(pacer.currentRate).toBe(7);
  });

  it('forgets a rate learned more than a minute ago', async () => {
    const { pacer, advance, waits } = pacerAt();
    pacer.throttled();
    advance(61_000);

    await pacer.acquire();

    expect(pacer.currentRate).toBe(Number.POSITIVE_INFINITY);
    expect(waits).toEqual([]);
  });
});
