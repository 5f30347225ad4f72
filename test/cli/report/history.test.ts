import type { HistoryRecord } from '../../../aws/store';
import { readHistory, summariseWeights } from '../../../cli/report/history';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

const record = (overrides: Partial<HistoryRecord> = {}): HistoryRecord => ({
  executionId: 'arn:aws:states:eu-west-1:123456789012:execution:clustershift:x',
  action: 'drain',
  cluster: 'blue',
  requestedBy: 'cli:alice',
  reason: 'upgrade',
  startedAt: iso(0),
  planSummary: null,
  forced: [],
  status: 'RUNNING',
  steps: [],
  ...overrides,
});

const write = (index: number, minute: number, blue: number) => ({
  kind: 'step',
  index,
  fraction: (index + 1) / 4,
  at: iso(minute),
  written: 2,
  alreadyDesired: 0,
  shares: { blue, green: 1 - blue },
});

describe('readHistory', () => {
  it('ends each bake at the configured time, or earlier when the next write came first', () => {
    const view = readHistory(
      record({ steps: [write(0, 1, 0.5), write(1, 2, 0)], status: 'SUCCEEDED', finishedAt: iso(10) }),
      { totalSteps: 2, bakeSeconds: 300 },
      { status: 'SUCCEEDED' },
    );

    expect(view.steps.map((s) => s.bakeUntil?.toISOString())).toEqual([iso(2), iso(7)]);
  });

  it('says a running execution is baking its latest step', () => {
    const view = readHistory(record({ steps: [write(0, 1, 0.5)] }), { totalSteps: 4 }, { status: 'RUNNING' });

    expect(view.steps[0]?.gates).toBe('before write: passed · bake: in progress');
    expect(view.endState).toBe(
      'Running: step 1 of 4 written at 10:01:00 UTC (mean share over the changed routes: blue 50 %, green 50 %).',
    );
  });

  it('warns that routes may be between steps when the execution was stopped before closing its history', () => {
    const view = readHistory(
      record({ steps: [write(0, 1, 0.75), write(1, 3, 0.5)] }),
      { totalSteps: 4 },
      { status: 'ABORTED', stoppedAt: new Date(T0 + 5 * 60_000) },
    );

    expect(view.endState).toMatch(
      /^The execution ended ABORTED without closing its history: routes may be left at step 2 of 4/,
    );
    expect(view.markers.map((m) => [m.kind, m.label])).toEqual([
      ['note', 'started'],
      ['failure', 'failed: ABORTED'],
    ]);
  });

  it('keeps the sentence finish wrote for a refused request, with no step', () => {
    const view = readHistory(
      record({
        status: 'REFUSED',
        error: 'LockHeld',
        cause: 'fleet prod is locked by arn:other — nothing was written',
        finishedAt: iso(1),
      }),
      {},
      { status: 'FAILED' },
    );

    expect(view.steps).toEqual([]);
    expect(view.endState).toBe('fleet prod is locked by arn:other — nothing was written');
  });

  it('reports a success that needed no write as such', () => {
    const view = readHistory(
      record({ status: 'SUCCEEDED', finishedAt: iso(1) }),
      {},
      { status: 'SUCCEEDED' },
    );

    expect(view.endState).toBe('Succeeded: no route needed a change; nothing was written.');
  });

  it('ignores entries it cannot place in time or does not know', () => {
    const view = readHistory(
      record({ steps: [{ kind: 'step', index: 0 }, { kind: 'mystery', at: iso(2) }, write(0, 3, 0.5)] }),
      {},
      { status: 'RUNNING' },
    );

    expect(view.steps.map((s) => s.at.toISOString())).toEqual([iso(3)]);
    expect(view.markers.map((m) => m.label)).toEqual(['started']);
  });

  it('takes the total of steps from the plan, not from the steps written', () => {
    const view = readHistory(record({ steps: [write(0, 1, 0.5)] }), { totalSteps: 4 }, { status: 'RUNNING' });

    expect(view.steps[0]?.total).toBe(4);
  });
});

describe('summariseWeights', () => {
  it('groups routes by their split, the most common first, at most three, noting routes left out', () => {
    const routeSteps = [
      ...Array.from({ length: 3 }, (_, i) => ({ name: `a${i}`, steps: ['blue=25 green=75'] })),
      { name: 'b', steps: ['blue=1 green=3'] },
      { name: 'c', steps: ['blue=2 green=6'] },
      { name: 'd', steps: ['blue=3 green=9'] },
    ];

    expect(summariseWeights({ routeSteps, routesOmitted: 10 }, 0)).toBe(
      'blue=25 green=75 on 3 routes; blue=1 green=3 on 1 route; blue=2 green=6 on 1 route; 1 other split(s) (first 6 routes shown)',
    );
    expect(summariseWeights({ routeSteps }, 1)).toBeUndefined();
  });
});
