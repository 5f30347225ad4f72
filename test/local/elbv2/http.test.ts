import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyRuleCommand,
  paginateDescribeRules,
  RegisterTargetsCommand,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { applyWeights, describeTargetHealth, discoverRoutes, readWeights } from '../../../aws/elbv2';
import { parseFleetConfig } from '../../../core/config-yaml';
import type { RouteState } from '../../../core/routes';
import { type Elbv2Endpoint, startElbv2Endpoint } from '../../support/elbv2-http';

/**
 * Conformance over HTTP: the unchanged AWS SDK v3 client and the project's ELBv2 adapters against
 * the twin's awsQuery endpoint, with the demo fleet seeded.
 */
const DEMO = join(__dirname, '..', '..', '..', 'local', 'demo');
const config = parseFleetConfig(readFileSync(join(DEMO, 'clustershift.demo.yaml'), 'utf8'), 'demo');
const seed: unknown = JSON.parse(readFileSync(join(DEMO, 'seed.json'), 'utf8'));

let server: Elbv2Endpoint;
let client: ElasticLoadBalancingV2Client;

beforeEach(async () => {
  server = await startElbv2Endpoint();
  server.twin.seed(seed);
  client = new ElasticLoadBalancingV2Client({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});

afterEach(async () => {
  client.destroy();
  await server.close();
});

const LB = config.loadBalancers[0]?.arn ?? '';
const listenerArn = async (): Promise<string> =>
  (await client.send(new DescribeListenersCommand({ LoadBalancerArn: LB }))).Listeners?.[0]?.ListenerArn ??
  '';
const ruleFor = (rules: readonly Rule[], host: string): Rule | undefined =>
  rules.find((rule) => rule.Conditions?.some((c) => c.HostHeaderConfig?.Values?.includes(host)));
const byName = (routes: readonly RouteState[], name: string): RouteState => {
  const found = routes.find((route) => route.name === name);
  if (found === undefined) throw new Error(`no route ${name}`);
  return found;
};

describe('ELBv2 twin through the AWS SDK', () => {
  it('describes the seeded load balancer with the ARN the demo config names', async () => {
    const { LoadBalancers } = await client.send(new DescribeLoadBalancersCommand({ Names: ['demo-public'] }));

    expect(LoadBalancers).toHaveLength(1);
    expect(LoadBalancers?.[0]).toMatchObject({
      LoadBalancerArn: LB,
      Type: 'application',
      State: { Code: 'active' },
      Scheme: 'internet-facing',
    });
    expect(LoadBalancers?.[0]?.CreatedTime).toBeInstanceOf(Date);
  });

  it('pages DescribeRules with the SDK paginator, default rule last', async () => {
    const listener = await listenerArn();

    const pages = [];
    for await (const page of paginateDescribeRules({ client }, { ListenerArn: listener, PageSize: 4 })) {
      pages.push(page.Rules ?? []);
    }

    expect(pages.map((page) => page.length)).toEqual([4, 4, 2]);
    const rules = pages.flat();
    expect(rules.map((rule) => rule.Priority)).toEqual([
      '10',
      '20',
      '30',
      '40',
      '50',
      '60',
      '70',
      '80',
      '90',
      'default',
    ]);
    expect(rules[9]?.IsDefault).toBe(true);
  });

  it('returns forward actions with ForwardConfig, plus TargetGroupArn only for a single target group', async () => {
    const { Rules = [] } = await client.send(new DescribeRulesCommand({ ListenerArn: await listenerArn() }));

    const shared = ruleFor(Rules, 'svc-a.demo.example.com')?.Actions?.[0];
    const single = ruleFor(Rules, 'reports.demo.example.com')?.Actions?.[0];
    expect(shared?.TargetGroupArn).toBeUndefined();
    expect(shared?.ForwardConfig?.TargetGroups?.map((t) => t.Weight)).toEqual([50, 50]);
    expect(shared?.ForwardConfig?.TargetGroupStickinessConfig).toEqual({ Enabled: false });
    expect(single?.TargetGroupArn).toBe(single?.ForwardConfig?.TargetGroups?.[0]?.TargetGroupArn);
    expect(single?.ForwardConfig?.TargetGroups?.[0]?.Weight).toBe(1);
  });

  it('never returns the OIDC client secret', async () => {
    const { Rules = [] } = await client.send(new DescribeRulesCommand({ ListenerArn: await listenerArn() }));

    const oidc = Rules.flatMap((rule) => rule.Actions ?? []).find((a) => a.Type === 'authenticate-oidc');
    expect(oidc?.AuthenticateOidcConfig?.ClientId).toBe('clustershift-demo');
    expect(oidc?.AuthenticateOidcConfig).not.toHaveProperty('ClientSecret');
  });

  it('answers an OIDC action with extra request parameters in a form the SDK parses', async () => {
    const [group] = server.twin.targetGroups().filter((g) => g.name === 'blue-svc-a');

    const { Rules } = await client.send(
      new CreateRuleCommand({
        ListenerArn: await listenerArn(),
        Priority: 500,
        Conditions: [{ Field: 'host-header', Values: ['login.demo.example.com'] }],
        Actions: [
          {
            Type: 'authenticate-oidc',
            Order: 1,
            AuthenticateOidcConfig: {
              Issuer: 'https://idp.example.com',
              AuthorizationEndpoint: 'https://idp.example.com/auth',
              TokenEndpoint: 'https://idp.example.com/token',
              UserInfoEndpoint: 'https://idp.example.com/userinfo',
              ClientId: 'login',
              ClientSecret: 'secret',
              AuthenticationRequestExtraParams: { prompt: 'login' },
            },
          },
          { Type: 'forward', Order: 2, TargetGroupArn: group?.arn },
        ],
      }),
    );

    expect(Rules?.[0]?.Actions?.[0]?.AuthenticateOidcConfig?.ClientId).toBe('login');
    expect(Rules?.[0]?.Actions?.[0]?.AuthenticateOidcConfig?.AuthenticationRequestExtraParams).toEqual({
      prompt: 'login',
    });
    expect(Rules?.[0]?.Actions?.[0]?.AuthenticateOidcConfig?.ClientSecret).toBeUndefined();
  });

  it('creates a fleet with Create* calls and reads it back', async () => {
    const tgArn = async (name: string, cluster: string) => {
      const { TargetGroups } = await client.send(
        new CreateTargetGroupCommand({
          Name: name,
          Protocol: 'HTTP',
          Port: 80,
          VpcId: 'vpc-1',
          TargetType: 'ip',
          Tags: [{ Key: 'clustershift:cluster', Value: cluster }],
        }),
      );
      return TargetGroups?.[0]?.TargetGroupArn ?? '';
    };
    const blue = await tgArn('sdk-blue', 'blue');
    const green = await tgArn('sdk-green', 'green');
    await client.send(new RegisterTargetsCommand({ TargetGroupArn: blue, Targets: [{ Id: '10.9.0.1' }] }));
    const { LoadBalancers } = await client.send(
      new CreateLoadBalancerCommand({ Name: 'sdk-lb', Subnets: ['subnet-1', 'subnet-2'] }),
    );
    const lb = LoadBalancers?.[0]?.LoadBalancerArn ?? '';
    const { Listeners } = await client.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb,
        Protocol: 'HTTP',
        Port: 8080,
        DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }],
      }),
    );
    const listener = Listeners?.[0]?.ListenerArn ?? '';
    const { Rules } = await client.send(
      new CreateRuleCommand({
        ListenerArn: listener,
        Priority: 5,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }],
        Actions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: blue, Weight: 3 },
                { TargetGroupArn: green, Weight: 1 },
              ],
            },
          },
        ],
      }),
    );
    await client.send(new AddTagsCommand({ ResourceArns: [lb], Tags: [{ Key: 'team', Value: 'edge' }] }));

    expect(Rules?.[0]?.RuleArn).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule\/app\/sdk-lb\/[0-9a-f]{16}\/[0-9a-f]{16}\/[0-9a-f]{16}$/,
    );
    const groups = await client.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lb }));
    expect(groups.TargetGroups?.map((g) => g.TargetGroupName)).toEqual(['sdk-blue', 'sdk-green']);
    const health = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: blue }));
    expect(health.TargetHealthDescriptions?.map((d) => d.TargetHealth?.State)).toEqual(['healthy']);
    const tags = await client.send(new DescribeTagsCommand({ ResourceArns: [lb, green] }));
    expect(tags.TagDescriptions?.map((d) => d.Tags)).toEqual([
      [{ Key: 'team', Value: 'edge' }],
      [{ Key: 'clustershift:cluster', Value: 'green' }],
    ]);
  });

  it('raises the SDK exception for each AWS error code', async () => {
    const missing = `${LB.replace(':loadbalancer/', ':listener-rule/')}/0000000000000000/0000000000000000`;

    const errors = await Promise.all([
      client.send(new ModifyRuleCommand({ RuleArn: missing, Actions: [] })).catch((e: unknown) => e),
      client
        .send(
          new DescribeListenersCommand({
            ListenerArns: [missing.replace(':listener-rule/', ':listener/').slice(0, -17)],
          }),
        )
        .catch((e: unknown) => e),
      client.send(new DescribeRulesCommand({ ListenerArn: 'not-an-arn' })).catch((e: unknown) => e),
    ]);

    expect(errors.map((e) => (e as Error).name)).toEqual([
      'RuleNotFoundException',
      'ListenerNotFoundException',
      'ValidationError',
    ]);
    expect((errors[0] as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(400);
    expect((errors[0] as { $fault: string }).$fault).toBe('client');
  });

  it('answers an unknown action and a wrong version with InvalidAction', async () => {
    const post = (body: string) =>
      fetch(server.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });

    const unknown = await post('Action=DeleteEverything&Version=2015-12-01');
    const wrongVersion = await post('Action=DescribeRules&Version=2012-06-01');

    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('<Code>InvalidAction</Code>');
    expect(wrongVersion.status).toBe(400);
    expect(await wrongVersion.text()).toContain(
      'Could not find operation DescribeRules for version 2012-06-01',
    );
  });
});

describe('the project ELBv2 adapters against the twin', () => {
  it('discovers every route of the demo fleet, the blue-only one included', async () => {
    const routes = await discoverRoutes(config, client);

    expect(routes).toHaveLength(10);
    expect(routes.map((route) => route.name)).toContain('default :443');
    expect(byName(routes, 'reports.demo.example.com').targets.map((t) => t.cluster)).toEqual(['blue']);
    expect(byName(routes, 'svc-a.demo.example.com').targets.map((t) => t.cluster)).toEqual(['blue', 'green']);
    expect(routes.every((route) => !route.controllerOwned)).toBe(true);
  });

  it('writes weights compare-and-set, keeping the OIDC action and stickiness as they were', async () => {
    const routes = await discoverRoutes(config, client);
    const admin = byName(routes, 'svc-c.demo.example.com');
    const sticky = byName(routes, 'svc-d.demo.example.com');
    const drainBlue = (route: RouteState) => ({
      route,
      expected: route.weights,
      desired: Object.fromEntries(
        route.targets.map((t) => [t.targetGroupArn, t.cluster === 'blue' ? 0 : 100]),
      ),
    });

    const result = await applyWeights([drainBlue(admin), drainBlue(sticky)], client);

    expect(result.written).toEqual([admin.id, sticky.id]);
    const weights = await readWeights([admin, sticky], client);
    expect(Object.values(weights.get(admin.id) ?? {})).toEqual([0, 100]);
    const { Rules = [] } = await client.send(new DescribeRulesCommand({ RuleArns: [admin.id, sticky.id] }));
    expect(Rules[0]?.Actions?.map((a) => a.Type)).toEqual(['authenticate-oidc', 'forward']);
    expect(Rules[1]?.Actions?.[0]?.ForwardConfig?.TargetGroupStickinessConfig).toEqual({
      Enabled: true,
      DurationSeconds: 3600,
    });
    expect(server.twin.weightLog().filter((change) => change.key === admin.id)).toHaveLength(2);
  });

  it('detects drift when another client changed the weights, and writes nothing', async () => {
    const routes = await discoverRoutes(config, client);
    const route = byName(routes, 'svc-b.demo.example.com');
    const [blue, green] = route.targets.map((t) => t.targetGroupArn);
    await client.send(
      new ModifyRuleCommand({
        RuleArn: route.id,
        Actions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: blue, Weight: 10 },
                { TargetGroupArn: green, Weight: 90 },
              ],
            },
          },
        ],
      }),
    );

    const attempt = applyWeights(
      [{ route, expected: route.weights, desired: { [blue ?? '']: 0, [green ?? '']: 100 } }],
      client,
    );

    await expect(attempt).rejects.toMatchObject({ name: 'DriftDetected' });
    expect(Object.values((await readWeights([route], client)).get(route.id) ?? {})).toEqual([10, 90]);
  });

  it('writes a lister default action with ModifyListener', async () => {
    const routes = await discoverRoutes(config, client);
    const route = byName(routes, 'default :443');
    const desired = Object.fromEntries(
      route.targets.map((t) => [t.targetGroupArn, t.cluster === 'blue' ? 25 : 75]),
    );

    await applyWeights([{ route, expected: route.weights, desired }], client);

    const { Listeners = [] } = await client.send(new DescribeListenersCommand({ ListenerArns: [route.id] }));
    expect(Listeners[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups?.map((t) => t.Weight)).toEqual([
      25, 75,
    ]);
  });

  it('counts healthy targets after fault injection marks some unhealthy', async () => {
    const [group] = server.twin.targetGroups().filter((g) => g.name === 'green-svc-a');
    server.twin.setTargetHealth(group?.arn ?? '', 'unhealthy', [group?.targets[0]?.id ?? '']);

    const health = await describeTargetHealth([group?.arn ?? ''], client);
    const raw = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: group?.arn }));

    expect(health.get(group?.arn ?? '')).toEqual({ healthy: 2, total: 3 });
    expect(raw.TargetHealthDescriptions?.[0]?.TargetHealth).toEqual({
      State: 'unhealthy',
      Reason: 'Target.FailedHealthChecks',
      Description: 'Health checks failed',
    });
  });

  it('rejects a weight above 999 from ModifyListener with ValidationError', async () => {
    const listener = await listenerArn();
    const [blue] = server.twin.targetGroups().filter((g) => g.name === 'blue-default');

    const error: unknown = await client
      .send(
        new ModifyListenerCommand({
          ListenerArn: listener,
          DefaultActions: [
            {
              Type: 'forward',
              ForwardConfig: { TargetGroups: [{ TargetGroupArn: blue?.arn, Weight: 1000 }] },
            },
          ],
        }),
      )
      .catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: 'ValidationError',
      message: 'The weight for each target group must be between 0 and 999, inclusive',
    });
  });
});
