import { EventBridgeTwin } from '../../../local/events';
import type { LambdaHandler } from '../../../local/lambda/function';
import { ACCOUNT, REGION, twinWith } from '../sfn/support';

export { ACCOUNT, REGION } from '../sfn/support';

/** A pattern that matches the custom events these tests put. */
export const ORDER_PATTERN = { source: ['shop.orders'], 'detail-type': ['Order Placed'] };

export const DLQ_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:failover-dlq`;

/**
 * An EventBridge twin over a Step Functions twin and a Lambda runtime running the given handlers,
 * on a clock 1000× faster than real time (retry backoff of seconds takes milliseconds).
 */
export const busWith = (handlers: Record<string, LambdaHandler> = {}) => {
  const base = twinWith(handlers, 1000);
  const events = new EventBridgeTwin({
    clock: base.clock,
    region: REGION,
    accountId: ACCOUNT,
    sfn: base.sfn,
    lambda: base.lambda,
  });
  const callEvents = async <T = Record<string, unknown>>(
    operation: string,
    input: Record<string, unknown>,
  ) => {
    const run = events.operations[operation];
    if (run === undefined) throw new Error(`no operation ${operation}`);
    return (await run(input)) as T;
  };
  const putOrder = (detail: Record<string, unknown>) =>
    callEvents<{ FailedEntryCount: number; Entries: { EventId?: string; ErrorCode?: string }[] }>(
      'PutEvents',
      {
        Entries: [{ Source: 'shop.orders', DetailType: 'Order Placed', Detail: JSON.stringify(detail) }],
      },
    );
  return { ...base, events, callEvents, putOrder };
};

/** The error an async call rejects with. */
export const rejectionOf = async (promise: Promise<unknown>): Promise<{ code?: string; message: string }> => {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected a rejection');
};
