import { checkDrained } from '../../core/verify';

const at = (iso: string) => new Date(`2026-11-23T${iso}Z`);

describe('checkDrained', () => {
  it('says nothing until a full minute after the last write has ended', () => {
    const result = checkDrained(new Map([['tg', []]]), at('10:00:30'), at('10:01:59'), 0);
    expect(result).toEqual({ drained: false, observed: false, stillReceiving: [] });
  });

  it('counts a minute with no datapoint as no traffic', () => {
    expect(checkDrained(new Map([['tg', []]]), at('10:00:30'), at('10:02:00'), 0).drained).toBe(true);
  });

  it('ignores the minute the write happened in and names target groups still over the threshold', () => {
    const points = [
      { timestamp: at('10:00:00'), sum: 500 },
      { timestamp: at('10:01:00'), sum: 12 },
    ];
    const result = checkDrained(new Map([['tg', points]]), at('10:00:30'), at('10:02:10'), 5);
    expect(result).toEqual({
      drained: false,
      observed: true,
      stillReceiving: [{ targetGroupArn: 'tg', requestsPerMinute: 12 }],
    });
    expect(checkDrained(new Map([['tg', points]]), at('10:00:30'), at('10:02:10'), 20).drained).toBe(true);
  });
});
