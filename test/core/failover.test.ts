import {
  duplicateOfRecentFailover,
  planOutdatedByFailover,
  resolveLockConflict,
  supersedingFailover,
} from '../../core/failover';

const now = new Date('2026-11-23T10:00:00Z');
const secondsAgo = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();

describe('resolveLockConflict', () => {
  const failoverGreen = { action: 'failover', cluster: 'green', alreadyPreempted: false };

  it.each([
    [
      'a failover behind a failover of the same cluster ends quietly',
      failoverGreen,
      { executionId: 'f-1', action: 'failover', cluster: 'green' },
      { kind: 'duplicate', of: 'f-1' },
    ],
    [
      'a failover preempts a manual drain',
      failoverGreen,
      { executionId: 'd-1', action: 'drain', cluster: 'blue' },
      { kind: 'preempt', victim: 'd-1' },
    ],
    [
      'a failover preempts a manual shift',
      failoverGreen,
      { executionId: 's-1', action: 'shift' },
      { kind: 'preempt', victim: 's-1' },
    ],
    [
      'a failover preempts a manual restore',
      failoverGreen,
      { executionId: 'r-1', action: 'restore', cluster: 'green' },
      { kind: 'preempt', victim: 'r-1' },
    ],
    [
      'a failover waits for a failover of another cluster, never preempts it',
      failoverGreen,
      { executionId: 'f-2', action: 'failover', cluster: 'blue' },
      { kind: 'wait', holder: 'f-2' },
    ],
    [
      'a failover preempts only once',
      { ...failoverGreen, alreadyPreempted: true },
      { executionId: 'd-2', action: 'drain' },
      { kind: 'refuse' },
    ],
    [
      'a manual drain never preempts',
      { action: 'drain', cluster: 'blue', alreadyPreempted: false },
      { executionId: 's-1', action: 'shift' },
      { kind: 'refuse' },
    ],
  ])('%s', (_what, mine, holder, expected) => {
    expect(resolveLockConflict(mine, holder)).toMatchObject(expected);
  });
});

describe('duplicateOfRecentFailover', () => {
  const base = {
    action: 'failover',
    cluster: 'green',
    executionId: 'f-2',
    routesChanging: 0,
    lastFailover: { at: secondsAgo(60), cluster: 'green', executionId: 'f-1' },
    now,
    cooldownSeconds: 900,
  };

  it('names the recent failover of the same cluster when nothing is left to move', () => {
    expect(duplicateOfRecentFailover(base)).toBe('f-1');
  });

  it.each([
    ['routes still to move', { routesChanging: 3 }],
    ['another cluster failed over last', { lastFailover: { ...base.lastFailover, cluster: 'blue' } }],
    [
      'the last failover is past the cooldown',
      { lastFailover: { ...base.lastFailover, at: secondsAgo(901) } },
    ],
    ['the last failover is this execution', { executionId: 'f-1' }],
    ['a manual drain', { action: 'drain' }],
  ])('is not a duplicate with %s', (_what, change) => {
    expect(duplicateOfRecentFailover({ ...base, ...change })).toBeUndefined();
  });
});

describe('supersedingFailover', () => {
  const base = {
    action: 'failover',
    cluster: 'green',
    executionId: 'f-2',
    plannedAt: secondsAgo(30),
    lastFailover: { at: secondsAgo(10), cluster: 'green', executionId: 'f-1' },
  };

  it('names a failover of the same cluster that wrote after this one planned', () => {
    expect(supersedingFailover(base)).toBe('f-1');
  });

  it.each([
    ['it wrote before this one planned', { lastFailover: { ...base.lastFailover, at: secondsAgo(60) } }],
    ['it failed over another cluster', { lastFailover: { ...base.lastFailover, cluster: 'blue' } }],
    ['there was none', { lastFailover: undefined }],
  ])('is undefined when %s', (_what, change) => {
    expect(supersedingFailover({ ...base, ...change })).toBeUndefined();
  });
});

describe('planOutdatedByFailover', () => {
  const base = {
    action: 'failover',
    cluster: 'green',
    plannedAt: secondsAgo(30),
    lastFailover: { at: secondsAgo(10), cluster: 'blue', executionId: 'f-blue' },
  };

  it('names the failover of another cluster that wrote while this one waited', () => {
    expect(planOutdatedByFailover(base)).toBe('f-blue');
  });

  it.each([
    ['it wrote before this one planned', { lastFailover: { ...base.lastFailover, at: secondsAgo(60) } }],
    [
      'it failed over the same cluster (a duplicate, not a stale plan)',
      { lastFailover: { ...base.lastFailover, cluster: 'green' } },
    ],
    ['this is not a failover', { action: 'drain' }],
    ['there was none', { lastFailover: undefined }],
  ])('is undefined when %s', (_what, change) => {
    expect(planOutdatedByFailover({ ...base, ...change })).toBeUndefined();
  });
});
