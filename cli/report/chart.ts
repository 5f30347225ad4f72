import { escapeHtml } from './escape';
import { clockTime, compactCount, dayAndTime, validDate } from './format';
import { anchorAt, placeLabels } from './labels';
import { countTicks, linear, timeTicks } from './scale';
import type { MarkerKind, ReportMarker, ReportSeries, ReportStep } from './types';

/**
 * The requests-per-cluster chart as inline SVG, drawn by hand: a charting library would be a
 * dependency and most load scripts or fonts, while the report must open offline from one file.
 */

export interface ChartInput {
  readonly clusters: readonly string[];
  readonly colours: ReadonlyMap<string, string>;
  readonly series: readonly ReportSeries[];
  readonly steps: readonly ReportStep[];
  readonly markers: readonly ReportMarker[];
  readonly periodSeconds: number;
  readonly window: { readonly start: Date; readonly end: Date };
}

const WIDTH = 960;
const HEIGHT = 420;
const PLOT = { left: 70, right: WIDTH - 20, top: 80, bottom: HEIGHT - 50 };
/** Baselines of the label rows above the plot: step labels nearest, other markers above them. */
const STEP_ROWS = [PLOT.top - 12, PLOT.top - 25];
const MARKER_ROWS = [PLOT.top - 42, PLOT.top - 56, PLOT.top - 70];
/** Beyond this many datapoints in all, dots (and their tooltips) would only add weight. */
const MAX_DOTS = 600;
/** Labels longer than this are cut in the chart; the events table has them in full. */
const MAX_LABEL = 36;

export const MARKER_COLOURS: Readonly<Record<MarkerKind, string>> = {
  verify: '#6a1b9a',
  rollback: '#b3261e',
  failure: '#b3261e',
  note: '#5f6368',
};

const n = (value: number): string => (Math.round(value * 10) / 10).toString();

const cut = (text: string): string => (text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text);

/** Points a chart can place: valid time, finite count ≥ 0, in time order. */
const plottable = (series: ReportSeries) =>
  series.points
    .filter((p) => validDate(p.at) && Number.isFinite(p.requests) && p.requests >= 0)
    .map((p) => ({ at: p.at.getTime(), requests: p.requests }))
    .sort((a, b) => a.at - b.at);

const periodLabel = (seconds: number): string =>
  seconds === 60 ? 'minute' : seconds % 3600 === 0 ? `${seconds / 3600} h` : `${n(seconds / 60)} min`;

/** One `<path>` per cluster; a gap of more than one period starts a new subpath instead of bridging it. */
const seriesPath = (points: readonly { x: number; y: number; at: number }[], periodMs: number): string =>
  points
    .map((p, i) => {
      const previous = points[i - 1];
      const jump = previous === undefined || p.at - previous.at > periodMs * 1.5;
      return `${jump ? 'M' : 'L'}${n(p.x)},${n(p.y)}`;
    })
    .join(' ');

/** The chart's coordinate system: time → x, requests → y, over the window. */
interface Frame {
  readonly start: number;
  readonly end: number;
  readonly x: (at: number) => number;
  readonly y: (requests: number) => number;
}

/** A vertical line from its label (or the plot's top when the label had no room) to the time axis. */
const verticalMarker = (
  className: string,
  at: number,
  label: { text: string; y: number } | undefined,
  title: string,
  colour?: string,
): string => {
  const stroke = colour === undefined ? '' : ` stroke="${colour}"`;
  const fill = colour === undefined ? '' : ` fill="${colour}"`;
  const text =
    label === undefined
      ? ''
      : `<text x="${n(at)}" y="${label.y}" text-anchor="${anchorAt(at, PLOT)}"${fill}>${escapeHtml(label.text)}</text>`;
  return `<g class="${className}"><line x1="${n(at)}" x2="${n(at)}" y1="${label === undefined ? PLOT.top : label.y + 4}" y2="${PLOT.bottom}"${stroke}/>${text}<title>${escapeHtml(title)}</title></g>`;
};

const bakes = (steps: readonly ReportStep[], frame: Frame): string[] =>
  steps.flatMap((step) => {
    if (!validDate(step.at) || !validDate(step.bakeUntil)) return [];
    const from = Math.max(step.at.getTime(), frame.start);
    const to = Math.min(step.bakeUntil.getTime(), frame.end);
    if (to <= from) return [];
    return [
      `<rect class="bake" x="${n(frame.x(from))}" y="${PLOT.top}" width="${n(frame.x(to) - frame.x(from))}" height="${PLOT.bottom - PLOT.top}"><title>step ${step.index + 1}/${step.total} bake until ${clockTime(step.bakeUntil, true)} UTC</title></rect>`,
    ];
  });

const axes = (frame: Frame, yTicks: readonly number[], periodSeconds: number): string[] => {
  const day = (at: number) => new Date(at).toISOString().slice(0, 10);
  const spansDays = day(frame.start) !== day(frame.end);
  const timeLabel = (at: number) => (spansDays ? dayAndTime(new Date(at)) : clockTime(new Date(at)));
  return [
    ...yTicks.flatMap((tick) => [
      `<line class="grid" x1="${PLOT.left}" x2="${PLOT.right}" y1="${n(frame.y(tick))}" y2="${n(frame.y(tick))}"/>`,
      `<text class="tick tick-y" x="${PLOT.left - 8}" y="${n(frame.y(tick) + 4)}" text-anchor="end">${compactCount(tick)}</text>`,
    ]),
    ...timeTicks(frame.start, frame.end).ticks.flatMap((tick) => [
      `<line class="tick-mark" x1="${n(frame.x(tick))}" x2="${n(frame.x(tick))}" y1="${PLOT.bottom}" y2="${PLOT.bottom + 5}"/>`,
      `<text class="tick tick-x" x="${n(frame.x(tick))}" y="${PLOT.bottom + 20}" text-anchor="middle">${timeLabel(tick)}</text>`,
    ]),
    `<line class="axis" x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}"/>`,
    `<line class="axis" x1="${PLOT.left}" x2="${PLOT.left}" y1="${PLOT.top}" y2="${PLOT.bottom}"/>`,
    `<text class="axis-title" x="${(PLOT.left + PLOT.right) / 2}" y="${HEIGHT - 10}" text-anchor="middle">time (UTC${spansDays ? '' : `, ${day(frame.start)}`})</text>`,
    `<text class="axis-title" transform="translate(16 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" text-anchor="middle">requests per ${periodLabel(periodSeconds)}</text>`,
  ];
};

const stepMarkers = (steps: readonly ReportStep[], frame: Frame): string[] => {
  const labels = placeLabels(
    steps.map((step) => ({
      x: frame.x(step.at.getTime()),
      text: `step ${step.index + 1}/${step.total}`,
      short: `${step.index + 1}/${step.total}`,
    })),
    STEP_ROWS.length,
    PLOT,
  );
  return steps.map((step, i) => {
    const placed = labels[i];
    const y = placed === undefined ? undefined : STEP_ROWS[placed.row];
    return verticalMarker(
      'step-marker',
      frame.x(step.at.getTime()),
      placed === undefined || y === undefined ? undefined : { text: placed.text, y },
      `step ${step.index + 1}/${step.total} written at ${clockTime(step.at, true)} UTC`,
    );
  });
};

const eventMarkers = (markers: readonly ReportMarker[], frame: Frame): string[] => {
  const labels = placeLabels(
    markers.map((m) => ({ x: frame.x(m.at.getTime()), text: cut(m.label), short: m.kind })),
    MARKER_ROWS.length,
    PLOT,
  );
  return markers.map((marker, i) => {
    const placed = labels[i];
    const y = placed === undefined ? undefined : MARKER_ROWS[placed.row];
    return verticalMarker(
      `marker marker-${escapeHtml(marker.kind)}`,
      frame.x(marker.at.getTime()),
      placed === undefined || y === undefined ? undefined : { text: placed.text, y },
      `${marker.label} at ${clockTime(marker.at, true)} UTC`,
      MARKER_COLOURS[marker.kind] ?? MARKER_COLOURS.note,
    );
  });
};

const seriesLines = (
  series: readonly { cluster: string; points: { at: number; requests: number }[] }[],
  colours: ReadonlyMap<string, string>,
  frame: Frame,
  periodMs: number,
): string[] => {
  const pointCount = series.reduce((sum, s) => sum + s.points.length, 0);
  return series.flatMap((s) => {
    if (s.points.length === 0) return [];
    const colour = colours.get(s.cluster) ?? '#5f6368';
    const placed = s.points.map((p) => ({ ...p, x: frame.x(p.at), y: frame.y(p.requests) }));
    const line = `<path class="series" data-cluster="${escapeHtml(s.cluster)}" stroke="${colour}" d="${seriesPath(placed, periodMs)}"/>`;
    // A lone point draws no line: dots keep single datapoints visible (and give tooltips).
    if (pointCount > MAX_DOTS && s.points.length > 1) return [line];
    const dots = placed.map(
      (p) =>
        `<circle cx="${n(p.x)}" cy="${n(p.y)}" r="2.5"><title>${escapeHtml(s.cluster)} ${clockTime(new Date(p.at))}: ${p.requests.toLocaleString('en-US')} requests</title></circle>`,
    );
    return [line, `<g class="dots" fill="${colour}">${dots.join('')}</g>`];
  });
};

export const renderChart = (input: ChartInput): string => {
  const start = input.window.start.getTime();
  const end = input.window.end.getTime();
  const inWindow = (at: number) => at >= start && at <= end;
  const series = input.series.map((s) => ({
    cluster: s.cluster,
    points: plottable(s).filter((p) => inWindow(p.at)),
  }));
  // reduce, not Math.max(...): a long window has more points than a call's argument list allows.
  const highest = series.reduce((max, s) => s.points.reduce((m, p) => Math.max(m, p.requests), max), 0);
  const yAxis = countTicks(highest);
  const frame: Frame = {
    start,
    end,
    x: linear(start, end, PLOT.left, PLOT.right),
    y: linear(0, yAxis.max, PLOT.bottom, PLOT.top),
  };
  const steps = input.steps.filter((s) => validDate(s.at) && inWindow(s.at.getTime()));
  const markers = input.markers.filter((m) => validDate(m.at) && inWindow(m.at.getTime()));
  const empty = series.every((s) => s.points.length === 0);

  const summary = `Requests per ${periodLabel(input.periodSeconds)} for ${input.clusters.length} cluster(s) from ${dayAndTime(input.window.start)} to ${dayAndTime(input.window.end)} UTC, with ${steps.length} step marker(s).`;
  return [
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="chart-title chart-desc">`,
    '<title id="chart-title">Requests per cluster over time</title>',
    `<desc id="chart-desc">${escapeHtml(summary)}</desc>`,
    `<rect class="plot-bg" x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}"/>`,
    // Back to front: bakes, axes and grid, markers, then the lines on top.
    ...bakes(input.steps, frame),
    ...axes(frame, yAxis.ticks, input.periodSeconds),
    ...stepMarkers(steps, frame),
    ...eventMarkers(markers, frame),
    ...seriesLines(series, input.colours, frame, input.periodSeconds * 1000),
    empty
      ? `<text class="empty" x="${(PLOT.left + PLOT.right) / 2}" y="${(PLOT.top + PLOT.bottom) / 2}" text-anchor="middle">No RequestCount datapoints in this window</text>`
      : '',
    '</svg>',
  ].join('\n');
};
