import { ListenerNotFoundException } from '@aws-sdk/client-elastic-load-balancing-v2';
import { awsErrorName, isThrottlingError } from '../../aws/aws-errors';

describe('awsErrorName', () => {
  it('gives the wire code of an awsQuery error whose SDK class is named after its shape', () => {
    // Prepare: what the ELBv2 client throws for <Code>ListenerNotFound</Code>.
    const error = Object.assign(
      new ListenerNotFoundException({ message: 'One or more listeners not found', $metadata: {} }),
      { Code: 'ListenerNotFound' },
    );

    // Act
    const name = awsErrorName(error);

    // Assert
    expect(error.name).toBe('ListenerNotFoundException');
    expect(name).toBe('ListenerNotFound');
  });

  it('gives the name of a JSON-protocol error, which carries no Code', () => {
    expect(awsErrorName(Object.assign(new Error('x'), { name: 'ExecutionDoesNotExist' }))).toBe(
      'ExecutionDoesNotExist',
    );
  });

  it('calls an anonymous error unknown rather than "Error"', () => {
    expect(awsErrorName(new Error('boom'))).toBe('UnknownError');
    expect(awsErrorName('not an error')).toBe('UnknownError');
  });

  it('recognises ELBv2 throttling by its code', () => {
    expect(isThrottlingError(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }))).toBe(true);
  });
});
