import fc from 'fast-check';
import { formatOutcome, renderText, SUBJECT_LIMIT, shouldNotify } from '../../core/notification';
import { CONSOLE_URL, EXECUTION, FAIL_STATIC_ERROR, outcome, started, step } from './notification-fixtures';

describe('shouldNotify', () => {
  it.each([
    ['all', 'DUPLICATE', true],
    ['steps', 'DUPLICATE', false],
    ['failures', 'DUPLICATE', false],
    ['failures', 'REFUSED', true],
    ['failures', 'SUCCEEDED', false],
  ] as const)('at level %s, a %s outcome notifies: %s', (level, status, expected) => {
    expect(shouldNotify(level, status)).toBe(expected);
  });
});

describe('formatOutcome', () => {
  it('says FAIL STATIC loudly when a failover is refused because no cluster can take the traffic', () => {
    const message = formatOutcome({
      status: 'REFUSED',
      fleet: 'prod',
      executionId: 'e-1',
      action: 'failover',
      cluster: 'green',
      error: FAIL_STATIC_ERROR,
    });
    expect(message.subject).toBe('clustershift prod: FAIL STATIC, failover green refused');
    expect(message.text).toContain(
      "fail static: no healthy cluster to take green's traffic; nothing was written",
    );
  });

  it('keeps the plain subject for other refusals', () => {
    const message = formatOutcome({
      status: 'REFUSED',
      fleet: 'prod',
      executionId: 'e-1',
      action: 'failover',
      cluster: 'green',
      error: { name: 'GuardrailViolation', message: 'refused by guardrails: cooldown: …' },
    });
    expect(message.subject).toBe('clustershift prod: failover green refused');
  });

  it('names the execution a duplicate stood behind', () => {
    const message = formatOutcome({
      status: 'DUPLICATE',
      fleet: 'prod',
      executionId: 'e-2',
      duplicateOf: 'e-1',
    });
    expect(message.text).toContain('duplicate of: e-1 (nothing written)');
  });

  it('says who asked, the error and where the routes were left after a failure', () => {
    // Act
    const { subject, text } = formatOutcome({
      ...outcome({ status: 'FAILED', requestedBy: 'alarm:green-5xx', action: 'failover', cluster: 'green' }),
      error: { name: 'NotDrained', message: 'green still receives traffic on: api' },
      endState: 'weights are at the plan target; traffic has not stopped on the routes named',
    });

    // Assert
    expect(subject).toBe('clustershift prod: failover green failed');
    expect(text).toContain(
      'requested by: alarm:green-5xx — alarm green-5xx went to ALARM (automatic failover)',
    );
    expect(text).toContain('error: NotDrained: green still receives traffic on: api');
    expect(text).toContain('routes: weights are at the plan target');
  });

  it('says why an auto-restore was skipped', () => {
    const { subject, text } = formatOutcome({
      status: 'SKIPPED',
      fleet: 'prod',
      executionId: 'e-3',
      action: 'restore',
      cluster: 'green',
      requestedBy: 'auto-restore:green-5xx',
      skipped: 'green-5xx has been OK for 30 s, less than 600 s',
    });
    expect(subject).toBe('clustershift prod: auto-restore green skipped');
    expect(text).toContain('skipped: green-5xx has been OK for 30 s, less than 600 s (nothing written)');
  });
});

describe('renderText', () => {
  it.each([
    ['start', started()],
    ['step', step()],
    ['end', outcome()],
  ])(
    'links the %s message to the execution: the console URL and the watch command',
    (_kind, notification) => {
      // Act
      const { text } = renderText(notification);

      // Assert
      expect(text).toContain(`execution: ${EXECUTION}`);
      expect(text).toContain(`console: ${CONSOLE_URL}`);
      expect(text).toContain('watch: clustershift watch drain-blue-1700000000');
    },
  );

  it('keeps every subject within SNS limits: at most 100 printable ASCII characters on one line', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }),
        fc.string({ maxLength: 80 }),
        fc.constantFrom('SUCCEEDED', 'FAILED', 'REFUSED', 'DUPLICATE', 'SKIPPED' as const),
        (fleet, cluster, status) => {
          const { subject } = renderText(outcome({ fleet, cluster, status }));
          expect(subject.length).toBeLessThanOrEqual(SUBJECT_LIMIT);
          expect(subject).toMatch(/^[\x20-\x7e]*$/);
        },
      ),
    );
  });
});
