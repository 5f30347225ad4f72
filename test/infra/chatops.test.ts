import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { parse as parseYaml } from 'yaml';
import { CHAT_WORKERS } from '../../core/chat-commands';
import { CHATOPS_PATHS } from '../../functions/chat/routes';
import { CHAT_WORKER_FUNCTIONS } from '../../functions/chat/workers';
import { pascalCase } from '../../infra/handlers';
import { asArray, fleet, REPO_ROOT, type Synthesized, synthFleet } from './helpers';

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

const CHATOPS = {
  enabled: true,
  signingSecret: 'clustershift/slack-signing',
  webhookSecret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:clustershift/webhook-AbCdEf',
  channels: ['C0ONCALL'],
  users: [{ id: 'U0ALICE', commands: ['all'] }],
};

/** Every action each chat function's role may take, with its resources. */
const chatGrants = ({ stack, template }: Synthesized) => {
  const { chatOps } = stack.clusterShift;
  if (chatOps === undefined) throw new Error('no ChatOps in this stack');
  const holders = new Map([
    [stack.getLogicalId(chatOps.handler.role?.node.defaultChild as CfnElement), 'chatops'],
    ...CHAT_WORKERS.map(
      (worker) =>
        [
          stack.getLogicalId(chatOps.workers[worker].role?.node.defaultChild as CfnElement),
          CHAT_WORKER_FUNCTIONS[worker].handler,
        ] as const,
    ),
  ]);
  const grants: { holder: string; action: string; resources: unknown[]; condition?: unknown }[] = [];
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    const holder = holders.get(asArray(policy.Properties.Roles as { Ref: string }[])[0]?.Ref ?? '');
    if (holder === undefined) continue;
    for (const statement of policy.Properties.PolicyDocument.Statement as Statement[]) {
      for (const action of asArray(statement.Action))
        grants.push({
          holder,
          action,
          resources: asArray(statement.Resource),
          ...(statement.Condition === undefined ? {} : { condition: statement.Condition }),
        });
    }
  }
  return grants;
};

describe('ChatOps in the stack', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synthFleet(fleet({ chatops: CHATOPS }));
  }, 120_000);

  it('serves POST routes for the slash command, the buttons and the webhook on an HTTP API, payload 2.0', () => {
    const { template } = synthesized;
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (route) => route.Properties.RouteKey,
    );
    expect(routes.sort()).toEqual(
      [CHATOPS_PATHS.slackCommands, CHATOPS_PATHS.slackInteractions, CHATOPS_PATHS.webhook]
        .map((path) => `POST ${path}`)
        .sort(),
    );
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
  });

  it('throttles the stage and logs access (request metadata only)', () => {
    synthesized.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
  });

  it('lets only the chat endpoint read the chat secrets, each by its own ARN (a name gets the -?????? suffix)', () => {
    const grants = chatGrants(synthesized).filter((g) => g.action === 'secretsmanager:GetSecretValue');
    expect(grants.map((g) => g.holder)).toEqual(['chatops']);
    const resources = JSON.stringify(grants[0]?.resources);
    expect(resources).toContain('secret:clustershift/slack-signing-??????');
    expect(resources).toContain(CHATOPS.webhookSecret);
    expect(resources).not.toMatch(/"\*"/);
  });

  it('lets the endpoint invoke only its three workers, and gives it no table, load balancer or workflow access', () => {
    const endpoint = chatGrants(synthesized).filter((g) => g.holder === 'chatops');
    const actions = new Set(endpoint.map((g) => g.action));
    expect(actions.has('lambda:InvokeFunction')).toBe(true);
    for (const action of actions)
      expect(action).toMatch(/^(lambda:InvokeFunction|secretsmanager:GetSecretValue|logs:|xray:)/);
    const invoke = JSON.stringify(
      endpoint.filter((g) => g.action === 'lambda:InvokeFunction').flatMap((g) => g.resources),
    );
    for (const id of [
      'ChatOpsChatopsWorkerFunction',
      'ChatOpsChatopsStatusFunction',
      'ChatOpsChatopsPlanFunction',
    ])
      expect(invoke).toContain(id);
  });

  it('gives the endpoint each worker by name in its environment', () => {
    synthesized.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike(
          Object.fromEntries(
            CHAT_WORKERS.map((worker) => [
              CHAT_WORKER_FUNCTIONS[worker].env,
              {
                Ref: Match.stringLikeRegexp(
                  `ChatOps${pascalCase(CHAT_WORKER_FUNCTIONS[worker].handler)}Function`,
                ),
              },
            ]),
          ),
        ),
      },
    });
  });

  it('lets the acting worker start and describe only this fleet’s workflow, and read no load balancer', () => {
    const worker = chatGrants(synthesized).filter((g) => g.holder === 'chatops-worker');
    const start = worker.filter((g) => g.action === 'states:StartExecution').flatMap((g) => g.resources);
    expect(start).toEqual([{ Ref: expect.stringMatching(/^ClusterShiftWorkflow/) }]);
    const describe = worker
      .filter((g) => g.action === 'states:DescribeExecution')
      .flatMap((g) => g.resources);
    expect(JSON.stringify(describe)).toContain('execution:clustershift-demo:*');
    expect(worker.some((g) => g.action.startsWith('elasticloadbalancing:'))).toBe(false);
    expect(worker.some((g) => g.action.startsWith('cloudwatch:'))).toBe(false);
    expect(worker.some((g) => g.action === 'states:StopExecution')).toBe(false);
    expect(worker.some((g) => g.resources.includes('*') && !/^xray:/.test(g.action))).toBe(false);
  });

  it.each(['chatops-status', 'chatops-plan'])(
    "lets %s only read: no weight, table or workflow writes, no start or stop, but the ELBv2 pacer's item",
    (holder) => {
      const grants = chatGrants(synthesized).filter((g) => g.holder === holder);
      expect(grants.some((g) => g.action === 'elasticloadbalancing:DescribeRules')).toBe(true);
      expect(grants.some((g) => g.action === 'dynamodb:GetItem')).toBe(true);
      const writes = grants.filter((g) =>
        /^(elasticloadbalancing:(Modify|Create|Delete|Set|Add|Remove)|dynamodb:(Put|Update|Delete|BatchWrite)|states:(Start|Stop|Send)|sns:|lambda:)/.test(
          g.action,
        ),
      );
      // Its describes lease tokens from the shared pacer: that partition of the table only.
      expect(writes).toEqual([
        {
          holder,
          action: 'dynamodb:PutItem',
          resources: [{ 'Fn::GetAtt': [expect.stringMatching(/^ClusterShiftTable/), 'Arn'] }],
          condition: {
            'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [`pacer#elbv2#${fleet().region}`] },
          },
        },
      ]);
    },
  );

  it('lets only the status worker of the two that read list the running shifts', () => {
    const listing = chatGrants(synthesized)
      .filter((g) => g.action === 'states:ListExecutions')
      .map((g) => g.holder);
    expect(listing.sort()).toEqual(['chatops-status', 'chatops-worker']);
  });

  it('never retries a worker: a retried drain would be a second request', () => {
    const configs = Object.values(synthesized.template.findResources('AWS::Lambda::EventInvokeConfig'));
    expect(configs.map((c) => c.Properties.MaximumRetryAttempts)).toEqual([0, 0, 0]);
  });

  it('outputs the API endpoint as ChatOpsUrl', () => {
    synthesized.template.hasOutput('ChatOpsUrl', {});
  });

  it('has no webhook route when no webhook secret is configured', () => {
    const { template } = synthFleet(fleet({ chatops: { ...CHATOPS, webhookSecret: undefined } }));
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (route) => route.Properties.RouteKey,
    );
    expect(routes).not.toContain(`POST ${CHATOPS_PATHS.webhook}`);
  });

  it('has no API and no chat functions when chatops is off', () => {
    const { template, stack } = synthFleet(fleet());
    expect(stack.clusterShift.chatOps).toBeUndefined();
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 0);
  });
});

describe('the Slack app manifest', () => {
  it('points the slash command and interactivity at the API routes', () => {
    const manifest = parseYaml(
      readFileSync(resolve(REPO_ROOT, 'chatops', 'slack-app-manifest.yaml'), 'utf8'),
    ) as {
      features: { slash_commands: { command: string; url: string }[] };
      settings: { interactivity: { is_enabled: boolean; request_url: string } };
      oauth_config: { scopes: { bot: string[] } };
    };
    expect(manifest.features.slash_commands).toEqual([
      expect.objectContaining({ command: '/clustershift', url: `CHATOPS_URL${CHATOPS_PATHS.slackCommands}` }),
    ]);
    expect(manifest.settings.interactivity).toEqual({
      is_enabled: true,
      request_url: `CHATOPS_URL${CHATOPS_PATHS.slackInteractions}`,
    });
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(['commands', 'incoming-webhook']);
  });
});
