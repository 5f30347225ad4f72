import { LambdaInvokeError } from '../../../local/lambda/errors';
import { functionArn } from '../sfn/support';
import { busWith, DLQ_ARN, ORDER_PATTERN, rejectionOf } from './fixtures';

const PASS_MACHINE = { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } };

describe('EventBridge twin: rules and targets', () => {
  it('refuses a rule whose pattern is invalid with InvalidEventPatternException', async () => {
    const { callEvents } = busWith();

    const error = await rejectionOf(
      callEvents('PutRule', {
        Name: 'bad',
        EventPattern: JSON.stringify({ detail: { n: [{ numeric: 5 }] } }),
      }),
    );

    expect(error.code).toBe('InvalidEventPatternException');
    expect(error.message).toMatch(/^Event pattern is not valid\. Reason: /);
  });

  it('refuses a pattern that is not JSON, and a rule with neither pattern nor schedule', async () => {
    const { callEvents } = busWith();

    const notJson = await rejectionOf(callEvents('PutRule', { Name: 'bad', EventPattern: '{source' }));
    const none = await rejectionOf(callEvents('PutRule', { Name: 'empty' }));

    expect(notJson.code).toBe('InvalidEventPatternException');
    expect(none).toMatchObject({
      code: 'ValidationException',
      message: 'Parameter(s) EventPattern or ScheduleExpression must be specified.',
    });
  });

  it('describes and lists rules and their targets as EventBridge returns them', async () => {
    const { callEvents } = busWith();
    const pattern = JSON.stringify(ORDER_PATTERN);
    const { RuleArn } = await callEvents<{ RuleArn: string }>('PutRule', {
      Name: 'orders',
      EventPattern: pattern,
      Description: 'new orders',
    });
    await callEvents('PutTargets', { Rule: 'orders', Targets: [{ Id: 'fn', Arn: functionArn('audit') }] });

    const described = await callEvents('DescribeRule', { Name: 'orders' });
    const listed = await callEvents<{ Rules: unknown[] }>('ListRules', { NamePrefix: 'ord' });
    const targets = await callEvents('ListTargetsByRule', { Rule: 'orders' });

    expect(RuleArn).toBe('arn:aws:events:eu-west-1:123456789012:rule/orders');
    expect(described).toEqual({
      Name: 'orders',
      Arn: RuleArn,
      EventPattern: pattern,
      State: 'ENABLED',
      Description: 'new orders',
      EventBusName: 'default',
      CreatedBy: '123456789012',
    });
    expect(listed.Rules).toHaveLength(1);
    expect(targets).toEqual({ Targets: [{ Id: 'fn', Arn: functionArn('audit') }] });
  });

  it('answers ResourceNotFoundException for targets of a rule that does not exist, and for another bus', async () => {
    const { callEvents } = busWith();

    const noRule = await rejectionOf(
      callEvents('PutTargets', { Rule: 'ghost', Targets: [{ Id: 'a', Arn: functionArn('x') }] }),
    );
    const otherBus = await rejectionOf(
      callEvents('PutRule', { Name: 'r', EventPattern: '{"source":["a"]}', EventBusName: 'custom' }),
    );

    expect(noRule).toMatchObject({
      code: 'ResourceNotFoundException',
      message: 'Rule ghost does not exist on EventBus default.',
    });
    expect(otherBus).toMatchObject({
      code: 'ResourceNotFoundException',
      message: 'Event bus custom does not exist.',
    });
  });

  it('refuses a target with both Input and InputPath, and one with an invalid input transformer', async () => {
    const { callEvents } = busWith();
    await callEvents('PutRule', { Name: 'orders', EventPattern: JSON.stringify(ORDER_PATTERN) });

    const both = await rejectionOf(
      callEvents('PutTargets', {
        Rule: 'orders',
        Targets: [{ Id: 'a', Arn: functionArn('x'), Input: '{}', InputPath: '$.detail' }],
      }),
    );
    const transformer = await rejectionOf(
      callEvents('PutTargets', {
        Rule: 'orders',
        Targets: [{ Id: 'a', Arn: functionArn('x'), InputTransformer: { InputPathsMap: { x: 'detail' } } }],
      }),
    );

    expect(both.code).toBe('ValidationException');
    expect(both.message).toContain('only one of Input, InputPath and InputTransformer');
    expect(transformer.code).toBe('ValidationException');
  });

  it('refuses to delete a rule that still has targets, and deletes it once they are removed', async () => {
    const { callEvents } = busWith();
    await callEvents('PutRule', { Name: 'orders', EventPattern: JSON.stringify(ORDER_PATTERN) });
    await callEvents('PutTargets', { Rule: 'orders', Targets: [{ Id: 'fn', Arn: functionArn('audit') }] });

    const refused = await rejectionOf(callEvents('DeleteRule', { Name: 'orders' }));
    await callEvents('RemoveTargets', { Rule: 'orders', Ids: ['fn'] });
    await callEvents('DeleteRule', { Name: 'orders' });

    expect(refused.message).toBe("Rule can't be deleted since it has targets.");
    expect((await callEvents<{ Rules: unknown[] }>('ListRules', {})).Rules).toEqual([]);
  });
});

describe('EventBridge twin: PutEvents', () => {
  it('answers each entry on its own: event ids for good ones, AWS error codes for bad ones', async () => {
    const { callEvents } = busWith();

    const answer = await callEvents<{ FailedEntryCount: number; Entries: Record<string, string>[] }>(
      'PutEvents',
      {
        Entries: [
          { Source: 'shop.orders', DetailType: 'Order Placed', Detail: '{"id":1}' },
          { DetailType: 'Order Placed', Detail: '{}' },
          { Source: 'shop.orders', DetailType: 'Order Placed', Detail: '[1,2]' },
          { Source: 'aws.cloudwatch', DetailType: 'CloudWatch Alarm State Change', Detail: '{}' },
        ],
      },
    );

    expect(answer.FailedEntryCount).toBe(3);
    expect(answer.Entries[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.Entries.slice(1)).toEqual([
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
      },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' },
    ]);
  });

  it('refuses an empty or an eleven-entry request with ValidationException', async () => {
    const { callEvents } = busWith();
    const entry = { Source: 's', DetailType: 'd', Detail: '{}' };

    const none = await rejectionOf(callEvents('PutEvents', { Entries: [] }));
    const eleven = await rejectionOf(callEvents('PutEvents', { Entries: Array(11).fill(entry) }));

    expect(none.code).toBe('ValidationException');
    expect(eleven.code).toBe('ValidationException');
  });

  it("wraps the entry in EventBridge's envelope and logs which rules matched", async () => {
    const { callEvents, events, putOrder } = busWith();
    await callEvents('PutRule', { Name: 'orders', EventPattern: JSON.stringify(ORDER_PATTERN) });
    await callEvents('PutRule', { Name: 'other', EventPattern: '{"source":["elsewhere"]}' });

    await putOrder({ id: 7 });

    const [record] = events.activity().events;
    expect(record?.matchedRules).toEqual(['orders']);
    expect(record?.event).toEqual({
      version: '0',
      id: record?.id,
      'detail-type': 'Order Placed',
      source: 'shop.orders',
      account: '123456789012',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: 'eu-west-1',
      resources: [],
      detail: { id: 7 },
    });
  });
});

describe('EventBridge twin: delivery', () => {
  it("starts the target state machine with the input transformer's output", async () => {
    const { callEvents, createMachine, events, putOrder, sfn } = busWith();
    const machine = await createMachine(PASS_MACHINE);
    await callEvents('PutRule', { Name: 'orders', EventPattern: JSON.stringify(ORDER_PATTERN) });
    await callEvents('PutTargets', {
      Rule: 'orders',
      Targets: [
        {
          Id: 'flow',
          Arn: machine,
          InputTransformer: {
            InputPathsMap: { order: '$.detail.id' },
            InputTemplate: '{"action": "ship", "order": <order>, "rule": "<aws.events.rule-name>"}',
          },
        },
      ],
    });

    await putOrder({ id: 42 });
    await events.whenIdle();

    const [delivery] = events.activity().deliveries;
    expect(delivery).toMatchObject({ rule: 'orders', targetId: 'flow', status: 'delivered', attempts: 1 });
    const done = await sfn.whenDone(delivery?.executionArn ?? '');
    expect(JSON.parse(done.input)).toEqual({ action: 'ship', order: 42, rule: 'orders' });
    expect(done.status).toBe('SUCCEEDED');
  });

  it('invokes a Lambda target with the whole event when the target names no input', async () => {
    const received: unknown[] = [];
    const { callEvents, events, putOrder } = busWith({
      audit: async (event) => {
        received.push(event);
        return null;
      },
    });
    await callEvents('PutRule', { Name: 'orders', EventPattern: JSON.stringify(ORDER_PATTERN) });
    await callEvents('PutTargets', { Rule: 'orders', Targets: [{ Id: 'fn', Arn: functionArn('audit') }] });

    await putOrder({ id: 3 });
    await events.whenIdle();

    expect(received).toEqual([expect.objectContaining({ source: 'shop.orders', detail: { id: 3 } })]);
  });

  it('delivers nothing for a disabled rule', async () => {
    const received: unknown[] = [];
    const { callEvents, events, putOrder } = busWith({ audit: async (event) => received.push(event) });
    await callEvents('PutRule', {
      Name: 'orders',
      EventPattern: JSON.stringify(ORDER_PATTERN),
      State: 'DISABLED',
    });
    await callEvents('PutTargets', { Rule: 'orders', Targets: [{ Id: 'fn', Arn: functionArn('audit') }] });

    await putOrder({ id: 3 });
    await events.whenIdle();

    expect(received).toEqual([]);
    expect(events.activity().events[0]?.matchedRules).toEqual([]);
  });

  it('retries a failing target per its retry policy, then sends the event to its dead-letter queue', async () => {
    let calls = 0;
    const { callEvents, events, putOrder } = busWith({
      flaky: async () => {
        calls += 1;
        throw new LambdaInvokeError('Error', 'downstream is down');
      },
    });
    await callEvents('PutRule', { Name: 'orders', EventPattern: JSON.stringify(ORDER_PATTERN) });
    await callEvents('PutTargets', {
      Rule: 'orders',
      Targets: [
        {
          Id: 'fn',
          Arn: functionArn('flaky'),
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: DLQ_ARN },
        },
      ],
    });

    const { Entries } = await putOrder({ id: 9 });
    await events.whenIdle();

    expect(calls).toBe(3);
    const activity = events.activity();
    expect(activity.deliveries[0]).toMatchObject({
      status: 'dead-lettered',
      attempts: 3,
      deadLetterQueueArn: DLQ_ARN,
    });
    const [queue] = activity.deadLetterQueues;
    expect(queue?.arn).toBe(DLQ_ARN);
    expect(queue?.messages).toHaveLength(1);
    expect(JSON.parse(queue?.messages[0]?.body ?? '{}')).toMatchObject({
      id: Entries[0]?.EventId,
      detail: { id: 9 },
    });
    expect(queue?.messages[0]?.attributes).toMatchObject({
      RULE_ARN: 'arn:aws:events:eu-west-1:123456789012:rule/orders',
      TARGET_ARN: functionArn('flaky'),
      EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
      RETRY_ATTEMPTS: '2',
    });
  });

  it('does not retry a target that does not exist: straight to the dead-letter queue', async () => {
    const { callEvents, events, putOrder } = busWith();
    await callEvents('PutRule', { Name: 'orders', EventPattern: JSON.stringify(ORDER_PATTERN) });
    await callEvents('PutTargets', {
      Rule: 'orders',
      Targets: [
        {
          Id: 'gone',
          Arn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:gone',
          DeadLetterConfig: { Arn: DLQ_ARN },
        },
      ],
    });

    await putOrder({ id: 1 });
    await events.whenIdle();

    const [delivery] = events.activity().deliveries;
    expect(delivery).toMatchObject({ status: 'dead-lettered', attempts: 1 });
    expect(delivery?.error).toMatch(/^StateMachineDoesNotExist/);
    expect(events.activity().deadLetterQueues[0]?.messages[0]?.attributes.ERROR_CODE).toBe(
      'StateMachineDoesNotExist',
    );
  });

  it('records a failed delivery, with no dead-letter queue, for a target kind the twin cannot call', async () => {
    const { callEvents, events, putOrder } = busWith();
    await callEvents('PutRule', { Name: 'orders', EventPattern: JSON.stringify(ORDER_PATTERN) });
    await callEvents('PutTargets', {
      Rule: 'orders',
      Targets: [{ Id: 'topic', Arn: 'arn:aws:sns:eu-west-1:123456789012:alerts' }],
    });

    await putOrder({ id: 1 });
    await events.whenIdle();

    expect(events.activity().deliveries[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(events.activity().deliveries[0]?.error).toMatch(/^UnsupportedTarget/);
  });
});
