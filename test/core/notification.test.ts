import { formatOutcome, shouldNotify } from '../../core/notification';

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
      error: {
        name: 'GuardrailViolation',
        message:
          "refused by guardrails: last-cluster: fail static: no healthy cluster to take green's traffic [api]",
      },
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
});
