import {
  type AutoRestoreFacts,
  autoRestoreSkipReason,
  resolveAutoRestoreLockConflict,
} from '../../core/auto-restore';

const NOW = new Date('2026-11-23T12:00:00Z');
const secondsAgo = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);

const ready = (overrides: Partial<AutoRestoreFacts> = {}): AutoRestoreFacts => ({
  cluster: 'green',
  enabled: true,
  afterOkSeconds: 600,
  healthAlarms: ['green-5xx', 'green-nodes'],
  alarms: new Map([
    ['green-5xx', { state: 'OK', stateUpdatedAt: secondsAgo(900) }],
    ['green-nodes', { state: 'OK', stateUpdatedAt: secondsAgo(3_600) }],
  ]),
  lastFailover: { at: secondsAgo(1_200).toISOString(), cluster: 'green', executionId: 'failover-1' },
  hasBaseline: true,
  now: NOW,
  ...overrides,
});

describe('autoRestoreSkipReason', () => {
  it('lets a failed-over cluster whose alarms have all been OK long enough be restored', () => {
    expect(autoRestoreSkipReason(ready())).toBeUndefined();
  });

  it('counts an alarm OK for exactly afterOkSeconds as OK long enough', () => {
    // Prepare
    const alarms = new Map([
      ['green-5xx', { state: 'OK', stateUpdatedAt: secondsAgo(600) }],
      ['green-nodes', { state: 'OK', stateUpdatedAt: secondsAgo(600) }],
    ]);

    // Act
    const reason = autoRestoreSkipReason(ready({ alarms }));

    // Assert
    expect(reason).toBeUndefined();
  });

  it('skips when one alarm has been OK one second too short', () => {
    // Prepare
    const alarms = new Map([
      ['green-5xx', { state: 'OK', stateUpdatedAt: secondsAgo(599) }],
      ['green-nodes', { state: 'OK', stateUpdatedAt: secondsAgo(3_600) }],
    ]);

    // Act
    const reason = autoRestoreSkipReason(ready({ alarms }));

    // Assert
    expect(reason).toBe('not healthy long enough: green-5xx has been OK for 599 s, less than 600 s');
  });

  it.each<[string, Partial<AutoRestoreFacts>, string]>([
    ['auto-restore is off', { enabled: false }, 'auto-restore is off (failover.autoRestore.enabled)'],
    ['no failover ever ran', { lastFailover: undefined }, 'no failover has moved traffic away from green'],
    [
      'the last failover was of another cluster',
      { lastFailover: { at: NOW.toISOString(), cluster: 'blue', executionId: 'f-2' } },
      'the last failover was of blue, not green',
    ],
    ['the baseline is gone', { hasBaseline: false }, 'no baseline for green: it was already restored'],
    [
      'an alarm is in ALARM again',
      { alarms: new Map([['green-5xx', { state: 'ALARM', stateUpdatedAt: secondsAgo(5_000) }]]) },
      'green-5xx is ALARM',
    ],
    [
      'CloudWatch gave no state timestamp',
      { alarms: new Map([['green-5xx', { state: 'OK' }]]), healthAlarms: ['green-5xx'] },
      'green-5xx is OK but CloudWatch did not say since when',
    ],
    ['an alarm is missing', { healthAlarms: ['green-5xx', 'green-gone'] }, 'green-gone was not found'],
    [
      'the fleet is frozen',
      { freeze: { by: 'cli:alice', reason: 'incident 42' } },
      'the fleet is frozen by cli:alice (incident 42): an operator decides',
    ],
  ])('skips when %s', (_name, overrides, expected) => {
    expect(autoRestoreSkipReason(ready(overrides))).toContain(expected);
  });
});

describe('resolveAutoRestoreLockConflict', () => {
  it('ends quietly as a duplicate behind a restore of the same cluster', () => {
    expect(
      resolveAutoRestoreLockConflict('green', { executionId: 'r-1', action: 'restore', cluster: 'green' }),
    ).toEqual({ kind: 'duplicate', of: 'r-1' });
  });

  it('ends quietly behind a running failover', () => {
    expect(
      resolveAutoRestoreLockConflict('green', { executionId: 'f-1', action: 'failover', cluster: 'blue' }),
    ).toEqual({ kind: 'skip', why: 'a failover of blue is running (f-1)' });
  });

  it.each([
    ['a drain', { executionId: 'd-1', action: 'drain', cluster: 'green' }],
    ['a restore of another cluster', { executionId: 'r-2', action: 'restore', cluster: 'blue' }],
  ])('is refused (LockHeld) behind %s', (_name, holder) => {
    expect(resolveAutoRestoreLockConflict('green', holder)).toEqual({ kind: 'refuse' });
  });
});
