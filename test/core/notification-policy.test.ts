import {
  isNotificationWanted,
  type NotificationEvent,
  type NotificationLevel,
  notificationEvent,
  sendsEvent,
  shouldNotify,
} from '../../core/notification';
import { FAIL_STATIC_ERROR, outcome, started, step } from './notification-fixtures';

describe('the notification level policy', () => {
  // Each level × each event: the whole policy, row by row.
  it.each<[NotificationLevel, NotificationEvent, boolean]>([
    ['all', 'started', true],
    ['all', 'step', true],
    ['all', 'succeeded', true],
    ['all', 'failed', true],
    ['all', 'refused', true],
    ['all', 'fail-static', true],
    ['all', 'duplicate', true],
    ['all', 'skipped', true],
    ['steps', 'started', true],
    ['steps', 'step', true],
    ['steps', 'succeeded', true],
    ['steps', 'failed', true],
    ['steps', 'refused', true],
    ['steps', 'fail-static', true],
    ['steps', 'duplicate', false],
    ['steps', 'skipped', false],
    ['failures', 'started', false],
    ['failures', 'step', false],
    ['failures', 'succeeded', false],
    ['failures', 'failed', true],
    ['failures', 'refused', true],
    ['failures', 'fail-static', true],
    ['failures', 'duplicate', false],
    ['failures', 'skipped', false],
  ])('at level %s, %s is sent: %s', (level, event, expected) => {
    expect(sendsEvent(level, event)).toBe(expected);
  });

  it.each([
    ['a start', started(), 'started'],
    ['a step', step(), 'step'],
    ['a success', outcome(), 'succeeded'],
    ['a failure', outcome({ status: 'FAILED' }), 'failed'],
    ['a refusal', outcome({ status: 'REFUSED', error: { name: 'LockHeld', message: 'held' } }), 'refused'],
    ['a duplicate', outcome({ status: 'DUPLICATE', duplicateOf: 'e-0' }), 'duplicate'],
    ['a skipped auto-restore', outcome({ status: 'SKIPPED', skipped: 'not OK long enough' }), 'skipped'],
    [
      'a failover refused by last-cluster',
      outcome({ status: 'REFUSED', action: 'failover', cluster: 'green', error: FAIL_STATIC_ERROR }),
      'fail-static',
    ],
  ] as const)('classifies %s as %s', (_what, notification, event) => {
    expect(notificationEvent(notification)).toBe(event);
  });

  it('sends a fail static at level failures, and a plain failover success only from level steps', () => {
    const failStatic = outcome({ status: 'REFUSED', action: 'failover', error: FAIL_STATIC_ERROR });
    expect(isNotificationWanted('failures', failStatic)).toBe(true);
    expect(isNotificationWanted('failures', outcome({ action: 'failover' }))).toBe(false);
    expect(isNotificationWanted('steps', outcome({ action: 'failover' }))).toBe(true);
  });

  it('keeps shouldNotify (by end status) in line with the policy', () => {
    expect(shouldNotify('all', 'DUPLICATE')).toBe(true);
    expect(shouldNotify('steps', 'SKIPPED')).toBe(false);
    expect(shouldNotify('failures', 'REFUSED')).toBe(true);
    expect(shouldNotify('failures', 'SUCCEEDED')).toBe(false);
  });
});
