import { runLoad } from '../../bench/load';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('runLoad', () => {
  it('keeps exactly the configured number of requests in flight', async () => {
    // Prepare
    let inFlight = 0;
    let most = 0;
    const workers = new Set<number>();
    const request = async (worker: number) => {
      workers.add(worker);
      inFlight += 1;
      most = Math.max(most, inFlight);
      await tick();
      inFlight -= 1;
    };

    // Act
    const result = await runLoad(request, { concurrency: 4, durationMs: 20, warmUpMs: 0 });

    // Assert
    expect(most).toBe(4);
    expect([...workers].sort()).toEqual([0, 1, 2, 3]);
    expect(result.errors).toBe(0);
  });

  it('counts failed requests as errors, not as served requests, and keeps the first message', async () => {
    // Prepare
    let sent = 0;
    const request = async (_worker: number, sequence: number) => {
      sent += 1;
      await tick();
      if (sequence % 2 === 1) throw new Error(`throttled ${sequence}`);
    };

    // Act
    const result = await runLoad(request, { concurrency: 1, durationMs: 20, warmUpMs: 0 });

    // Assert
    expect(result.requests + result.errors).toBe(sent);
    expect(result.errors).toBe(Math.floor(sent / 2));
    expect(result.firstError).toBe('Error: throttled 1');
  });

  it('leaves the warm-up requests out of the figures', async () => {
    // Prepare
    let sent = 0;
    const request = async () => {
      sent += 1;
      await tick();
    };

    // Act
    const result = await runLoad(request, { concurrency: 2, durationMs: 10, warmUpMs: 10 });

    // Assert
    expect(result.requests).toBeGreaterThan(0);
    expect(result.requests).toBeLessThan(sent);
  });
});
