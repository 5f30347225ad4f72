import { TwinError } from '../../../local/errors';
import { loadTemplate } from '../../../local/template/load';
import { busWith } from '../events/fixtures';

const OPTIONS = {
  region: 'eu-west-1',
  accountId: '123456789012',
  stackName: 'Twin',
  templateDir: '/tmp/cdk.out',
};

const FLOW = { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } };

/** A template with a state machine, a dead-letter queue and a rule on alarm events targeting the machine. */
const template = (
  pattern: unknown = { source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'] },
) => ({
  Resources: {
    Flow: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: { StateMachineName: 'flow', DefinitionString: JSON.stringify(FLOW) },
    },
    Dlq: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'failover-dlq' } },
    DlqPolicy: { Type: 'AWS::SQS::QueuePolicy', Properties: {} },
    Failover: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventPattern: pattern,
        State: 'ENABLED',
        Targets: [
          {
            Id: 'Target0',
            Arn: { Ref: 'Flow' },
            RoleArn: 'arn:aws:iam::123456789012:role/events',
            InputTransformer: {
              InputPathsMap: { alarm: '$.detail.alarmName' },
              InputTemplate: '{"action":"failover","alarm":<alarm>}',
            },
            RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } },
          },
        ],
      },
    },
  },
  Outputs: { RuleArn: { Value: { 'Fn::GetAtt': ['Failover', 'Arn'] } } },
});

describe('loading EventBridge rules and queues from a template', () => {
  it('plans the rule with its pattern and targets, intrinsics resolved, and the queue as a dead-letter queue', () => {
    const plan = loadTemplate(template(), OPTIONS);

    const [rule] = plan.rules;
    expect(rule).toMatchObject({
      logicalId: 'Failover',
      name: expect.stringMatching(/^Twin-Failover-[A-Z2-7]{12}$/),
      eventPattern: { source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'] },
      state: 'ENABLED',
      targets: [
        {
          Id: 'Target0',
          Arn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:flow',
          InputTransformer: {
            InputPathsMap: { alarm: '$.detail.alarmName' },
            InputTemplate: '{"action":"failover","alarm":<alarm>}',
          },
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 },
          DeadLetterConfig: { Arn: 'arn:aws:sqs:eu-west-1:123456789012:failover-dlq' },
        },
      ],
    });
    expect(plan.outputs.RuleArn).toBe(`arn:aws:events:eu-west-1:123456789012:rule/${rule?.name}`);
    expect(plan.queues).toEqual([
      {
        logicalId: 'Dlq',
        name: 'failover-dlq',
        arn: 'arn:aws:sqs:eu-west-1:123456789012:failover-dlq',
        url: 'https://sqs.eu-west-1.amazonaws.com/123456789012/failover-dlq',
      },
    ]);
    expect(plan.ignored.map((resource) => resource.type)).toEqual(['AWS::SQS::QueuePolicy']);
  });

  it('takes a pattern given as JSON text', () => {
    const plan = loadTemplate(template(JSON.stringify({ source: ['aws.states'] })), OPTIONS);

    expect(plan.rules[0]?.eventPattern).toEqual({ source: ['aws.states'] });
  });

  it('fails the load naming the rule when its pattern is invalid', () => {
    let error: unknown;
    try {
      loadTemplate(template({ detail: { state: { value: [{ numeric: 'ALARM' }] } } }), OPTIONS);
    } catch (thrown) {
      error = thrown;
    }

    expect(error).toBeInstanceOf(TwinError);
    expect((error as TwinError).message).toMatch(
      /^InvalidEventPattern: Failover \(AWS::Events::Rule\): Event pattern is not valid/,
    );
  });

  it('fails the load for a rule on another event bus', () => {
    const custom = template();
    Object.assign(custom.Resources.Failover.Properties, { EventBusName: 'custom' });

    expect(() => loadTemplate(custom, OPTIONS)).toThrow(
      /UnsupportedProperty: Failover \(AWS::Events::Rule\) EventBusName custom/,
    );
  });
});

describe('deploying rules into the EventBridge twin', () => {
  it('registers the rule so that a matching event starts the state machine with the transformed input', async () => {
    const { events, sfn } = busWith();
    const plan = loadTemplate(template(), OPTIONS);
    const [machine] = plan.stateMachines;
    sfn.createFromPlan({ name: machine?.name ?? '', definition: machine?.definition ?? '' });
    for (const queue of plan.queues) events.addQueue(queue);
    const [rule] = plan.rules;
    events.defineRule({
      name: rule?.name ?? '',
      eventPattern: rule?.eventPattern,
      targets: rule?.targets ?? [],
    });

    events.publish({
      version: '0',
      id: 'e1',
      'detail-type': 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      account: '123456789012',
      time: '2025-01-06T12:00:00Z',
      region: 'eu-west-1',
      resources: [],
      detail: { alarmName: 'green-5xx' },
    });
    await events.whenIdle();

    const [delivery] = events.activity().deliveries;
    expect(delivery?.status).toBe('delivered');
    const done = await sfn.whenDone(delivery?.executionArn ?? '');
    expect(JSON.parse(done.input)).toEqual({ action: 'failover', alarm: 'green-5xx' });
  });
});
