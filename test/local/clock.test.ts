import { MAX_TIMER_MS, TwinClock } from '../../local/clock';

/** Sleeps of the twin clock under jest's fake timers, which fire an over-long timer after 1 ms as Node does. */
const DAY_MS = 86_400_000;

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

describe('TwinClock.sleep', () => {
  it('waits the whole of a delay longer than one Node timer can hold, not 1 ms', async () => {
    // Prepare: 30 days at time scale 1 is past 2^31 - 1 ms
    const clock = new TwinClock(1);
    const sleep = track(clock.sleep(30 * DAY_MS));

    // Act
    await jest.advanceTimersByTimeAsync(MAX_TIMER_MS + 1_000);
    const afterOneTimer = sleep.done;
    await jest.advanceTimersByTimeAsync(30 * DAY_MS - MAX_TIMER_MS);

    // Assert
    expect(afterOneTimer).toBe(false);
    expect(sleep.done).toBe(true);
  });

  it('ends a long wait as soon as its signal aborts, leaving no timer behind', async () => {
    // Prepare
    const clock = new TwinClock(1);
    const controller = new AbortController();
    const sleep = track(clock.sleep(60 * DAY_MS, controller.signal));
    await jest.advanceTimersByTimeAsync(MAX_TIMER_MS + 1_000);

    // Act
    controller.abort();
    await jest.advanceTimersByTimeAsync(0);

    // Assert
    expect(sleep.done).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('waits twin time divided by the time scale', async () => {
    // Prepare: at 60, a twin minute is a real second
    const clock = new TwinClock(60);
    const sleep = track(clock.sleep(60_000));

    // Act
    await jest.advanceTimersByTimeAsync(999);
    const early = sleep.done;
    await jest.advanceTimersByTimeAsync(1);

    // Assert
    expect(early).toBe(false);
    expect(sleep.done).toBe(true);
  });
});
