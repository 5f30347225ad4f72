import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { validateFleetConfig } from '../../core/config';
import { asArray, REPO_ROOT, type Synthesized, synthFleet } from './helpers';

/**
 * The security review, as tests over the stack the example config synthesizes (every feature on:
 * notifications to Slack, chatops with its webhook, the failover rules).
 */

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

const exampleWithEverything = () => {
  const example = parseYaml(readFileSync(resolve(REPO_ROOT, 'clustershift.example.yaml'), 'utf8')) as Record<
    string,
    Record<string, unknown>
  >;
  return validateFleetConfig(
    {
      ...example,
      notifications: {
        ...example.notifications,
        snsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:clustershift',
      },
      chatops: { ...example.chatops, webhookSecret: 'clustershift/prod-eu/webhook-secret' },
      failover: { ...example.failover, autoRestore: { enabled: true } },
    },
    'example',
  );
};

/** Every Allow statement of every IAM policy and role in the template. */
const allowStatements = ({ template }: Synthesized): Statement[] => {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).map(
    (policy) => policy.Properties.PolicyDocument,
  );
  const inline = Object.values(template.findResources('AWS::IAM::Role')).flatMap((role) =>
    asArray(role.Properties.Policies as { PolicyDocument: unknown }[]).map((p) => p.PolicyDocument),
  );
  return [...policies, ...inline]
    .flatMap((document) => (document as { Statement: Statement[] }).Statement)
    .filter((statement) => statement.Effect === 'Allow');
};

/**
 * What may be granted on "*", each because AWS has no resource type for it: ELBv2 describes,
 * DescribeAlarms/GetMetricData, X-Ray segments and sampling rules, and the state machine's vended log delivery.
 */
const ALLOWED_ON_EVERYTHING =
  /^(elasticloadbalancing:Describe|cloudwatch:(DescribeAlarms|GetMetricData)$|xray:(Put|GetSampling)|logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)$)/;

describe('security review of the synthesized stack', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synthFleet(exampleWithEverything());
  }, 120_000);

  it('grants no wildcard action (no "*", no "service:*")', () => {
    for (const statement of allowStatements(synthesized)) {
      for (const action of asArray(statement.Action)) {
        expect(action).not.toBe('*');
        expect(action).not.toMatch(/:\*$/);
      }
    }
  });

  it('grants nothing on "*" that has a resource type: no Modify*, no write, no secret', () => {
    const onEverything = allowStatements(synthesized).filter((s) => asArray(s.Resource).includes('*'));
    expect(onEverything.length).toBeGreaterThan(0);
    for (const statement of onEverything) {
      for (const action of asArray(statement.Action)) expect(action).toMatch(ALLOWED_ON_EVERYTHING);
    }
  });

  it('scopes every weight write to the configured load balancer’s listeners and rules', () => {
    const writes = allowStatements(synthesized).filter((s) =>
      asArray(s.Action).some((a) => /^elasticloadbalancing:Modify/.test(a)),
    );
    expect(writes.length).toBeGreaterThan(0);
    for (const statement of writes) {
      for (const resource of asArray(statement.Resource)) {
        expect(JSON.stringify(resource)).toMatch(
          /:(listener|listener-rule)\/app\/prod-public\/50dc6c495c0c9188\//,
        );
      }
    }
  });

  it('reads secrets only by their own ARN pattern, never all of Secrets Manager', () => {
    const reads = allowStatements(synthesized).filter((s) =>
      asArray(s.Action).some((a) => a.startsWith('secretsmanager:')),
    );
    expect(reads.length).toBeGreaterThan(0);
    for (const statement of reads) {
      expect(asArray(statement.Action)).toEqual(['secretsmanager:GetSecretValue']);
      for (const resource of asArray(statement.Resource)) {
        expect(JSON.stringify(resource)).toMatch(/secret:clustershift\/prod-eu\/[a-z-]+-\?{6}/);
      }
    }
  });

  it('outputs only the state machine, the table and the chat URL: nothing secret', () => {
    const outputs = Object.keys(synthesized.template.toJSON().Outputs ?? {}).sort();
    expect(outputs).toEqual(['ChatOpsUrl', 'StateMachineArn', 'TableName']);
  });

  it('puts no secret value in any function environment or its fleet config file, only secret names', () => {
    const functions = Object.values(synthesized.template.findResources('AWS::Lambda::Function'));
    for (const fn of functions) {
      const variables = (fn.Properties.Environment?.Variables ?? {}) as Record<string, unknown>;
      expect(Object.keys(variables).some((key) => /SECRET|TOKEN|PASSWORD|WEBHOOK_URL/i.test(key))).toBe(
        false,
      );
      expect(variables.FLEET_CONFIG_FILE).toBe('fleet-config.json');
    }
    // What every function's asset holds as fleet-config.json.
    const config = JSON.parse(synthesized.stack.clusterShift.fleetConfig) as {
      notifications: { slack?: { webhookUrlSecret: string } };
      chatops: { signingSecret?: string };
    };
    expect(config.notifications.slack?.webhookUrlSecret).toBe('clustershift/prod-eu/slack-webhook-url');
    expect(config.chatops.signingSecret).toBe('clustershift/prod-eu/slack-signing-secret');
  });
});
