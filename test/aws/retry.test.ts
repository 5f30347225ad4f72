import { withDeadline } from '../../aws/deadline';
import { withReadRetry, withRetry } from '../../aws/retry';
import { ClusterShiftError } from '../../core/errors';
import { awsError, recordingSleep } from './elbv2-fixtures';

/** A call that fails with the given errors first, then returns 'done'. */
const failing = (...errors: unknown[]) => {
  let calls = 0;
  const call = jest.fn(async () => {
    const error = errors[calls++];
    if (error !== undefined) throw error;
    return 'done';
  });
  return call;
};

describe('withRetry', () => {
  it('retries throttling with full jitter under the exponential cap, then succeeds', async () => {
    // Prepare
    const call = failing(
      awsError('Throttling'),
      awsError('ThrottlingException'),
      awsError('RequestLimitExceeded'),
    );
    const { delays, sleep } = recordingSleep();

    // Act
    const result = await withRetry('DescribeRules', call, { sleep, random: () => 0.5, baseDelayMs: 100 });

    // Assert
    expect(result).toBe('done');
    expect(call).toHaveBeenCalledTimes(4);
    expect(delays).toEqual([50, 100, 200]);
  });

  it('never waits longer than maxDelayMs, whatever the attempt', async () => {
    const call = failing(...Array.from({ length: 7 }, () => awsError('TooManyRequestsException')));
    const { delays, sleep } = recordingSleep();

    await withRetry('op', call, {
      sleep,
      random: () => 0.999,
      maxAttempts: 8,
      baseDelayMs: 100,
      maxDelayMs: 1_000,
    });

    expect(delays).toHaveLength(7);
    for (const delay of delays) expect(delay).toBeLessThanOrEqual(1_000);
    expect(delays.at(-1)).toBeCloseTo(999, 0);
  });

  it('treats an HTTP 429 of any name as throttling', async () => {
    const call = failing(awsError('SlowDown', 'slow down', 429));
    const { sleep } = recordingSleep();

    await expect(withRetry('op', call, { sleep })).resolves.toBe('done');
  });

  it('raises Throttling naming the operation and attempts once retries are exhausted', async () => {
    const call = failing(...Array.from({ length: 10 }, () => awsError('Throttling', 'Rate exceeded')));
    const { delays, sleep } = recordingSleep();

    const error = await withRetry('ModifyRule', call, { sleep, maxAttempts: 3 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ClusterShiftError);
    expect(error).toMatchObject({ name: 'Throttling', message: 'ModifyRule throttled after 3 attempts' });
    expect(call).toHaveBeenCalledTimes(3);
    expect(delays).toHaveLength(2);
  });

  it('translates other AWS errors to AwsCallFailed at once, without retrying', async () => {
    const cause = awsError('RuleNotFound', 'One or more rules not found');
    const call = failing(cause);

    const error = await withRetry('ModifyRule', call, { sleep: recordingSleep().sleep }).catch(
      (e: unknown) => e,
    );

    expect(error).toMatchObject({
      name: 'AwsCallFailed',
      message: 'ModifyRule failed: RuleNotFound: One or more rules not found',
      details: { operation: 'ModifyRule', awsError: 'RuleNotFound' },
      cause,
    });
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('retries a read after a 5xx or a dropped connection, and a write never', async () => {
    // Prepare
    const unavailable = Object.assign(awsError('ServiceUnavailable', 'try again'), {
      $metadata: { httpStatusCode: 503 },
    });
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const read = failing(unavailable, reset);
    const write = failing(unavailable);
    const { sleep } = recordingSleep();

    // Act
    const result = await withReadRetry('DescribeRules', read, { sleep });
    const error = await withRetry('ModifyRule', write, { sleep }).catch((e: unknown) => e);

    // Assert
    expect(result).toBe('done');
    expect(read).toHaveBeenCalledTimes(3);
    expect(error).toMatchObject({ name: 'AwsCallFailed', details: { awsError: 'ServiceUnavailable' } });
    expect(write).toHaveBeenCalledTimes(1);
  });

  it('gives a read up as AwsCallFailed once the attempts are spent on 5xx answers', async () => {
    const unavailable = Object.assign(awsError('InternalFailure', 'oops'), {
      $metadata: { httpStatusCode: 500 },
    });
    const read = failing(unavailable, unavailable, unavailable);
    const error = await withReadRetry('DescribeRules', read, {
      sleep: recordingSleep().sleep,
      maxAttempts: 3,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'AwsCallFailed',
      message: 'DescribeRules failed: InternalFailure: oops',
    });
    expect(read).toHaveBeenCalledTimes(3);
  });

  it('passes a ClusterShiftError through untouched', async () => {
    const own = new ClusterShiftError('DriftDetected', 'someone changed it');

    await expect(withRetry('op', failing(own))).rejects.toBe(own);
  });
});

describe('withRetry with a pacer', () => {
  const throttling = () => Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: {} });

  it('retries throttling past any attempt count until the deadline, each attempt after the pacer lets it', async () => {
    let now = 0;
    let acquired = 0;
    const pacer = {
      acquire: async () => {
        acquired += 1;
        now += 1_000;
      },
      succeeded: () => undefined,
      throttled: () => undefined,
    };
    let calls = 0;
    const call = async () => {
      calls += 1;
      throw throttling();
    };

    const error = await withRetry('ModifyRule r1', call, {
      pacer,
      maxAttempts: 2,
      deadline: 20_000,
      now: () => now,
    }).catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: 'Throttling',
      details: { operation: 'ModifyRule r1', attempts: 20 },
    });
    expect((error as Error).message).toBe(
      'ModifyRule r1 still throttled at its deadline, after 20 attempts over 20 s',
    );
    expect(calls).toBe(20);
    expect(acquired).toBe(20);
  });

  it('takes the deadline of the invocation it runs in', async () => {
    let now = 0;
    const pacer = {
      acquire: async () => {
        now += 1_000;
      },
      succeeded: () => undefined,
      throttled: () => undefined,
    };
    const call = async () => {
      throw throttling();
    };

    const error = await withDeadline(5_000, () =>
      withRetry('DescribeRules', call, { pacer, now: () => now }),
    ).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'Throttling', details: { attempts: 5 } });
  });
});
