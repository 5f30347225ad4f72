import { labelWidth, placeLabels } from '../../../cli/report/labels';

const bounds = { left: 0, right: 1_000 };

describe('placeLabels', () => {
  it('keeps labels that are far apart in the first row', () => {
    const placed = placeLabels(
      [
        { x: 200, text: 'step 1/2' },
        { x: 600, text: 'step 2/2' },
      ],
      2,
      bounds,
    );

    expect(placed).toEqual([
      { text: 'step 1/2', row: 0 },
      { text: 'step 2/2', row: 0 },
    ]);
  });

  it('moves a label that would overlap its neighbour to the next row, then to its short form, then leaves it out', () => {
    // "step k/5" is 51.2 px wide, "k/5" 19.2 px: the first two collide, the short forms of the next fit.
    const placed = placeLabels(
      [300, 310, 348, 352, 356].map((x, i) => ({ x, text: `step ${i + 1}/5`, short: `${i + 1}/5` })),
      2,
      bounds,
    );

    expect(labelWidth('step 1/5')).toBeCloseTo(51.2);
    expect(placed.map((p) => p && `${p.row}:${p.text}`)).toEqual([
      '0:step 1/5',
      '1:step 2/5',
      '0:3/5',
      '1:4/5',
      undefined,
    ]);
  });
});
