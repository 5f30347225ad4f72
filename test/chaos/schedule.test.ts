import { faultKinds, scheduleFor } from '../../chaos/schedule';

describe('chaos schedules', () => {
  it('draws the same schedule from the same seed', () => {
    expect(scheduleFor(42)).toEqual(scheduleFor(42));
    expect(scheduleFor(42)).not.toEqual(scheduleFor(43));
  });

  it('injects every kind of fault the issue lists within the first thousand seeds', () => {
    // Act
    const kinds = new Set(Array.from({ length: 1000 }, (_, i) => faultKinds(scheduleFor(i + 1))).flat());

    // Assert
    expect([...kinds].sort()).toEqual(
      [
        'alarm-flap',
        'concurrent-starts',
        'crash-after-write',
        'dead-holder',
        'elbv2-5xx',
        'lambda-timeout',
        'latency-spike',
        'manual-edit',
        'throttle-storm',
        'two-alarms',
      ].sort(),
    );
  });

  it('starts every restore after a drain of the same cluster has ended', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const { starts } = scheduleFor(seed);
      for (const start of starts.filter((s) => s.op === 'restore')) {
        expect(start.when.kind).toBe('ended');
        const drain = start.when.kind === 'ended' ? starts[start.when.index] : undefined;
        expect(drain).toMatchObject({ op: 'drain', cluster: start.cluster });
      }
    }
  });
});
