import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { assertAlarmNamesInsertable } from '../../infra/failover-rules';
import { RULE_NAME_MAX_LENGTH, ruleNameFor } from '../../infra/rule-names';
import { fleet, fleetInput, type Synthesized, synthFleet } from './helpers';

const logicalId = ({ stack }: Synthesized, element: unknown): string =>
  stack.getLogicalId(element as CfnElement);

describe('the failover rules', () => {
  let synthesized: Synthesized;
  let workflowId: string;
  beforeAll(() => {
    synthesized = synthFleet();
    workflowId = logicalId(synthesized, synthesized.stack.clusterShift.stateMachine.node.defaultChild);
  });

  it('give the state machine the fixed name clustershift-<fleet>', () => {
    synthesized.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'clustershift-demo',
    });
  });

  it.each([
    ['blue', ['blue-5xx', 'blue-unhealthy-hosts']],
    ['green', ['green-5xx', 'green-unhealthy-hosts']],
  ])(
    'match %s’s health alarms entering ALARM, and start the workflow with a failover input',
    (cluster, alarms) => {
      synthesized.template.hasResourceProperties('AWS::Events::Rule', {
        Name: `ClusterShift-demo-failover-${cluster}`,
        State: 'ENABLED',
        EventPattern: {
          source: ['aws.cloudwatch'],
          'detail-type': ['CloudWatch Alarm State Change'],
          detail: { alarmName: alarms, state: { value: ['ALARM'] } },
        },
        Targets: [
          {
            Id: 'Target0',
            Arn: { Ref: workflowId },
            RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterShiftFailoverRulesRole'), 'Arn'] },
            DeadLetterConfig: {
              Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterShiftFailoverRulesDeadLetters'), 'Arn'] },
            },
            RetryPolicy: { MaximumEventAgeInSeconds: 1800, MaximumRetryAttempts: 10 },
            InputTransformer: {
              InputPathsMap: {
                'detail-alarmName': '$.detail.alarmName',
                'resources-0-': '$.resources[0]',
                'detail-state-reason': '$.detail.state.reason',
                time: '$.time',
              },
              InputTemplate: JSON.stringify({
                action: 'failover',
                cluster,
                reason: '<detail-alarmName> is ALARM',
                requestedBy: 'alarm:<detail-alarmName>',
                trigger: {
                  alarmName: '@detail-alarmName',
                  alarmArn: '@resources-0-',
                  stateReason: '@detail-state-reason',
                  time: '@time',
                },
              }).replace(/"@([^"]+)"/g, '<$1>'),
            },
          },
        ],
      });
    },
  );

  it('are one per cluster with health alarms, none for a cluster without', () => {
    // Prepare
    const input = fleetInput();
    const config = fleet({
      clusters: [...(input.clusters as object[]), { name: 'amber', healthAlarms: [] }],
    });

    // Act
    const { template } = synthFleet(config);

    // Assert
    const names = Object.values(template.findResources('AWS::Events::Rule')).map(
      (rule) => rule.Properties.Name,
    );
    expect(names.sort()).toEqual([
      'ClusterShift-demo-execution-ended',
      'ClusterShift-demo-failover-blue',
      'ClusterShift-demo-failover-green',
    ]);
  });

  it('share a dead-letter queue that is encrypted, TLS-only, kept 14 days and writable only by the rules', () => {
    // Prepare
    const { template } = synthesized;
    const queueId = logicalId(
      synthesized,
      synthesized.stack.clusterShift.failoverRules.deadLetterQueue.node.defaultChild,
    );
    const ruleIds = Object.values(synthesized.stack.clusterShift.failoverRules.rules).map((rule) =>
      logicalId(synthesized, rule.node.defaultChild),
    );

    // Assert
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'clustershift-demo-failover-dlq',
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          ...ruleIds.map((ruleId) =>
            Match.objectLike({
              Effect: 'Allow',
              Action: 'sqs:SendMessage',
              Principal: { Service: 'events.amazonaws.com' },
              Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
            }),
          ),
        ]),
      },
    });
  });

  it('refuse at synth a health alarm name EventBridge would put into the input unescaped', () => {
    // Prepare
    const config = {
      clusters: [{ name: 'blue', healthAlarms: ['blue "5xx" rate'], targetGroups: undefined }],
    };

    // Act + Assert
    expect(() => assertAlarmNamesInsertable(config)).toThrow(
      /health alarm "blue \\"5xx\\" rate" of cluster blue contains a double quote/,
    );
    expect(() =>
      assertAlarmNamesInsertable({
        clusters: [{ name: 'blue', healthAlarms: ['blue-5xx: p99 > 2s (prod)'] }],
      }),
    ).not.toThrow();
  });
});

describe('rule names', () => {
  it('are ClusterShift-<fleet>-<what> when that fits', () => {
    expect(ruleNameFor('demo', 'failover-blue')).toBe('ClusterShift-demo-failover-blue');
  });

  it('stay within 64 characters, distinct and recognisable for the longest fleet and cluster names', () => {
    // Prepare
    const fleetName = `f${'x'.repeat(40)}`;
    const clusters = [`a${'b'.repeat(30)}`, `a${'b'.repeat(29)}c`];

    // Act
    const names = clusters.map((cluster) => ruleNameFor(fleetName, `failover-${cluster}`));

    // Assert
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(RULE_NAME_MAX_LENGTH);
      expect(name).toMatch(/^ClusterShift-fx*-failover-ab+c?-[0-9a-f]{8}$/);
    }
    expect(new Set(names).size).toBe(2);
  });
});

describe('the execution-status rule', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synthFleet();
  });

  it('sends FAILED, TIMED_OUT and ABORTED executions of this state machine to execution-ended', () => {
    // Prepare
    const { stack, template } = synthesized;
    const workflowId = logicalId(synthesized, stack.clusterShift.stateMachine.node.defaultChild);
    const functionId = logicalId(
      synthesized,
      stack.clusterShift.eventFunctions['execution-ended'].node.defaultChild,
    );

    // Assert
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'ClusterShift-demo-execution-ended',
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [{ Ref: workflowId }] },
      },
      Targets: [
        {
          Id: 'Target0',
          Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterShiftExecutionEndedDeadLetters'), 'Arn'] },
          },
          RetryPolicy: { MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 20 },
        },
      ],
    });
  });

  it('lets only its own rule invoke execution-ended, and has a dead-letter queue of its own', () => {
    // Prepare
    const { stack, template } = synthesized;
    const functionId = logicalId(
      synthesized,
      stack.clusterShift.eventFunctions['execution-ended'].node.defaultChild,
    );
    const ruleId = logicalId(synthesized, stack.clusterShift.executionEndedRule.rule.node.defaultChild);

    // Assert
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'));
    expect(permissions.map((permission) => permission.Properties)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
      },
    ]);
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'clustershift-demo-execution-ended-dlq',
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });
});
