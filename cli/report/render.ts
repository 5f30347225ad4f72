import { MARKER_COLOURS, renderChart } from './chart';
import { clusterColours } from './colours';
import { escapeHtml } from './escape';
import { clockTime, compactCount, dateTime, duration, percent, validDate } from './format';
import type { ReportData, ReportStep } from './types';

/**
 * The shift report: one self-contained HTML page (inline CSS and SVG, no script, no font, no
 * network; a Content-Security-Policy forbids loading anything) that opens from disk in any browser.
 * Pure: every string from users or AWS is escaped here.
 */

const FIVE_MINUTES = 5 * 60_000;

const STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #202124; background: #fff; margin: 24px auto; max-width: 1040px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
.status { display: inline-block; padding: 2px 10px; border-radius: 12px; font-weight: 600; font-size: 13px; vertical-align: middle; border: 1px solid currentColor; }
.status-ok { color: #1a7336; } .status-bad { color: #b3261e; } .status-running { color: #1f5fbf; } .status-warn { color: #8a6d00; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; }
dl.facts dt { color: #5f6368; } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.end-state { border-left: 4px solid #5f6368; padding: 6px 12px; background: #f4f5f7; margin: 12px 0; overflow-wrap: anywhere; }
.end-state.bad { border-color: #b3261e; } .end-state.ok { border-color: #1a7336; }
.notes { color: #5f6368; margin: 8px 0; padding-left: 20px; }
figure { margin: 0; } svg.chart { width: 100%; height: auto; display: block; }
svg .plot-bg { fill: #fff; } svg .grid { stroke: #e3e5e8; } svg .axis, svg .tick-mark { stroke: #5f6368; }
svg text { font: 11px system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; fill: #3c4043; }
svg .axis-title { font-size: 12px; fill: #5f6368; } svg .empty { font-size: 14px; fill: #5f6368; }
svg .bake { fill: #dde6f3; fill-opacity: 0.6; }
svg .series { fill: none; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
svg .step-marker line { stroke: #3c4043; stroke-width: 1; }
svg .marker line { stroke-width: 1.5; stroke-dasharray: 5 3; }
svg .marker-rollback line, svg .marker-failure line { stroke-width: 2; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 8px 0 0; padding: 0; list-style: none; color: #3c4043; }
.swatch { display: inline-block; width: 14px; height: 4px; margin: 0 6px 3px 0; vertical-align: middle; }
.swatch.box { height: 12px; margin-bottom: 0; } .swatch.line { width: 2px; height: 14px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #e3e5e8; vertical-align: top; }
th { color: #5f6368; font-weight: 600; } td.num { white-space: nowrap; }
.share { white-space: nowrap; margin-right: 10px; } .muted { color: #5f6368; }
footer { margin-top: 32px; color: #5f6368; font-size: 12px; }
`;

const statusClass = (status: string): string => {
  if (status === 'SUCCEEDED') return 'status-ok';
  if (status === 'RUNNING') return 'status-running';
  if (status === 'REFUSED') return 'status-warn';
  return 'status-bad';
};

/** Every cluster named anywhere in the data, configured ones first, each once. */
const allClusters = (data: ReportData): string[] => [
  ...new Set([
    ...data.clusters.map((c) => c.name),
    ...data.series.map((s) => s.cluster),
    ...data.steps.flatMap((s) => Object.keys(s.shares)),
  ]),
];

/** The chart's span: as given, else the execution ±5 min, stretched over every point, step and marker. */
const chartWindow = (data: ReportData): { start: Date; end: Date } => {
  if (data.window !== undefined && validDate(data.window.start) && validDate(data.window.end)) {
    if (data.window.end > data.window.start) return data.window;
  }
  const times = [
    data.execution.startedAt,
    data.execution.stoppedAt,
    ...data.series.flatMap((s) => s.points.map((p) => p.at)),
    ...data.steps.flatMap((s) => [s.at, s.bakeUntil]),
    ...data.markers.map((m) => m.at),
  ]
    .filter(validDate)
    .map((d) => d.getTime());
  // reduce, not Math.min(...): a long window has more points than a call's argument list allows.
  const first = times.length === 0 ? Date.now() : times.reduce((a, b) => Math.min(a, b));
  const last = times.length === 0 ? first : times.reduce((a, b) => Math.max(a, b));
  return { start: new Date(first - FIVE_MINUTES), end: new Date(last + FIVE_MINUTES) };
};

const shareList = (
  shares: Readonly<Record<string, number>> | undefined,
  clusters: readonly string[],
  colours: ReadonlyMap<string, string>,
): string => {
  if (shares === undefined) return '<span class="muted">no metrics</span>';
  const names = [
    ...clusters.filter((c) => c in shares),
    ...Object.keys(shares).filter((c) => !clusters.includes(c)),
  ];
  if (names.length === 0) return '<span class="muted">–</span>';
  return names
    .map(
      (cluster) =>
        `<span class="share"><span class="swatch" style="background:${colours.get(cluster) ?? '#5f6368'}"></span>${escapeHtml(cluster)} ${percent(shares[cluster])}</span>`,
    )
    .join(' ');
};

const fact = (label: string, value: string | undefined): string =>
  value === undefined || value === '' ? '' : `<dt>${label}</dt><dd>${value}</dd>`;

const header = (data: ReportData): string => {
  const e = data.execution;
  const verdict = e.outcome !== undefined && e.outcome !== e.status ? e.outcome : e.status;
  const what = [e.action, e.cluster].filter((part) => part !== undefined && part !== '').join(' ');
  const took = validDate(e.stoppedAt) ? duration(e.stoppedAt.getTime() - e.startedAt.getTime()) : undefined;
  const endClass = verdict === 'SUCCEEDED' ? 'ok' : verdict === 'RUNNING' ? '' : 'bad';
  return [
    `<h1>${escapeHtml(data.fleet)}: ${escapeHtml(what)} <span class="status ${statusClass(verdict)}">${escapeHtml(verdict)}</span></h1>`,
    '<dl class="facts">',
    fact('fleet', escapeHtml(data.fleet)),
    fact('action', escapeHtml(e.action)),
    fact('cluster', e.cluster === undefined ? undefined : escapeHtml(e.cluster)),
    fact('requested by', escapeHtml(e.requestedBy)),
    fact('reason', e.reason === undefined ? undefined : escapeHtml(e.reason)),
    fact('execution', `${escapeHtml(e.name)} <span class="muted">${escapeHtml(e.arn)}</span>`),
    fact('started', dateTime(e.startedAt)),
    fact(
      'ended',
      validDate(e.stoppedAt)
        ? `${dateTime(e.stoppedAt)} <span class="muted">(${took})</span>`
        : 'still running',
    ),
    fact(
      'status',
      `${escapeHtml(e.status)}${e.outcome !== undefined && e.outcome !== e.status ? ` (clustershift: ${escapeHtml(e.outcome)})` : ''}`,
    ),
    fact('error', e.error === undefined ? undefined : escapeHtml(e.error)),
    '</dl>',
    e.endState === undefined ? '' : `<p class="end-state ${endClass}">${escapeHtml(e.endState)}</p>`,
    data.notes === undefined || data.notes.length === 0
      ? ''
      : `<ul class="notes">${data.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>`,
  ].join('\n');
};

const legend = (
  data: ReportData,
  clusters: readonly string[],
  colours: ReadonlyMap<string, string>,
): string => {
  const totals = new Map<string, number>();
  const hasPoints = new Set<string>();
  for (const s of data.series) {
    const valid = s.points.filter((p) => Number.isFinite(p.requests));
    if (valid.length > 0) hasPoints.add(s.cluster);
    totals.set(s.cluster, (totals.get(s.cluster) ?? 0) + valid.reduce((sum, p) => sum + p.requests, 0));
  }
  const items = clusters.map(
    (cluster) =>
      `<li><span class="swatch" style="background:${colours.get(cluster) ?? '#5f6368'}"></span>${escapeHtml(cluster)} <span class="muted">${hasPoints.has(cluster) ? `${compactCount(totals.get(cluster) ?? 0)} requests` : 'no data'}</span></li>`,
  );
  items.push(
    '<li><span class="swatch line" style="background:#3c4043"></span>step write</li>',
    '<li><span class="swatch box" style="background:#dde6f3"></span>bake</li>',
  );
  const kinds = new Set(data.markers.map((m) => m.kind));
  if (kinds.has('verify'))
    items.push(
      `<li><span class="swatch line" style="background:${MARKER_COLOURS.verify}"></span>drain verification</li>`,
    );
  if (kinds.has('rollback') || kinds.has('failure'))
    items.push(
      `<li><span class="swatch line" style="background:${MARKER_COLOURS.rollback}"></span>rollback / failure</li>`,
    );
  return `<ul class="legend">${items.join('')}</ul>`;
};

const stepRow = (
  step: ReportStep,
  clusters: readonly string[],
  colours: ReadonlyMap<string, string>,
): string =>
  [
    '<tr class="step-row">',
    `<td class="num">${step.index + 1}/${step.total}</td>`,
    `<td class="num">${clockTime(step.at, true)}${validDate(step.bakeUntil) ? `<br><span class="muted">bake to ${clockTime(step.bakeUntil, true)}</span>` : ''}</td>`,
    `<td>${shareList(step.shares, clusters, colours)}</td>`,
    `<td>${step.weightsSummary === undefined ? '<span class="muted">–</span>' : escapeHtml(step.weightsSummary)}</td>`,
    `<td>${step.gates === undefined ? '<span class="muted">–</span>' : escapeHtml(step.gates)}</td>`,
    `<td>${shareList(step.observedShares, clusters, colours)}</td>`,
    '</tr>',
  ].join('');

const stepTable = (
  data: ReportData,
  clusters: readonly string[],
  colours: ReadonlyMap<string, string>,
): string => {
  if (data.steps.length === 0) return '<p class="muted">No step wrote any weight.</p>';
  return [
    '<table class="steps"><thead><tr><th>step</th><th>time (UTC)</th><th>planned share</th><th>weights written</th><th>gates</th><th>observed share</th></tr></thead><tbody>',
    ...data.steps.map((step) => stepRow(step, clusters, colours)),
    '</tbody></table>',
  ].join('\n');
};

const eventTable = (data: ReportData): string => {
  if (data.markers.length === 0) return '';
  const rows = [...data.markers]
    .sort((a, b) => (a.at?.getTime() ?? 0) - (b.at?.getTime() ?? 0))
    .map(
      (m) =>
        `<tr class="event-row"><td class="num">${clockTime(m.at, true)}</td><td>${escapeHtml(m.kind)}</td><td>${escapeHtml(m.label)}</td></tr>`,
    );
  return [
    '<h2>Events</h2>',
    '<table class="events"><thead><tr><th>time (UTC)</th><th>kind</th><th>what</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
  ].join('\n');
};

export const renderReport = (data: ReportData): string => {
  const clusters = allClusters(data);
  const colours = clusterColours([
    ...data.clusters,
    ...clusters.filter((name) => !data.clusters.some((c) => c.name === name)).map((name) => ({ name })),
  ]);
  const periodSeconds = data.periodSeconds !== undefined && data.periodSeconds > 0 ? data.periodSeconds : 60;
  const e = data.execution;
  const title = `clustershift ${data.fleet}: ${[e.action, e.cluster].filter(Boolean).join(' ')} ${e.outcome ?? e.status}`;
  const chart = renderChart({
    clusters,
    colours,
    series: data.series,
    steps: data.steps,
    markers: data.markers,
    periodSeconds,
    window: chartWindow(data),
  });
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    header(data),
    '</header>',
    '<main>',
    '<h2>Requests per cluster</h2>',
    '<figure>',
    chart,
    `<figcaption>${legend(data, clusters, colours)}</figcaption>`,
    '</figure>',
    '<h2>Steps</h2>',
    stepTable(data, clusters, colours),
    eventTable(data),
    '</main>',
    `<footer>clustershift shift report${validDate(data.generatedAt) ? `, generated ${dateTime(data.generatedAt)}` : ''}. Requests are CloudWatch RequestCount (Sum) per target group, summed per cluster; observed shares count the whole periods between a step's write and the next change.</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
};
