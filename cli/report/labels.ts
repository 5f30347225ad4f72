/**
 * Places labels of vertical chart markers in a few rows so they do not overlap: each label takes the
 * first row where it clears the previous label; when none has room, its short form is tried, and
 * then it is left out (its line and tooltip stay). Widths are estimated: SVG cannot measure text
 * without a browser, and the page has no script.
 */

export interface LabelRequest {
  readonly x: number;
  readonly text: string;
  /** Tried when the full text fits in no row. */
  readonly short?: string;
}

export interface PlacedLabel {
  readonly text: string;
  readonly row: number;
}

/** Average advance of an 11 px sans-serif character, generous so estimates err on the wide side. */
const CHAR_WIDTH = 6.4;
const GAP = 6;

export const labelWidth = (text: string): number => text.length * CHAR_WIDTH;

/** Extent of a label drawn with the anchor `anchorAt` picks for its x. */
const extent = (x: number, width: number, bounds: { left: number; right: number }): [number, number] => {
  const anchor = anchorAt(x, bounds);
  if (anchor === 'start') return [x, x + width];
  if (anchor === 'end') return [x - width, x];
  return [x - width / 2, x + width / 2];
};

/** One entry per request, in order: where its label goes, or undefined when it has no room. */
export const placeLabels = (
  requests: readonly LabelRequest[],
  rows: number,
  bounds: { left: number; right: number },
): (PlacedLabel | undefined)[] => {
  const rowEnds: number[] = Array.from({ length: rows }, () => Number.NEGATIVE_INFINITY);
  const order = requests
    .map((request, index) => ({ request, index }))
    .sort((a, b) => a.request.x - b.request.x);
  const placed: (PlacedLabel | undefined)[] = requests.map(() => undefined);
  for (const { request, index } of order) {
    for (const text of [request.text, request.short].filter((t): t is string => t !== undefined)) {
      const [from, to] = extent(request.x, labelWidth(text), bounds);
      const row = rowEnds.findIndex((end) => from >= end + GAP);
      if (row === -1) continue;
      rowEnds[row] = to;
      placed[index] = { text, row };
      break;
    }
  }
  return placed;
};

/** The text-anchor that keeps a label inside the plot near either edge. */
export const anchorAt = (x: number, bounds: { left: number; right: number }): string =>
  x < bounds.left + 50 ? 'start' : x > bounds.right - 50 ? 'end' : 'middle';
