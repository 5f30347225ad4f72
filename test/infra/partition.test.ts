import { Match } from 'aws-cdk-lib/assertions';
import { fleet, synthFleet } from './helpers';

/** The fixture fleet moved to `region` in `partition`: its load balancer and topic ARNs with it. */
const fleetIn = (partition: string, region: string, overrides: Record<string, unknown> = {}) =>
  fleet({
    region,
    loadBalancers: [
      {
        arn: `arn:${partition}:elasticloadbalancing:${region}:123456789012:loadbalancer/app/main/0123456789abcdef`,
      },
    ],
    notifications: { snsTopicArn: `arn:${partition}:sns:${region}:123456789012:clustershift-demo` },
    ...overrides,
  });

const CHATOPS = {
  enabled: true,
  signingSecret: 'clustershift/slack-signing',
  channels: ['C0ONCALL'],
  users: [{ id: 'U0ALICE', commands: ['all'] }],
};

describe.each([
  ['aws-cn', 'cn-north-1'],
  ['aws-us-gov', 'us-gov-west-1'],
])('a fleet in %s (%s)', (partition, region) => {
  it('synthesizes a template with no ARN in the aws partition anywhere, ChatOps and the Slack secret included', () => {
    // Prepare
    const config = fleetIn(partition, region, {
      chatops: CHATOPS,
      notifications: {
        snsTopicArn: `arn:${partition}:sns:${region}:123456789012:clustershift-demo`,
        slack: { webhookUrlSecret: 'clustershift/slack-webhook' },
      },
    });

    // Act
    const text = JSON.stringify(synthFleet(config).template.toJSON());

    // Assert: ARNs the stack builds carry the partition (literal, as the region is known, or AWS::Partition)
    expect(text).not.toMatch(/arn:aws:/);
    expect(text).toContain(
      `arn:${partition}:elasticloadbalancing:${region}:123456789012:listener-rule/app/main/`,
    );
    expect(text).toContain(
      `arn:${partition}:secretsmanager:${region}:123456789012:secret:clustershift/slack-webhook-??????`,
    );
    expect(text).toContain(`arn:${partition}:states:${region}:123456789012:execution:clustershift-demo:*`);
  });

  it('keeps X-Ray tracing on by default: AWS documents it for Lambda and Step Functions there', () => {
    // Act
    const { template } = synthFleet(fleetIn(partition, region));

    // Assert
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
    });
    template.allResourcesProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
  });
});

describe('X-Ray tracing in a partition where AWS does not document it (aws-iso, us-iso-east-1)', () => {
  it('is off by default, on the state machine and every function', () => {
    // Act
    const { template } = synthFleet(fleetIn('aws-iso', 'us-iso-east-1'));

    // Assert
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: false },
    });
    expect(
      Object.keys(
        template.findResources('AWS::Lambda::Function', { Properties: { TracingConfig: Match.anyValue() } }),
      ),
    ).toEqual([]);
  });

  it('is on when the tracing prop asks for it', () => {
    // Act
    const { template } = synthFleet(fleetIn('aws-iso', 'us-iso-east-1'), { tracing: true });

    // Assert
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
    });
  });
});
