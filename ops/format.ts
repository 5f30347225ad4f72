/**
 * Plain-text tables and numbers for the terminal. Hand-written: aligning columns is a few lines,
 * and on-call output should not depend on a terminal-styling package.
 */

export type Cell = string | number;

const isNumeric = (cell: Cell): boolean => typeof cell === 'number' || /^-?[\d.]+ ?%?$/.test(cell);

/** Columns padded to their widest cell; numbers right-aligned; no trailing spaces. */
export const table = (headers: readonly string[], rows: readonly (readonly Cell[])[]): string[] => {
  const all = [headers, ...rows];
  const widths = headers.map((_, column) => Math.max(...all.map((row) => String(row[column] ?? '').length)));
  const render = (row: readonly Cell[], header: boolean) =>
    widths
      .map((width, column) => {
        const cell = row[column] ?? '';
        const text = String(cell);
        return !header && isNumeric(cell) && text !== '' ? text.padStart(width) : text.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [render(headers, true), ...rows.map((row) => render(row, false))];
};

/** 0.254 → `25 %`; one decimal below 10 % so a canary's 2.5 % does not read as 3 %. */
export const percent = (share: number): string => {
  const value = share * 100;
  const digits = value !== 0 && Math.abs(value) < 10 && !Number.isInteger(value) ? 1 : 0;
  return `${value.toFixed(digits)} %`;
};

/** `blue 25 %, green 75 %`. */
export const shares = (byCluster: Readonly<Record<string, number>>): string =>
  Object.entries(byCluster)
    .map(([cluster, share]) => `${cluster} ${percent(share)}`)
    .join(', ');

export { utc } from '../core/utc';

/** `blue, green and red`. */
export const joinNames = (names: readonly string[]): string =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

/** Step fractions as operators read them: 0.25 → `25%`. */
export const stepLabel = (fraction: number): string => `${Math.round(fraction * 1000) / 10}%`;
