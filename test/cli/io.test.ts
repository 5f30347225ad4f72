import { defaultSleep } from '../../cli/io';

/** The CLI's wait between polls, under jest's fake timers (which fire an over-long timer after 1 ms, as Node does). */
const DAY_MS = 86_400_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Starts a sleep and reports whether it has ended. */
const track = (sleep: Promise<void>) => {
  const state = { done: false };
  void sleep.then(() => {
    state.done = true;
  });
  return state;
};

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  jest.useRealTimers();
});

describe('defaultSleep', () => {
  it('waits the whole of an --interval longer than one Node timer can hold, not 1 ms', async () => {
    // Prepare: 30 days is past 2^31 - 1 ms
    const sleep = track(defaultSleep(30 * DAY_MS));

    // Act
    await jest.advanceTimersByTimeAsync(MAX_TIMER_MS + 1_000);
    const afterOneTimer = sleep.done;
    await jest.advanceTimersByTimeAsync(30 * DAY_MS - MAX_TIMER_MS);

    // Assert
    expect(afterOneTimer).toBe(false);
    expect(sleep.done).toBe(true);
  });

  it('ends a long wait as soon as its signal aborts (Ctrl-C), leaving no timer behind', async () => {
    // Prepare
    const controller = new AbortController();
    const sleep = track(defaultSleep(60 * DAY_MS, controller.signal));
    await jest.advanceTimersByTimeAsync(MAX_TIMER_MS + 1_000);

    // Act
    controller.abort();
    await jest.advanceTimersByTimeAsync(0);

    // Assert
    expect(sleep.done).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('waits a short interval once', async () => {
    // Prepare
    const sleep = track(defaultSleep(5_000));

    // Act
    await jest.advanceTimersByTimeAsync(4_999);
    const early = sleep.done;
    await jest.advanceTimersByTimeAsync(1);

    // Assert
    expect(early).toBe(false);
    expect(sleep.done).toBe(true);
  });
});
