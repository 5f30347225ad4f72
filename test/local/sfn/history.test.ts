import { ExecutionHistory } from '../../../local/sfn/history';

const at = () => new Date('2026-11-23T10:00:00Z');

describe('ExecutionHistory: the last event the quota allows', () => {
  it('lets a success take the last event the quota allows', () => {
    // Prepare
    const reached = jest.fn();
    const history = new ExecutionHistory(at, { maxEvents: 3, reached });

    // Act
    history.append('ExecutionStarted');
    history.append('PassStateEntered');
    history.append('ExecutionSucceeded', { output: '{}' });

    // Assert
    expect(history.list().map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'ExecutionSucceeded',
    ]);
    expect(reached).not.toHaveBeenCalled();
  });

  it('closes with ExecutionFailed (States.Runtime) when anything else would take it, and tells the execution once', () => {
    // Prepare
    const reached = jest.fn();
    const history = new ExecutionHistory(at, { maxEvents: 3, reached });

    // Act
    history.append('ExecutionStarted');
    history.append('PassStateEntered');
    history.append('PassStateExited');
    history.append('ExecutionFailed', { error: 'Later' });

    // Assert
    expect(history.list()).toHaveLength(3);
    expect(history.list()[2]).toMatchObject({
      id: 3,
      type: 'ExecutionFailed',
      executionFailedEventDetails: {
        error: 'States.Runtime',
        cause: 'The execution reached the maximum number of history events (25000).',
      },
    });
    expect(reached).toHaveBeenCalledTimes(1);
  });
});
