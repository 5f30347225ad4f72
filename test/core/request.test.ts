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
});
