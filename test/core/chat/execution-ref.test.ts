import { executionArnFor } from '../../../core/chat/execution-ref';

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:clustershift-shift';
const OURS = 'arn:aws:states:eu-west-1:123456789012:execution:clustershift-shift:slack-drain-blue-1';

describe('executionArnFor', () => {
  it('turns a name into the ARN of an execution of this state machine', () => {
    expect(executionArnFor(MACHINE, 'slack-drain-blue-1')).toBe(OURS);
  });

  it('keeps an ARN of this state machine', () => {
    expect(executionArnFor(MACHINE, OURS)).toBe(OURS);
  });

  it.each([
    [
      'an execution of another state machine',
      'arn:aws:states:eu-west-1:123456789012:execution:payroll:run-1',
    ],
    ['a state machine with a longer name', `${MACHINE.replace(':stateMachine:', ':execution:')}-evil:run-1`],
    ['another account', OURS.replace('123456789012', '210987654321')],
    ['a name with a path', '../run-1'],
  ])('refuses %s', (_what, ref) => {
    expect(executionArnFor(MACHINE, ref)).toBeUndefined();
  });
});
