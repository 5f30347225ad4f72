import { currentDeadline, invocationDeadline, withDeadline } from '../../aws/deadline';

describe('the invocation deadline', () => {
  it('leaves a tenth of the remaining time, at least 5 s, to wind up', () => {
    expect(invocationDeadline(300_000, 1_000)).toBe(1_000 + 270_000);
    expect(invocationDeadline(30_000, 1_000)).toBe(1_000 + 25_000);
    expect(invocationDeadline(3_000, 1_000)).toBe(1_000);
  });

  it('is seen by everything the invocation awaits, and not by a concurrent one', async () => {
    const seen: Array<number | undefined> = [];
    const work = async (id: number) => {
      await new Promise((resolve) => setTimeout(resolve, id));
      seen[id] = currentDeadline();
    };

    await Promise.all([withDeadline(100, () => work(1)), withDeadline(200, () => work(2)), work(3)]);

    expect(seen.slice(1)).toEqual([100, 200, undefined]);
  });
});
