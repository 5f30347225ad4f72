import { compactCount, duration } from '../../../cli/report/format';
import { countTicks, timeTicks } from '../../../cli/report/scale';

describe('compactCount', () => {
  it.each([
    [0, '0'],
    [950, '950'],
    [1_000, '1k'],
    [1_250, '1.25k'],
    [12_000, '12k'],
    [12_345, '12.3k'],
    [125_000, '125k'],
    [999_600, '1M'],
    [2_500_000, '2.5M'],
    [3e9, '3B'],
  ])('writes %d as %s', (value, expected) => {
    expect(compactCount(value)).toBe(expected);
  });
});

describe('countTicks', () => {
  it('steps by a round number up to a maximum at or above the highest count', () => {
    expect(countTicks(1_180)).toEqual({ max: 1_250, ticks: [0, 250, 500, 750, 1_000, 1_250] });
    expect(countTicks(60_000)).toEqual({ max: 60_000, ticks: [0, 20_000, 40_000, 60_000] });
  });

  it('keeps whole-number ticks for tiny counts', () => {
    expect(countTicks(3).ticks.every(Number.isInteger)).toBe(true);
    expect(countTicks(3).max).toBeGreaterThanOrEqual(3);
  });

  it('still gives an axis when there is nothing to count', () => {
    expect(countTicks(0)).toEqual({ max: 4, ticks: [0, 1, 2, 3, 4] });
    expect(countTicks(Number.NaN).max).toBe(4);
  });

  it('copes with huge counts', () => {
    const axis = countTicks(7.3e9);
    expect(axis.max).toBeGreaterThanOrEqual(7.3e9);
    expect(axis.ticks.length).toBeLessThanOrEqual(7);
  });
});

describe('timeTicks', () => {
  const t = (iso: string) => Date.parse(iso);

  it('puts ticks on round clock times', () => {
    const { ticks, interval } = timeTicks(t('2026-11-23T09:57:10Z'), t('2026-11-23T10:17:00Z'));
    expect(interval).toBe(5 * 60_000);
    expect(ticks.map((at) => new Date(at).toISOString().slice(11, 16))).toEqual([
      '10:00',
      '10:05',
      '10:10',
      '10:15',
    ]);
  });

  it('never gives more ticks than asked for, whatever the span', () => {
    for (const span of [1_000, 90_000, 3_600_000, 30 * 86_400_000]) {
      expect(timeTicks(0, span, 8).ticks.length).toBeLessThanOrEqual(8);
    }
  });
});

describe('duration', () => {
  it('reads like a person would say it', () => {
    expect([12_000, 270_000, 3_900_000].map(duration)).toEqual(['12 s', '4 min 30 s', '1 h 05 min']);
  });
});
