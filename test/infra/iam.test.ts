import type { CfnElement } from 'aws-cdk-lib';
import {
  EVENT_HANDLER_NAMES,
  type EventHandlerName,
  HANDLER_NAMES,
  type HandlerName,
} from '../../infra/cluster-shift';
import type { ChatHandlerName } from '../../infra/handlers';
import { asArray, fleet, LB_ARN, type Synthesized, synthFleet, TOPIC_ARN } from './helpers';

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

interface Grant {
  /** The handler whose role holds the statement, `workflow` (state machine) or `failover-rules` (EventBridge). */
  readonly holder: HandlerName | EventHandlerName | ChatHandlerName | 'workflow' | 'failover-rules';
  readonly actions: string[];
  readonly resources: unknown[];
}

/** Every Allow statement of every policy in the template, with the function (or workflow) holding it. */
const grantsOf = ({ stack, template }: Synthesized): Grant[] => {
  const holderByRole = new Map<string, Grant['holder']>();
  const { chatOps } = stack.clusterShift;
  const functions = {
    ...stack.clusterShift.functions,
    ...stack.clusterShift.eventFunctions,
    ...(chatOps === undefined
      ? {}
      : {
          chatops: chatOps.handler,
          'chatops-status': chatOps.workers.status,
          'chatops-plan': chatOps.workers.plan,
          'chatops-worker': chatOps.workers.act,
        }),
  };
  for (const [name, fn] of Object.entries(functions)) {
    const role = fn.role?.node.defaultChild as CfnElement;
    holderByRole.set(stack.getLogicalId(role), name as Grant['holder']);
  }
  holderByRole.set(
    stack.getLogicalId(stack.clusterShift.failoverRules.role.node.defaultChild as CfnElement),
    'failover-rules',
  );
  holderByRole.set(
    stack.getLogicalId(stack.clusterShift.stateMachine.role.node.defaultChild as CfnElement),
    'workflow',
  );

  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  const roles = Object.values(template.findResources('AWS::IAM::Role'));
  expect(roles.every((role) => role.Properties.Policies === undefined)).toBe(true);
  expect(roles.every((role) => role.Properties.ManagedPolicyArns === undefined)).toBe(true);
  return policies.flatMap((policy) => {
    const roleRefs = asArray(policy.Properties.Roles as { Ref: string }[]);
    expect(roleRefs).toHaveLength(1);
    const holder = holderByRole.get(roleRefs[0]?.Ref ?? '');
    if (holder === undefined) throw new Error(`policy for an unknown role ${JSON.stringify(roleRefs)}`);
    return (policy.Properties.PolicyDocument.Statement as Statement[]).map((statement) => {
      expect(statement.Effect).toBe('Allow');
      return { holder, actions: asArray(statement.Action), resources: asArray(statement.Resource) };
    });
  });
};

const MODIFY = /^elasticloadbalancing:(Modify|\*)/;
const holdersOf = (grants: Grant[], action: string | RegExp): string[] =>
  [
    ...new Set(
      grants
        .filter((grant) =>
          grant.actions.some((a) => (typeof action === 'string' ? a === action : action.test(a))),
        )
        .map((grant) => grant.holder),
    ),
  ].sort();
/** The distinct resources an action is granted on, sorted. */
const resourcesOf = (grants: Grant[], action: string): unknown[] =>
  [
    ...new Set(grants.filter((grant) => grant.actions.includes(action)).flatMap((grant) => grant.resources)),
  ].sort();

const LB_PREFIX = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012';

describe('IAM, with every listener of the load balancer', () => {
  let grants: Grant[];
  beforeAll(() => {
    grants = grantsOf(synthFleet());
  });

  it('grants no wildcard action (`*`, `*:*`, `service:*`) anywhere', () => {
    // Act
    const wildcards = grants.flatMap((grant) => grant.actions).filter((action) => action.includes('*'));

    // Assert
    expect(wildcards).toEqual([]);
  });

  it('never grants elasticloadbalancing:Modify* on "*"', () => {
    // Act
    const onStar = grants.filter(
      (grant) => grant.actions.some((action) => MODIFY.test(action)) && grant.resources.includes('*'),
    );

    // Assert
    expect(onStar).toEqual([]);
  });

  it('lets only apply-step and rollback modify rules and listeners', () => {
    expect(holdersOf(grants, MODIFY)).toEqual(['apply-step', 'rollback']);
    expect(holdersOf(grants, 'elasticloadbalancing:ModifyRule')).toEqual(['apply-step', 'rollback']);
    expect(holdersOf(grants, 'elasticloadbalancing:ModifyListener')).toEqual(['apply-step', 'rollback']);
  });

  it('scopes ModifyRule to the listener rules, and ModifyListener to the listeners, of the configured load balancer', () => {
    expect(resourcesOf(grants, 'elasticloadbalancing:ModifyRule')).toEqual([
      `${LB_PREFIX}:listener-rule/app/main/0123456789abcdef/*`,
    ]);
    expect(resourcesOf(grants, 'elasticloadbalancing:ModifyListener')).toEqual([
      `${LB_PREFIX}:listener/app/main/0123456789abcdef/*`,
    ]);
  });

  it('keeps Modify* in statements of their own, so nothing else shares their resources', () => {
    // Act
    const mixed = grants.filter(
      (grant) => grant.actions.some((a) => MODIFY.test(a)) && grant.actions.some((a) => !MODIFY.test(a)),
    );

    // Assert
    expect(mixed).toEqual([]);
  });

  it('grants ELBv2 reads to prepare, apply-step, check-gates and rollback only', () => {
    for (const action of [
      'elasticloadbalancing:DescribeLoadBalancers',
      'elasticloadbalancing:DescribeListeners',
      'elasticloadbalancing:DescribeRules',
      'elasticloadbalancing:DescribeTags',
      'elasticloadbalancing:DescribeTargetGroups',
      'elasticloadbalancing:DescribeTargetHealth',
    ]) {
      expect(holdersOf(grants, action)).toEqual(['apply-step', 'check-gates', 'prepare', 'rollback']);
    }
  });

  it("grants DescribeAlarms to prepare, check-gates, notify and apply-step (a failover's ungated first step), and GetMetricData (target health, traffic) to the first three and verify-drained only", () => {
    expect(holdersOf(grants, 'cloudwatch:DescribeAlarms')).toEqual([
      'apply-step',
      'check-gates',
      'notify',
      'prepare',
    ]);
    expect(holdersOf(grants, 'cloudwatch:GetMetricData')).toEqual([
      'check-gates',
      'notify',
      'prepare',
      'verify-drained',
    ]);
  });

  it('lets finish, execution-ended and notify, and only them, publish to the configured topic', () => {
    expect(holdersOf(grants, 'sns:Publish')).toEqual(['execution-ended', 'finish', 'notify']);
    expect(resourcesOf(grants, 'sns:Publish')).toEqual([TOPIC_ARN]);
  });

  it('gives every function read/write on the table, and nothing else of DynamoDB', () => {
    // Act
    const dynamo = grants.filter((grant) => grant.actions.some((action) => action.startsWith('dynamodb:')));

    // Assert
    // (With chatops on, the chat endpoint has none: test/infra/chatops.test.ts.)
    expect([...new Set(dynamo.map((grant) => grant.holder))].sort()).toEqual(
      [...HANDLER_NAMES, ...EVENT_HANDLER_NAMES].sort(),
    );
    for (const grant of dynamo) {
      expect(grant.resources).toEqual([
        { 'Fn::GetAtt': [expect.stringMatching(/^ClusterShiftTable/), 'Arn'] },
      ]);
      expect(grant.actions).toEqual(
        expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query']),
      );
    }
  });

  it('lets only the failover rules start executions, and only of this state machine', () => {
    expect(holdersOf(grants, /^states:Start/)).toEqual(['failover-rules']);
    expect(resourcesOf(grants, 'states:StartExecution')).toEqual([
      { Ref: expect.stringMatching(/^ClusterShiftWorkflow/) },
    ]);
    expect(
      grants.filter((grant) => grant.holder === 'failover-rules').flatMap((grant) => grant.actions),
    ).toEqual(['states:StartExecution']);
  });

  it("lets only the lock function stop executions, and only this fleet's workflow executions", () => {
    expect(holdersOf(grants, /^states:Stop/)).toEqual(['lock']);
    expect(resourcesOf(grants, 'states:StopExecution')).toEqual([
      'arn:aws:states:eu-west-1:123456789012:execution:clustershift-demo:*',
    ]);
  });

  it('gives execution-ended the table, its logs, tracing and the topic, and nothing else', () => {
    // Act
    const actions = grants
      .filter((grant) => grant.holder === 'execution-ended')
      .flatMap((grant) => grant.actions)
      .filter((action) => !action.startsWith('dynamodb:'));

    // Assert
    expect(actions.sort()).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'sns:Publish',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });

  it('grants "*" only for actions that have no resource-level permissions', () => {
    // Prepare
    const allowedOnStar = new Set([
      'elasticloadbalancing:DescribeLoadBalancers',
      'elasticloadbalancing:DescribeListeners',
      'elasticloadbalancing:DescribeRules',
      'elasticloadbalancing:DescribeTags',
      'elasticloadbalancing:DescribeTargetGroups',
      'elasticloadbalancing:DescribeTargetHealth',
      'cloudwatch:DescribeAlarms',
      'cloudwatch:GetMetricData',
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
      // Step Functions log delivery (generated by CDK for the workflow role).
      'logs:CreateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:DescribeLogGroups',
      'logs:DescribeResourcePolicies',
      'logs:GetLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:UpdateLogDelivery',
    ]);

    // Act
    const onStar = grants.filter((grant) => grant.resources.includes('*')).flatMap((grant) => grant.actions);

    // Assert
    expect(onStar.filter((action) => !allowedOnStar.has(action))).toEqual([]);
  });
});

describe('IAM, with listed listeners and a second load balancer', () => {
  const second =
    'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/edge-2/fedcba9876543210';
  let grants: Grant[];
  beforeAll(() => {
    const config = fleet({
      loadBalancers: [
        {
          arn: LB_ARN,
          listeners: [
            `${LB_PREFIX}:listener/app/main/0123456789abcdef/aaaa1111bbbb2222`,
            `${LB_PREFIX}:listener/app/main/0123456789abcdef/cccc3333dddd4444`,
          ],
        },
        { arn: second },
      ],
    });
    grants = grantsOf(synthFleet(config));
  });

  it('narrows ModifyRule to the rules of the listed listeners, and keeps the whole second load balancer', () => {
    expect(resourcesOf(grants, 'elasticloadbalancing:ModifyRule')).toEqual([
      `${LB_PREFIX}:listener-rule/app/edge-2/fedcba9876543210/*`,
      `${LB_PREFIX}:listener-rule/app/main/0123456789abcdef/aaaa1111bbbb2222/*`,
      `${LB_PREFIX}:listener-rule/app/main/0123456789abcdef/cccc3333dddd4444/*`,
    ]);
  });

  it('narrows ModifyListener to exactly the listed listeners', () => {
    expect(resourcesOf(grants, 'elasticloadbalancing:ModifyListener')).toEqual([
      `${LB_PREFIX}:listener/app/edge-2/fedcba9876543210/*`,
      `${LB_PREFIX}:listener/app/main/0123456789abcdef/aaaa1111bbbb2222`,
      `${LB_PREFIX}:listener/app/main/0123456789abcdef/cccc3333dddd4444`,
    ]);
  });

  it('still lets only apply-step and rollback modify', () => {
    expect(holdersOf(grants, MODIFY)).toEqual(['apply-step', 'rollback']);
  });
});

describe('IAM, without a notification topic', () => {
  it('grants sns:Publish to nobody', () => {
    // Act
    const grants = grantsOf(synthFleet(fleet({ notifications: { level: 'failures' } })));

    // Assert
    expect(holdersOf(grants, /^sns:/)).toEqual([]);
  });
});
