import { validateShiftRequest } from '../../core/request';
import { config } from './fixtures';

const cfg = config(['blue', 'green']);
const valid = { action: 'drain', cluster: 'blue', reason: 'upgrade to 1.31', requestedBy: 'cli:alice' };

const issuesOf = (input: unknown) => {
  try {
    validateShiftRequest(input, cfg);
    return 'accepted';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('validateShiftRequest', () => {
  it('accepts a drain and fills defaults', () => {
    expect(validateShiftRequest(valid, cfg)).toEqual({ ...valid, dryRun: false, force: [] });
  });

  it.each([
    [
      'an unknown cluster',
      { ...valid, cluster: 'purple' },
      /cluster: unknown cluster "purple" \(known: blue, green\)/,
    ],
    [
      'weights not summing to 100',
      { ...valid, action: 'shift', cluster: undefined, weights: { blue: 30, green: 60 } },
      /weights: percentages must sum to 100, got 90/,
    ],
    [
      'weights naming an unknown cluster',
      { ...valid, action: 'shift', cluster: undefined, weights: { blue: 50, teal: 50 } },
      /weights\.teal: unknown cluster/,
    ],
    ['steps out of order', { ...valid, steps: [0.5, 0.25, 1] }, /steps: steps must be strictly increasing/],
    ['steps not ending at 1', { ...valid, steps: [0.25, 0.5] }, /steps: the last step must be 1/],
    ['an empty reason', { ...valid, reason: '   ' }, /reason: a reason is required/],
    ['a missing requester', { ...valid, requestedBy: 'alice' }, /requestedBy: must look like/],
    ['an unknown action', { ...valid, action: 'explode' }, /action: /],
    ['an unknown field', { ...valid, clsuter: 'blue' }, /clsuter/],
    ['forcing empty-route', { ...valid, force: ['empty-route'] }, /force: empty-route can never be forced/],
    ['an unknown guardrail', { ...valid, force: ['everything'] }, /force\.0: /],
    [
      'a pause after the last step',
      { ...valid, pauseBeforeSteps: [4] },
      /pauseBeforeSteps\.0: there are only 4 steps/,
    ],
    ['a drain without a cluster', { ...valid, cluster: undefined }, /cluster: drain needs a cluster/],
  ])('refuses %s, naming the field', (_what, input, message) => {
    expect(issuesOf(input)).toMatch(message);
  });

  describe('an alarm-triggered failover', () => {
    const trigger = {
      alarmName: 'green-5xx',
      alarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:green-5xx',
      stateReason: 'Threshold Crossed',
      time: '2026-11-23T10:00:00Z',
    };
    const alarm = {
      action: 'failover',
      cluster: 'green',
      reason: 'green-5xx is ALARM: Threshold Crossed',
      requestedBy: 'alarm:green-5xx',
      trigger,
    };

    it('accepts the input the EventBridge rule builds, trigger included', () => {
      expect(validateShiftRequest(alarm, cfg)).toMatchObject({ trigger });
    });

    it('cuts an over-long reason and state reason with an ellipsis instead of refusing', () => {
      const request = validateShiftRequest(
        { ...alarm, reason: 'r'.repeat(2_000), trigger: { ...trigger, stateReason: 's'.repeat(1_500) } },
        cfg,
      );
      expect(request.reason).toBe(`${'r'.repeat(499)}…`);
      expect(request.trigger?.stateReason).toBe(`${'s'.repeat(1_022)}…`);
    });

    it('accepts a requester naming an alarm of the longest allowed name (255 characters)', () => {
      const name = 'a'.repeat(255);
      expect(validateShiftRequest({ ...alarm, requestedBy: `alarm:${name}` }, cfg).requestedBy).toBe(
        `alarm:${name}`,
      );
    });

    it.each([
      [
        'a trigger without an alarm name',
        { ...alarm, trigger: { time: trigger.time } },
        /trigger\.alarmName/,
      ],
      ['a trigger with an unknown field', { ...alarm, trigger: { ...trigger, colour: 'red' } }, /colour/],
      ['a trigger without a time', { ...alarm, trigger: { alarmName: 'green-5xx' } }, /trigger\.time/],
    ])('refuses %s, naming the field', (_what, input, message) => {
      expect(issuesOf(input)).toMatch(message);
    });
  });
});
