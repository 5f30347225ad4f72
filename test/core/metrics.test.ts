import fc from 'fast-check';
import { ClusterShiftError, InvalidRequestError } from '../../core/errors';
import { failoverLatencyMs, refusingGuardrails, sharePercent } from '../../core/metrics';
import { loadBalancerDimension, targetGroupDimension } from '../../core/metrics-alb';

describe('sharePercent', () => {
  it('turns a share into a percentage with one decimal, within half a tenth of the exact value', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (share) => {
        const percent = sharePercent(share);
        expect(percent).toBeGreaterThanOrEqual(0);
        expect(percent).toBeLessThanOrEqual(100);
        expect(Math.abs(percent - share * 100)).toBeLessThanOrEqual(0.05 + 1e-9);
        expect(percent * 10).toBeCloseTo(Math.round(percent * 10), 9);
      }),
    );
  });

  it('keeps the history precision exactly (0.333 → 33.3, not 33.300000000000004)', () => {
    expect(sharePercent(0.333)).toBe(33.3);
    expect(sharePercent(0.25)).toBe(25);
    expect(sharePercent(1)).toBe(100);
  });
});

describe('failoverLatencyMs', () => {
  it('is the time from the alarm event to the write, for any write at or after the event', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2040-01-01T00:00:00Z') }),
        fc.integer({ min: 0, max: 86_400_000 }),
        (eventAt, latency) => {
          expect(failoverLatencyMs(new Date(eventAt).toISOString(), new Date(eventAt + latency))).toBe(
            latency,
          );
        },
      ),
    );
  });

  it("reads EventBridge's event time, which has whole seconds", () => {
    expect(failoverLatencyMs('2026-11-23T10:00:00Z', new Date('2026-11-23T10:00:03.250Z'))).toBe(3_250);
  });

  it('gives nothing for an event time after the write (clocks disagree) or one that does not parse', () => {
    expect(failoverLatencyMs('2026-11-23T10:00:05Z', new Date('2026-11-23T10:00:00Z'))).toBeUndefined();
    expect(failoverLatencyMs('yesterday', new Date('2026-11-23T10:00:00Z'))).toBeUndefined();
  });
});

describe('refusingGuardrails', () => {
  const refusal = (violations: unknown) =>
    new ClusterShiftError('GuardrailViolation', 'refused by guardrails', { details: { violations } });

  it('names each refusing guardrail once, in the order met', () => {
    const error = refusal([
      { guardrail: 'receiver-alarm', routes: ['a'] },
      { guardrail: 'single-cluster-route', routes: ['b'] },
      { guardrail: 'receiver-alarm', routes: ['c'] },
    ]);
    expect(refusingGuardrails(error)).toEqual(['receiver-alarm', 'single-cluster-route']);
  });

  it('ignores what is not a known guardrail name, so no stray dimension value is published', () => {
    expect(
      refusingGuardrails(refusal([{ guardrail: 'made-up' }, null, 'frozen', { guardrail: 'frozen' }])),
    ).toEqual(['frozen']);
    expect(refusingGuardrails(refusal('not a list'))).toEqual([]);
  });

  it('is empty for any other error', () => {
    expect(refusingGuardrails(new InvalidRequestError([{ path: 'cluster', message: 'unknown' }]))).toEqual(
      [],
    );
    expect(refusingGuardrails(new Error('GuardrailViolation'))).toEqual([]);
  });
});

describe('ALB dimension values', () => {
  const prefix = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012';

  it('are the ARN suffixes CloudWatch uses: app/<name>/<id> and targetgroup/<name>/<id>', () => {
    expect(loadBalancerDimension(`${prefix}:loadbalancer/app/main-lb/0123456789abcdef`)).toBe(
      'app/main-lb/0123456789abcdef',
    );
    expect(targetGroupDimension(`${prefix}:targetgroup/api-blue/fedcba9876543210`)).toBe(
      'targetgroup/api-blue/fedcba9876543210',
    );
  });

  it('refuse what is not an Application Load Balancer or target group ARN, naming it', () => {
    expect(() => loadBalancerDimension(`${prefix}:loadbalancer/net/nlb/0123456789abcdef`)).toThrow(
      /not an Application Load Balancer ARN: .*loadbalancer\/net/,
    );
    expect(() => targetGroupDimension('targetgroup/api-blue')).toThrow(/not a target group ARN/);
  });
});
