import { fillIdlePeriods, observedShares } from '../../../cli/report/series';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

describe('fillIdlePeriods', () => {
  it('fills every whole period of the grid CloudWatch left out with zero requests', () => {
    const filled = fillIdlePeriods([{ at: at(1), requests: 5 }], {
      start: at(0),
      end: at(3.5),
      periodSeconds: 60,
    });

    expect(filled.map((p) => [p.at.toISOString().slice(11, 16), p.requests])).toEqual([
      ['10:00', 0],
      ['10:01', 5],
      ['10:02', 0],
    ]);
  });

  it('leaves points that are off the grid exactly as they came', () => {
    const points = [{ at: new Date(T0 + 30_000), requests: 5 }];

    expect(fillIdlePeriods(points, { start: at(0), end: at(5), periodSeconds: 60 })).toEqual(points);
  });
});

describe('observedShares', () => {
  const series = new Map([
    ['blue', [0, 1, 2, 3].map((m) => ({ at: at(m), requests: m < 2 ? 50 : 0 }))],
    ['green', [0, 1, 2, 3].map((m) => ({ at: at(m), requests: m < 2 ? 50 : 100 }))],
  ]);

  it('counts only the periods that lie wholly between the write and the next change', () => {
    expect(observedShares(series, new Date(T0 + 90_000), at(4), 60)).toEqual({ blue: 0, green: 1 });
    expect(observedShares(series, at(0), at(4), 60)).toEqual({ blue: 0.25, green: 0.75 });
  });

  it('is undefined when no whole period fits or nothing was counted', () => {
    expect(observedShares(series, new Date(T0 + 10_000), new Date(T0 + 70_000), 60)).toBeUndefined();
    expect(observedShares(new Map([['blue', []]]), at(0), at(4), 60)).toBeUndefined();
  });
});
