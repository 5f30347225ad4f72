import type { ReportCluster } from './types';

/**
 * Line colours, each at least 4.5:1 against the white chart background (WCAG AA for text, so the
 * legend and labels drawn in them stay readable too).
 */
const NAMED: Readonly<Record<string, string>> = {
  blue: '#1f5fbf',
  green: '#1a7336',
  red: '#b3261e',
  orange: '#b35900',
  purple: '#7b3fa0',
  yellow: '#8a6d00',
  teal: '#00727a',
  pink: '#b0306f',
  grey: '#5f6368',
  gray: '#5f6368',
  black: '#202124',
};
/** For clusters not named after a colour, in order; blue and green stay reserved for their names. */
const PALETTE = ['#b35900', '#7b3fa0', '#00727a', '#b0306f', '#8a6d00', '#b3261e', '#5f6368'];

/** Accepted as given: a hex colour or a plain colour keyword (nothing that could break out of CSS). */
const SAFE_COLOUR = /^(#[0-9a-f]{3}|#[0-9a-f]{6}|[a-z]{3,20})$/i;

/** A colour per cluster: its own if valid, its name's colour (blue is blue), else the next free one. */
export const clusterColours = (clusters: readonly ReportCluster[]): Map<string, string> => {
  const colours = new Map<string, string>();
  for (const cluster of clusters) {
    if (cluster.colour !== undefined && SAFE_COLOUR.test(cluster.colour))
      colours.set(cluster.name, cluster.colour);
    else {
      const named = NAMED[cluster.name.toLowerCase()];
      if (named !== undefined) colours.set(cluster.name, named);
    }
  }
  const free = PALETTE.filter((colour) => ![...colours.values()].includes(colour));
  let next = 0;
  for (const cluster of clusters) {
    if (colours.has(cluster.name)) continue;
    colours.set(
      cluster.name,
      free[next % Math.max(free.length, 1)] ?? PALETTE[next % PALETTE.length] ?? '#5f6368',
    );
    next += 1;
  }
  return colours;
};
