import fc from 'fast-check';
import { PUBLISH_LAG_MS, publishedUntil, REPORT_MARGIN_MS, reportWindow } from '../../../cli/report/window';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const MINUTE = 60_000;
const at = (minutes: number) => new Date(T0 + minutes * MINUTE);

const periods = fc.constantFrom(60, 120, 300, 3600);
/** An execution: start, optional length (still running when absent), and how long after it we look. */
const executions = fc.record({
  startMs: fc.integer({ min: T0, max: T0 + 30 * 86_400_000 }),
  lengthMs: fc.option(fc.integer({ min: 0, max: 6 * 3_600_000 }), { nil: undefined }),
  laterMs: fc.integer({ min: 0, max: 86_400_000 }),
  periodSeconds: periods,
});

describe('reportWindow', () => {
  it('covers a finished execution ±5 minutes, widened to whole periods', () => {
    const window = reportWindow(at(0), at(13.5), at(40), 60);

    expect(window).toEqual({ start: at(-5), end: at(19) });
  });

  it('ends at now for a running execution, and for one that ended less than 5 minutes ago', () => {
    expect(reportWindow(at(0), undefined, at(8.5), 60).end).toEqual(at(8.5));
    expect(reportWindow(at(0), at(8), at(10.25), 60).end).toEqual(at(10.25));
  });

  it('starts on the period grid before the margin, and never ends past now or before the margin', () => {
    fc.assert(
      fc.property(executions, ({ startMs, lengthMs, laterMs, periodSeconds }) => {
        const periodMs = periodSeconds * 1000;
        const stoppedAt = lengthMs === undefined ? undefined : new Date(startMs + lengthMs);
        const now = new Date((stoppedAt?.getTime() ?? startMs) + laterMs + periodMs);

        const { start, end } = reportWindow(new Date(startMs), stoppedAt, now, periodSeconds);

        expect(start.getTime() % periodMs).toBe(0);
        expect(start.getTime()).toBeLessThanOrEqual(startMs - REPORT_MARGIN_MS);
        expect(start.getTime()).toBeGreaterThan(startMs - REPORT_MARGIN_MS - periodMs);
        expect(end.getTime()).toBeLessThanOrEqual(now.getTime());
        const wanted = (stoppedAt ?? now).getTime() + REPORT_MARGIN_MS;
        expect(end.getTime()).toBeGreaterThanOrEqual(Math.min(wanted, now.getTime()));
        expect(end.getTime() === now.getTime() || end.getTime() % periodMs === 0).toBe(true);
      }),
    );
  });
});

describe('publishedUntil', () => {
  it('counts missing minutes as idle through the latest datapoint, and up to 3 minutes before now', () => {
    expect(publishedUntil(at(5), 60, at(8.5))).toEqual(at(6));
    expect(publishedUntil(at(2), 60, at(8.5))).toEqual(at(5.5));
    expect(publishedUntil(undefined, 60, at(8.5))).toEqual(at(5.5));
  });

  it('is never after now nor more than the publishing lag before it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -120, max: 120 }),
        periods,
        fc.boolean(),
        (latestMinute, periodSeconds, none) => {
          const now = at(0);

          const until = publishedUntil(none ? undefined : at(latestMinute), periodSeconds, now).getTime();

          expect(until).toBeLessThanOrEqual(now.getTime());
          expect(until).toBeGreaterThanOrEqual(now.getTime() - PUBLISH_LAG_MS);
          if (!none)
            expect(until).toBeGreaterThanOrEqual(
              Math.min(now.getTime(), at(latestMinute).getTime() + periodSeconds * 1000),
            );
        },
      ),
    );
  });
});
