import type { TwinClock } from '../clock';

/** How often a long sleep looks at the clock again, in real ms. */
const CHECK_EVERY_REAL_MS = 1_000;

/**
 * Sleeps until twin time reaches `deadline` (twin epoch ms), or `signal` aborts. It sleeps in slices of
 * at most a real second and re-reads the clock after each, so `clock.advance` (skip a bake, expire a
 * lease) wakes it within a second, and no single timer exceeds what setTimeout can hold (~24.8 days).
 */
export const sleepUntil = async (clock: TwinClock, deadline: number, signal: AbortSignal): Promise<void> => {
  while (!signal.aborted) {
    const remaining = deadline - clock.now();
    if (remaining <= 0) return;
    await clock.sleep(Math.min(remaining, CHECK_EVERY_REAL_MS * clock.timeScale), signal);
  }
};
