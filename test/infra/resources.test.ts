import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ClusterShift, environmentSize, LAMBDA_ENVIRONMENT_LIMIT_BYTES } from '../../infra/cluster-shift';
import { finalEnvironment } from '../../infra/environment-size';
import { fixtureProps, fleet, type Synthesized, synthFleet, testApp } from './helpers';

describe('the table', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synthFleet();
  });

  it('is pay-per-request with pk/sk, point-in-time recovery, TTL on `ttl` and AWS-managed encryption', () => {
    synthesized.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('is retained and deletion-protected by default', () => {
    synthesized.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
  });

  it('drops deletion protection when the table is to be destroyed, unless asked for', () => {
    // Act
    const destroyed = synthFleet(fleet(), { removalPolicy: RemovalPolicy.DESTROY });
    const protectedAnyway = synthFleet(fleet(), {
      removalPolicy: RemovalPolicy.DESTROY,
      deletionProtection: true,
    });

    // Assert
    destroyed.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
    protectedAnyway.template.hasResourceProperties('AWS::DynamoDB::Table', {
      DeletionProtectionEnabled: true,
    });
  });

  it('is named by the TableName output, and the workflow by StateMachineArn', () => {
    synthesized.template.hasOutput('TableName', {
      Value: { Ref: Match.stringLikeRegexp('^ClusterShiftTable') },
    });
    synthesized.template.hasOutput('StateMachineArn', {
      Value: { Ref: Match.stringLikeRegexp('^ClusterShiftWorkflow') },
    });
  });
});

describe('the functions', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synthFleet();
  });

  it('are the eight workflow handlers and execution-ended, each Node.js 22 on arm64 with 256 MB, active tracing and the fleet environment', () => {
    // Prepare
    const expected = {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 256,
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: {
          FLEET_CONFIG_FILE: 'fleet-config.json',
          TABLE_NAME: { Ref: Match.stringLikeRegexp('^ClusterShiftTable') },
          POWERTOOLS_SERVICE_NAME: 'clustershift',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('Logs') } },
    };

    // Act
    const all = synthesized.template.findResources('AWS::Lambda::Function');
    const matching = synthesized.template.findResources('AWS::Lambda::Function', { Properties: expected });

    // Assert
    expect(Object.keys(all)).toHaveLength(9);
    expect(Object.keys(matching)).toHaveLength(9);
    expect(Object.keys(synthesized.stack.clusterShift.eventFunctions)).toEqual(['execution-ended']);
  });

  it('give prepare, apply-step and rollback 5 minutes, notify 30 seconds and the others 1 minute', () => {
    // Prepare
    const { stack } = synthesized;
    const timeouts = Object.fromEntries(
      Object.entries(stack.clusterShift.functions).map(([name, fn]) => [name, fn.timeout?.toSeconds()]),
    );

    // Assert
    expect(timeouts).toEqual({
      prepare: 300,
      lock: 60,
      'apply-step': 300,
      'check-gates': 60,
      rollback: 300,
      'verify-drained': 60,
      finish: 60,
      notify: 30,
    });
  });

  it('log to their own log groups, kept one month by default', () => {
    // Act
    const groups = synthesized.template.findResources('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 30 },
    });

    // Assert: nine function log groups and the workflow's
    expect(Object.keys(groups)).toHaveLength(10);
    synthesized.template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^/aws/vendedlogs/states/clustershift-demo-'),
    });
  });

  it('can run without tracing', () => {
    // Act
    const { template } = synthFleet(fleet(), { tracing: false });

    // Assert
    expect(
      Object.keys(
        template.findResources('AWS::Lambda::Function', {
          Properties: { TracingConfig: { Mode: 'Active' } },
        }),
      ),
    ).toEqual([]);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: false },
    });
  });
});

describe('the fleet config and the Lambda environment limit', () => {
  const build = (config = fleet()) =>
    new ClusterShift(new Stack(testApp(), 'Test'), 'ClusterShift', { config, ...fixtureProps() });

  it('ships the config in the code asset, not the environment: the environment stays small', () => {
    // Act
    const shift = build();

    // Assert
    expect(shift.fleetConfig).toBe(JSON.stringify(fleet()));
    expect(environmentSize(finalEnvironment(shift.functions.prepare))).toBeLessThan(
      LAMBDA_ENVIRONMENT_LIMIT_BYTES / 4,
    );
  });

  it('synthesizes a config over 4 KB: 50 load balancers, the most AWS allows in a Region by default', () => {
    // Prepare: what used to be refused (the config travelled in the environment then)
    const loadBalancers = Array.from({ length: 50 }, (_, n) => ({
      arn: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/lb-${n + 1}/${String(n).padStart(16, '0')}`,
    }));
    const config = fleet({ loadBalancers });

    // Act
    const shift = build(config);
    const sizes = Object.values(shift.functions).map((fn) => environmentSize(finalEnvironment(fn)));

    // Assert
    expect(Buffer.byteLength(shift.fleetConfig, 'utf8')).toBeGreaterThan(LAMBDA_ENVIRONMENT_LIMIT_BYTES);
    expect(Math.max(...sizes)).toBeLessThan(LAMBDA_ENVIRONMENT_LIMIT_BYTES / 4);
    expect(() => Template.fromStack(Stack.of(shift))).not.toThrow();
  });
});

describe('the construct', () => {
  it('is one per stack, as its outputs have fixed names', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Test');
    new ClusterShift(stack, 'First', { config: fleet(), ...fixtureProps() });

    // Act + Assert
    expect(() => new ClusterShift(stack, 'Second', { config: fleet(), ...fixtureProps() })).toThrow(
      /one ClusterShift per stack: Test\/First is already in Test/,
    );
  });
});
