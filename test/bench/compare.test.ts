import fc from 'fast-check';
import { compareFigures, NOISE_TOLERANCE, tallyBudgets } from '../../bench/compare';
import type { Figure } from '../../bench/figures';

const figure = (overrides: Partial<Figure> = {}): Figure => ({
  key: 'k',
  label: 'a figure, ms',
  value: 100,
  better: 'lower',
  ...overrides,
});

describe('compareFigures', () => {
  it('judges a budgeted figure by its budget alone, even when it got worse', () => {
    // Prepare
    const ratio = figure({ key: 'ratio', value: 1.45, budget: { limit: 1.5, strict: false } });

    // Act
    const [row] = compareFigures([ratio], { ratio: 1.2 });

    // Assert
    expect(row).toMatchObject({
      budget: '≤ 1.5',
      previous: '1.2',
      now: '1.45',
      change: '+20.8 %',
      verdict: 'ok',
    });
  });

  it('puts a figure above its limit over budget, even when it got better', () => {
    // Prepare
    const bundle = figure({ key: 'kb', value: 320.5, budget: { limit: 300, strict: true } });

    // Act
    const [row] = compareFigures([bundle], { kb: 400 });

    // Assert
    expect(row?.verdict).toBe('over budget');
    expect(row?.budget).toBe('< 300');
  });

  it('passes a figure equal to an at-most limit and fails one equal to an under limit', () => {
    // Prepare
    const atMost = figure({ key: 'a', value: 1.5, budget: { limit: 1.5, strict: false } });
    const under = figure({ key: 'b', value: 300, budget: { limit: 300, strict: true } });

    // Act
    const rows = compareFigures([atMost, under], {});

    // Assert
    expect(rows.map((row) => row.verdict)).toEqual(['ok', 'over budget']);
  });

  it('calls a change beyond the tolerance better or worse by the direction that improves the figure', () => {
    // Prepare
    const figures = [
      figure({ key: 'latency-down', value: 80, better: 'lower' }),
      figure({ key: 'latency-up', value: 120, better: 'lower' }),
      figure({ key: 'rate-up', value: 120, better: 'higher' }),
      figure({ key: 'rate-down', value: 80, better: 'higher' }),
      figure({ key: 'count', value: 120, better: 'neither' }),
    ];
    const previous = { 'latency-down': 100, 'latency-up': 100, 'rate-up': 100, 'rate-down': 100, count: 100 };

    // Act
    const verdicts = compareFigures(figures, previous).map((row) => row.verdict);

    // Assert
    expect(verdicts).toEqual(['better', 'worse', 'better', 'worse', 'changed']);
  });

  it('calls a figure the same exactly when it moved within the noise tolerance', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 2e6, noNaN: true }),
        fc.constantFrom<Figure['better']>('lower', 'higher', 'neither'),
        (before, now, better) => {
          // Act
          const [row] = compareFigures([figure({ value: now, better })], { k: before });

          // Assert
          const moved = Math.abs(now - before) / before > NOISE_TOLERANCE;
          expect(row?.verdict === 'same').toBe(!moved);
        },
      ),
    );
  });

  it('marks a figure the previous run lacked as new, with no previous value or change', () => {
    // Act
    const [row] = compareFigures([figure({ key: 'twin.read.rps', better: 'higher' })], { other: 1 });

    // Assert
    expect(row).toMatchObject({ previous: 'n/a', change: 'n/a', verdict: 'new' });
  });

  it('shows a rise from zero as an infinite change and a worse verdict', () => {
    // Act
    const [row] = compareFigures([figure({ key: 'failed', value: 2 })], { failed: 0 });

    // Assert
    expect(row).toMatchObject({ previous: '0', now: '2', change: '+∞', verdict: 'worse' });
  });

  it('labels a figure carried over from the previous run as reused', () => {
    // Act
    const [row] = compareFigures([figure({ key: 'npmTest.s', value: 361.2, reused: true })], {
      'npmTest.s': 361.2,
    });

    // Assert
    expect(row).toMatchObject({ now: '361.2 (reused)', change: '0.0 %', verdict: 'same' });
  });

  it('formats large values with thousands separators', () => {
    // Act
    const [row] = compareFigures([figure({ value: 25741 })], { k: 5735 });

    // Assert
    expect([row?.previous, row?.now]).toEqual(['5,735', '25,741']);
  });
});

describe('tallyBudgets', () => {
  it('counts budgeted rows that passed and failed and ignores the others', () => {
    // Prepare
    const rows = compareFigures(
      [
        figure({ key: 'a', value: 1, budget: { limit: 2, strict: true } }),
        figure({ key: 'b', value: 3, budget: { limit: 2, strict: true } }),
        figure({ key: 'c', value: 4, budget: { limit: 2, strict: false } }),
        figure({ key: 'd', value: 9 }),
      ],
      { d: 1 },
    );

    // Act
    const tally = tallyBudgets(rows);

    // Assert
    expect(tally).toEqual({ ok: 1, over: 2 });
  });
});
