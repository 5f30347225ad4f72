import { renderReport } from '../../../cli/report/render';
import type { ReportData, ReportPoint, ReportStep } from '../../../cli/report/types';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/** Requests per minute from minute `from` to `to`, `value(minute)` each. */
const minutes = (from: number, to: number, value: (minute: number) => number): ReportPoint[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ at: at(from + i), requests: value(from + i) }));

const step = (
  index: number,
  total: number,
  minute: number,
  blue: number,
  extra: Partial<ReportStep> = {},
) => ({
  index,
  total,
  at: at(minute),
  bakeUntil: at(minute + 2),
  shares: { blue, green: 1 - blue },
  ...extra,
});

/** A finished two-cluster drain in three steps with a verified drain. */
const drainReport = (overrides: Partial<ReportData> = {}): ReportData => ({
  fleet: 'prod-eu',
  execution: {
    arn: 'arn:aws:states:eu-west-1:123456789012:execution:clustershift:drain-1',
    name: 'drain-1',
    action: 'drain',
    cluster: 'blue',
    requestedBy: 'cli:alice',
    reason: 'EKS 1.31 upgrade',
    startedAt: at(0),
    stoppedAt: at(12),
    status: 'SUCCEEDED',
    outcome: 'SUCCEEDED',
    endState: 'Succeeded: every changed route is at the plan target.',
  },
  clusters: [{ name: 'blue' }, { name: 'green' }],
  series: [
    { cluster: 'blue', points: minutes(-5, 16, (m) => (m < 1 ? 600 : m < 4 ? 400 : m < 7 ? 200 : 0)) },
    { cluster: 'green', points: minutes(-5, 16, (m) => (m < 1 ? 600 : m < 4 ? 800 : m < 7 ? 1000 : 1200)) },
  ],
  steps: [
    step(0, 3, 1, 0.33, { observedShares: { blue: 0.33, green: 0.67 } }),
    step(1, 3, 4, 0.17),
    step(2, 3, 7, 0),
  ],
  markers: [{ at: at(10), kind: 'verify', label: 'verified drained' }],
  periodSeconds: 60,
  window: { start: at(-5), end: at(17) },
  ...overrides,
});

const count = (html: string, pattern: RegExp) => html.match(pattern)?.length ?? 0;

describe('renderReport', () => {
  it('renders one complete HTML document that loads nothing from anywhere', () => {
    const html = renderReport(drainReport());

    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    for (const tag of ['head', 'body', 'header', 'main', 'svg', 'table']) {
      expect(count(html, new RegExp(`<${tag}[ >]`, 'g'))).toBe(count(html, new RegExp(`</${tag}>`, 'g')));
    }
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|href=|@import|url\(/i);
    expect(html.replaceAll('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:\/\//);
  });

  it('shows who started the shift, why, the execution and its outcome in the header', () => {
    const html = renderReport(drainReport());

    const header = html.slice(html.indexOf('<header>'), html.indexOf('</header>'));
    expect(header).toContain('prod-eu: drain blue <span class="status status-ok">SUCCEEDED</span>');
    expect(header).toContain('<dt>requested by</dt><dd>cli:alice</dd>');
    expect(header).toContain('<dt>reason</dt><dd>EKS 1.31 upgrade</dd>');
    expect(header).toContain('arn:aws:states:eu-west-1:123456789012:execution:clustershift:drain-1');
    expect(header).toContain('2026-11-23 10:00:00 UTC');
    expect(header).toContain('2026-11-23 10:12:00 UTC <span class="muted">(12 min)</span>');
    expect(header).toContain('Succeeded: every changed route is at the plan target.');
  });

  it('escapes hostile names, reasons, errors and labels everywhere they appear', () => {
    const hostile = '<script>alert(1)</script>"\'&';
    const html = renderReport(
      drainReport({
        fleet: hostile,
        execution: {
          ...drainReport().execution,
          requestedBy: '"><img src=x onerror=alert(1)>',
          reason: hostile,
          status: 'FAILED',
          error: hostile,
          endState: hostile,
        },
        clusters: [{ name: '<b>blue</b>' }, { name: 'green' }],
        series: [{ cluster: '<b>blue</b>', points: minutes(0, 3, () => 5) }],
        steps: [step(0, 1, 1, 0, { shares: { '<b>blue</b>': 0 }, gates: hostile, weightsSummary: hostile })],
        markers: [{ at: at(2), kind: 'rollback', label: hostile }],
        notes: [hostile],
      }),
    );

    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('data-cluster="&lt;b&gt;blue&lt;/b&gt;"');
  });

  it('draws one labelled vertical marker per step and shades each bake', () => {
    const html = renderReport(drainReport());

    expect(count(html, /<g class="step-marker">/g)).toBe(3);
    for (const label of ['step 1/3', 'step 2/3', 'step 3/3']) expect(html).toContain(`>${label}</text>`);
    expect(count(html, /<rect class="bake"/g)).toBe(3);
  });

  it('draws one line per cluster, blue in blue and green in green', () => {
    const html = renderReport(drainReport());

    const paths = html.match(/<path class="series" data-cluster="(\w+)" stroke="(#\w+)"/g) ?? [];
    expect(paths).toEqual([
      '<path class="series" data-cluster="blue" stroke="#1f5fbf"',
      '<path class="series" data-cluster="green" stroke="#1a7336"',
    ]);
  });

  it('gives three or more clusters distinct colours, keeping a valid custom colour and ignoring an unsafe one', () => {
    const html = renderReport(
      drainReport({
        clusters: [
          { name: 'blue' },
          { name: 'green' },
          { name: 'east', colour: '#123456' },
          { name: 'west', colour: 'red;}</style><p>' },
          { name: 'north' },
        ],
        series: ['blue', 'green', 'east', 'west', 'north'].map((cluster) => ({
          cluster,
          points: minutes(0, 3, () => 10),
        })),
      }),
    );

    const strokes = [...html.matchAll(/<path class="series" data-cluster="\w+" stroke="([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(strokes).toHaveLength(5);
    expect(new Set(strokes).size).toBe(5);
    expect(strokes[2]).toBe('#123456');
    expect(html).not.toContain('red;}');
  });

  it('labels both axes: UTC clock times, and counts in thousands as 12k', () => {
    const html = renderReport(
      drainReport({ series: [{ cluster: 'blue', points: minutes(0, 10, (m) => m * 6_000) }] }),
    );

    const yLabels = [...html.matchAll(/class="tick tick-y"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(yLabels).toEqual(['0', '20k', '40k', '60k']);
    const xLabels = [...html.matchAll(/class="tick tick-x"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(xLabels).toEqual(['09:55', '10:00', '10:05', '10:10', '10:15']);
    expect(html).toContain('time (UTC, 2026-11-23)');
    expect(html).toContain('requests per minute');
  });

  it('says so when there are no datapoints, still marking the steps', () => {
    const html = renderReport(drainReport({ series: [] }));

    expect(html).toContain('No RequestCount datapoints in this window');
    expect(count(html, /<path class="series"/g)).toBe(0);
    expect(count(html, /<g class="step-marker">/g)).toBe(3);
    expect(html).toMatch(/blue <span class="muted">no data<\/span>/);
  });

  it('keeps a single datapoint visible as a dot', () => {
    const html = renderReport(
      drainReport({ series: [{ cluster: 'blue', points: [{ at: at(3), requests: 42 }] }] }),
    );

    expect(html).toMatch(/<path class="series" data-cluster="blue" stroke="#1f5fbf" d="M[\d.]+,[\d.]+"\/>/);
    expect(count(html, /<circle /g)).toBe(1);
    expect(html).toContain('blue 10:03: 42 requests');
  });

  it('draws a chart for a single cluster with a single legend entry for it', () => {
    const html = renderReport(
      drainReport({
        clusters: [{ name: 'solo' }],
        series: [{ cluster: 'solo', points: minutes(0, 5, () => 7) }],
        steps: [],
        markers: [],
      }),
    );

    expect(count(html, /<path class="series"/g)).toBe(1);
    expect(html).toMatch(/<li><span class="swatch" style="background:#b35900"><\/span>solo /);
    expect(html).toContain('No step wrote any weight.');
  });

  it('shows the observed share of a step with metrics and "no metrics" for one without', () => {
    const html = renderReport(drainReport());

    const rows = html.match(/<tr class="step-row">.*?<\/tr>/g) ?? [];
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(
      /blue 33 %<\/span> <span class="share"><span class="swatch" style="background:#1a7336"><\/span>green 67 %<\/span><\/td><\/tr>$/,
    );
    expect(rows[1]).toMatch(/<td><span class="muted">no metrics<\/span><\/td><\/tr>$/);
  });

  it('breaks a line where periods are missing instead of bridging the gap', () => {
    const points = [...minutes(0, 2, () => 10), ...minutes(6, 8, () => 10)];
    const html = renderReport(drainReport({ series: [{ cluster: 'blue', points }] }));

    const d = html.match(/<path class="series"[^>]* d="([^"]+)"/)?.[1] ?? '';
    expect(count(d, /M/g)).toBe(2);
    expect(count(d, /L/g)).toBe(4);
  });

  it('skips datapoints with an invalid time or count instead of drawing NaN', () => {
    const html = renderReport(
      drainReport({
        series: [
          {
            cluster: 'blue',
            points: [
              { at: at(1), requests: 5 },
              { at: new Date(Number.NaN), requests: 5 },
              { at: at(2), requests: Number.NaN },
              { at: at(3), requests: 8 },
            ],
          },
        ],
      }),
    );

    expect(html).not.toContain('NaN');
    expect(count(html, /<circle /g)).toBe(2);
  });

  it('marks verification and rollback in the chart and lists every event in time order', () => {
    const html = renderReport(
      drainReport({
        markers: [
          { at: at(9), kind: 'failure', label: 'failed: GateFailed' },
          { at: at(8), kind: 'rollback', label: 'rolled back after GateFailed: 2 routes restored' },
        ],
      }),
    );

    expect(count(html, /<g class="marker marker-rollback">/g)).toBe(1);
    expect(count(html, /<g class="marker marker-failure">/g)).toBe(1);
    const events = [
      ...html.matchAll(/<tr class="event-row"><td class="num">([\d:]+)<\/td><td>(\w+)<\/td>/g),
    ].map((m) => `${m[1]} ${m[2]}`);
    expect(events).toEqual(['10:08:00 rollback', '10:09:00 failure']);
  });

  it('names the period on the count axis when it is not a minute', () => {
    const html = renderReport(drainReport({ periodSeconds: 300 }));

    expect(html).toContain('requests per 5 min');
  });

  it('spans the execution with a margin when no window is given', () => {
    const html = renderReport(drainReport({ window: undefined, series: [], steps: [], markers: [] }));

    const xLabels = [...html.matchAll(/class="tick tick-x"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(xLabels[0]).toBe('09:55');
    expect(xLabels[xLabels.length - 1]).toBe('10:15');
  });
});
