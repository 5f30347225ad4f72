import type { App, CfnElement } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from '../../infra/build-app';
import { HANDLER_NAMES } from '../../infra/cluster-shift';
import { asArray, fixtureProps, fleet, type Synthesized, synthFleet, TOPIC_ARN, testApp } from './helpers';

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
}

const SECRET_NAME = 'clustershift/slack-webhook';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:clustershift/slack-webhook-AbCdEf';

const withSlack = (webhookUrlSecret: string) =>
  fleet({ notifications: { level: 'steps', snsTopicArn: TOPIC_ARN, slack: { webhookUrlSecret } } });

/** Each function's granted actions with their resources, by handler name. */
const grantsByFunction = ({ stack, template }: Synthesized) => {
  const nameByRole = new Map<string, string>();
  const functions = { ...stack.clusterShift.functions, ...stack.clusterShift.eventFunctions };
  for (const [name, fn] of Object.entries(functions)) {
    nameByRole.set(stack.getLogicalId(fn.role?.node.defaultChild as CfnElement), name);
  }
  const grants: { holder: string; action: string; resources: unknown[] }[] = [];
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    const holder = nameByRole.get(asArray(policy.Properties.Roles as { Ref: string }[])[0]?.Ref ?? '');
    if (holder === undefined) continue;
    for (const statement of policy.Properties.PolicyDocument.Statement as Statement[]) {
      for (const action of asArray(statement.Action)) {
        grants.push({ holder, action, resources: asArray(statement.Resource) });
      }
    }
  }
  return grants;
};

const holdersOf = (grants: ReturnType<typeof grantsByFunction>, action: string) =>
  [...new Set(grants.filter((g) => g.action === action).map((g) => g.holder))].sort();

describe('the notify function', () => {
  let grants: ReturnType<typeof grantsByFunction>;
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synthFleet(withSlack(SECRET_NAME));
    grants = grantsByFunction(synthesized);
  });

  it('is a workflow handler with a 30 s timeout', () => {
    expect(HANDLER_NAMES).toContain('notify');
    expect(synthesized.stack.clusterShift.functions.notify.timeout?.toSeconds()).toBe(30);
  });

  it('reads alarms and metrics and publishes to the topic, and writes no weight', () => {
    // Act
    const actions = grants.filter((g) => g.holder === 'notify').map((g) => g.action);

    // Assert
    expect(actions).toEqual(
      expect.arrayContaining([
        'cloudwatch:DescribeAlarms',
        'cloudwatch:GetMetricData',
        'sns:Publish',
        'secretsmanager:GetSecretValue',
      ]),
    );
    expect(actions.filter((a) => a.startsWith('elasticloadbalancing:'))).toEqual([]);
  });

  it('lets only the functions that notify read the webhook secret, named by its ARN pattern, never "*"', () => {
    // Act
    const secretGrants = grants.filter((g) => g.action.startsWith('secretsmanager:'));

    // Assert
    expect(holdersOf(grants, 'secretsmanager:GetSecretValue')).toEqual([
      'execution-ended',
      'finish',
      'notify',
    ]);
    expect(new Set(secretGrants.map((g) => g.action))).toEqual(new Set(['secretsmanager:GetSecretValue']));
    for (const grant of secretGrants) {
      expect(grant.resources).toEqual([
        `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${SECRET_NAME}-??????`,
      ]);
    }
    expect(JSON.stringify(secretGrants)).not.toContain('*');
  });

  it('uses a secret ARN from the config as it is', () => {
    // Act
    const fromArn = grantsByFunction(synthFleet(withSlack(SECRET_ARN)));

    // Assert
    const resources = fromArn
      .filter((g) => g.action === 'secretsmanager:GetSecretValue')
      .flatMap((g) => g.resources);
    expect(new Set(resources)).toEqual(new Set([SECRET_ARN]));
  });

  it('grants no secret read at all without a Slack webhook', () => {
    const plain = grantsByFunction(synthFleet());
    expect(plain.filter((g) => g.action.startsWith('secretsmanager:'))).toEqual([]);
    expect(holdersOf(plain, 'sns:Publish')).toEqual(['execution-ended', 'finish', 'notify']);
  });
});

describe('cdk-nag with a Slack webhook secret', () => {
  let app: App;
  beforeAll(() => {
    app = testApp();
    buildApp(app, withSlack(SECRET_NAME), { clusterShift: fixtureProps() });
  });

  it('reports no unacknowledged finding', () => {
    const violations = new AwsSolutionsChecks().validateScope(app).violations;
    expect(
      violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath ?? ''}`)),
    ).toEqual([]);
  });
});
