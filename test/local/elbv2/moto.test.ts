import {
  type Action,
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
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { startElbv2Endpoint } from '../../support/elbv2-http';
import { MOTO_MISSING, motoAvailable, motoDefaultVpc, startMoto } from '../../support/moto';
import { answerDifferences, coveredBy, type KnownDifference } from '../../support/moto-compare';

/**
 * The same seeding, describes, modifications and error cases against the twin and against moto,
 * through the raw SDK; answers normalised (ARNs to names, volatile fields dropped) and compared.
 *
 * Known differences (each must still show up; any other difference fails the test). "AWS" is what
 * the API reference and real responses show; the twin follows it where moto does not.
 *
 * | step                        | field                                   | twin (as AWS, to our knowledge)    | moto                           |
 * |-----------------------------|-----------------------------------------|------------------------------------|--------------------------------|
 * | CreateTargetGroup           | LoadBalancerArns                        | [] for a new target group          | left out                       |
 * | CreateLoadBalancer other    | Scheme                                  | internet-facing (the default)      | left out when not sent         |
 * | listeners, rules            | Actions/DefaultActions Order            | 1 for a lone action                | only when sent                 |
 * | listeners                   | SslPolicy, AlpnPolicy                   | none on an HTTP listener           | an SSL policy and [] on HTTP   |
 * | listeners                   | TargetGroupArn of a one-group forward   | also given (legacy field)          | only when sent                 |
 * | rules                       | Conditions Values / …Config             | both forms                         | only the form sent             |
 * | DescribeTargetGroups        | LoadBalancerArns                        | each load balancer once            | once per rule using it (bug)   |
 * | DescribeTargetHealth        | HealthCheckPort                         | the port number                    | "traffic-port"                 |
 * | ModifyRule weight 1000      | whole answer                            | ValidationError                    | accepted                       |
 * | ModifyRule another LB's TG  | whole answer                            | TargetGroupAssociationLimit        | accepted                       |
 * | ModifyRule six TGs          | whole answer                            | ValidationError                    | accepted                       |
 * | ModifyRule OIDC, no secret  | whole answer                            | InvalidLoadBalancerAction          | accepted                       |
 * | DescribeTags unknown TG     | whole answer                            | TargetGroupNotFound                | empty tags                     |
 * | DescribeRules final         | first rule's actions                    | unchanged by the refused calls     | changed by the calls it took   |
 */

const KNOWN: readonly KnownDifference[] = [
  {
    step: 'CreateTargetGroup *',
    path: 'ok.TargetGroups.*.LoadBalancerArns',
    reason: 'moto leaves out an empty list',
  },
  {
    step: 'CreateLoadBalancer other',
    path: 'ok.LoadBalancers.*.Scheme',
    reason: 'moto leaves out the default scheme',
  },
  { step: '*', path: 'ok.Listeners.*.DefaultActions.*.Order', reason: 'moto returns Order only when sent' },
  { step: '*', path: 'ok.Rules.*.Actions.*.Order', reason: 'moto returns Order only when sent' },
  { step: '*', path: 'ok.Listeners.*.SslPolicy', reason: 'moto gives HTTP listeners an SSL policy' },
  { step: '*', path: 'ok.Listeners.*.AlpnPolicy', reason: 'moto gives HTTP listeners an empty ALPN policy' },
  {
    step: '*',
    path: 'ok.Listeners.*.DefaultActions.*.TargetGroupArn',
    reason: 'moto omits the legacy field',
  },
  { step: '*', path: 'ok.Rules.*.Conditions.*.Values', reason: 'moto returns only the condition form sent' },
  {
    step: '*',
    path: 'ok.Rules.*.Conditions.*.PathPatternConfig',
    reason: 'moto returns only the condition form sent',
  },
  {
    step: 'DescribeTargetGroups *',
    path: 'ok.TargetGroups.*.LoadBalancerArns',
    reason: 'moto repeats a load balancer per rule',
  },
  {
    step: 'DescribeTargetHealth',
    path: 'ok.TargetHealthDescriptions.*.HealthCheckPort',
    reason: 'moto returns "traffic-port"',
  },
  { step: 'ModifyRule weight 1000', path: '', reason: 'moto accepts weights above 999' },
  {
    step: 'ModifyRule target group of another load balancer',
    path: '',
    reason: 'moto lets two load balancers share a target group',
  },
  {
    step: 'ModifyRule six target groups',
    path: '',
    reason: 'moto accepts more than 5 target groups per forward',
  },
  {
    step: 'ModifyRule OIDC without a client secret',
    path: '',
    reason: 'moto accepts an OIDC action without a secret',
  },
  {
    step: 'DescribeTags unknown target group',
    path: '',
    reason: 'moto does not check that the resource exists',
  },
  {
    step: 'DescribeRules final',
    path: 'ok.Rules.0.Actions',
    reason: 'moto took the invalid ModifyRule calls above',
  },
];

const REGION = 'us-east-1';

type Outcome = { ok: unknown } | { error: string; status: number | undefined };
type Step = (client: ElasticLoadBalancingV2Client, run: Run) => Promise<unknown>;

/** One run of the scenario against one endpoint: the ARNs it created, by stable alias. */
class Run {
  readonly aliases = new Map<string, string>();
  readonly arns = new Map<string, string>();

  constructor(
    readonly vpcId: string,
    readonly subnets: readonly string[],
  ) {}

  remember(alias: string, arn: string | undefined): string {
    if (arn === undefined) throw new Error(`no ARN for ${alias}`);
    this.aliases.set(arn, `<${alias}>`);
    this.arns.set(alias, arn);
    return arn;
  }

  arn(alias: string): string {
    const arn = this.arns.get(alias);
    if (arn === undefined) throw new Error(`${alias} was not created`);
    return arn;
  }
}

const forward = (run: Run, weights: Record<string, number>, extra: Partial<Action> = {}): Action => ({
  Type: 'forward',
  ForwardConfig: {
    TargetGroups: Object.entries(weights).map(([alias, Weight]) => ({
      TargetGroupArn: run.arn(alias),
      Weight,
    })),
  },
  ...extra,
});

const createGroup =
  (name: string, cluster?: string): Step =>
  async (client, run) => {
    const out = await client.send(
      new CreateTargetGroupCommand({
        Name: name,
        Protocol: 'HTTP',
        Port: 8080,
        VpcId: run.vpcId,
        TargetType: 'ip',
        ...(cluster === undefined ? {} : { Tags: [{ Key: 'clustershift:cluster', Value: cluster }] }),
      }),
    );
    run.remember(`tg:${name}`, out.TargetGroups?.[0]?.TargetGroupArn);
    return out;
  };

/** The scenario, in order; later steps use what earlier ones created. */
const SCENARIO: [string, Step][] = [
  ['CreateTargetGroup blue-api', createGroup('blue-api', 'blue')],
  ['CreateTargetGroup green-api', createGroup('green-api', 'green')],
  ['CreateTargetGroup blue-web', createGroup('blue-web', 'blue')],
  ['CreateTargetGroup green-web', createGroup('green-web', 'green')],
  ['CreateTargetGroup other', createGroup('other')],
  [
    'RegisterTargets',
    (client, run) =>
      client.send(
        new RegisterTargetsCommand({
          TargetGroupArn: run.arn('tg:blue-api'),
          Targets: [{ Id: '10.0.0.1' }, { Id: '10.0.0.2', Port: 9090 }],
        }),
      ),
  ],
  [
    'CreateLoadBalancer',
    async (client, run) => {
      const out = await client.send(
        new CreateLoadBalancerCommand({
          Name: 'cmp-lb',
          Subnets: run.subnets.slice(0, 2),
          Scheme: 'internet-facing',
        }),
      );
      run.remember('lb', out.LoadBalancers?.[0]?.LoadBalancerArn);
      return out;
    },
  ],
  [
    'CreateLoadBalancer other',
    async (client, run) => {
      const out = await client.send(
        new CreateLoadBalancerCommand({ Name: 'cmp-other', Subnets: run.subnets.slice(0, 2) }),
      );
      run.remember('lb:other', out.LoadBalancers?.[0]?.LoadBalancerArn);
      return out;
    },
  ],
  [
    'CreateListener',
    async (client, run) => {
      const out = await client.send(
        new CreateListenerCommand({
          LoadBalancerArn: run.arn('lb'),
          Protocol: 'HTTP',
          Port: 80,
          DefaultActions: [forward(run, { 'tg:blue-web': 50, 'tg:green-web': 50 })],
        }),
      );
      run.remember('listener', out.Listeners?.[0]?.ListenerArn);
      return out;
    },
  ],
  [
    'CreateListener other',
    async (client, run) => {
      const out = await client.send(
        new CreateListenerCommand({
          LoadBalancerArn: run.arn('lb:other'),
          Protocol: 'HTTP',
          Port: 80,
          DefaultActions: [forward(run, { 'tg:other': 1 })],
        }),
      );
      run.remember('listener:other', out.Listeners?.[0]?.ListenerArn);
      return out;
    },
  ],
  [
    'CreateRule api',
    async (client, run) => {
      const out = await client.send(
        new CreateRuleCommand({
          ListenerArn: run.arn('listener'),
          Priority: 10,
          Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['api.example.com'] } }],
          Actions: [forward(run, { 'tg:blue-api': 50, 'tg:green-api': 50 })],
        }),
      );
      run.remember('rule:api', out.Rules?.[0]?.RuleArn);
      return out;
    },
  ],
  [
    'CreateRule sticky',
    async (client, run) => {
      const action = forward(run, { 'tg:blue-api': 1, 'tg:green-api': 1 });
      const out = await client.send(
        new CreateRuleCommand({
          ListenerArn: run.arn('listener'),
          Priority: 20,
          Conditions: [{ Field: 'path-pattern', Values: ['/sticky/*'] }],
          Actions: [
            {
              ...action,
              ForwardConfig: {
                ...action.ForwardConfig,
                TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 },
              },
            },
          ],
        }),
      );
      run.remember('rule:sticky', out.Rules?.[0]?.RuleArn);
      return out;
    },
  ],
  [
    'AddTags rule',
    (client, run) =>
      client.send(
        new AddTagsCommand({
          ResourceArns: [run.arn('rule:api')],
          Tags: [{ Key: 'owner', Value: 'team-a' }],
        }),
      ),
  ],
  [
    'DescribeLoadBalancers by name',
    (client) => client.send(new DescribeLoadBalancersCommand({ Names: ['cmp-lb'] })),
  ],
  [
    'DescribeListeners',
    (client, run) => client.send(new DescribeListenersCommand({ LoadBalancerArn: run.arn('lb') })),
  ],
  [
    'DescribeRules',
    async (client, run) => {
      const out = await client.send(new DescribeRulesCommand({ ListenerArn: run.arn('listener') }));
      run.remember('rule:default', out.Rules?.find((rule) => rule.IsDefault)?.RuleArn);
      return out;
    },
  ],
  [
    'DescribeRules paged',
    (client, run) => client.send(new DescribeRulesCommand({ ListenerArn: run.arn('listener'), PageSize: 2 })),
  ],
  [
    'DescribeTargetGroups by load balancer',
    (client, run) => client.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: run.arn('lb') })),
  ],
  [
    'DescribeTargetGroups by name',
    (client) => client.send(new DescribeTargetGroupsCommand({ Names: ['blue-api'] })),
  ],
  [
    'DescribeTags',
    (client, run) =>
      client.send(
        new DescribeTagsCommand({
          ResourceArns: [run.arn('tg:blue-api'), run.arn('rule:api'), run.arn('lb')],
        }),
      ),
  ],
  [
    'DescribeTargetHealth',
    (client, run) => client.send(new DescribeTargetHealthCommand({ TargetGroupArn: run.arn('tg:blue-api') })),
  ],
  [
    'ModifyRule weights',
    (client, run) =>
      client.send(
        new ModifyRuleCommand({
          RuleArn: run.arn('rule:api'),
          Actions: [forward(run, { 'tg:blue-api': 0, 'tg:green-api': 100 })],
        }),
      ),
  ],
  [
    'DescribeRules after ModifyRule',
    (client, run) => client.send(new DescribeRulesCommand({ RuleArns: [run.arn('rule:api')] })),
  ],
  [
    'ModifyListener weights',
    (client, run) =>
      client.send(
        new ModifyListenerCommand({
          ListenerArn: run.arn('listener'),
          DefaultActions: [forward(run, { 'tg:blue-web': 25, 'tg:green-web': 75 })],
        }),
      ),
  ],
  // Error cases.
  [
    'DescribeRules unknown rule',
    (client, run) =>
      client.send(
        new DescribeRulesCommand({ RuleArns: [`${run.arn('rule:api').slice(0, -16)}0000000000000000`] }),
      ),
  ],
  [
    'ModifyRule unknown rule',
    (client, run) =>
      client.send(
        new ModifyRuleCommand({
          RuleArn: `${run.arn('rule:api').slice(0, -16)}0000000000000000`,
          Actions: [forward(run, { 'tg:blue-api': 1 })],
        }),
      ),
  ],
  [
    'DescribeListeners unknown load balancer',
    (client, run) =>
      client.send(
        new DescribeListenersCommand({ LoadBalancerArn: `${run.arn('lb').slice(0, -16)}0000000000000000` }),
      ),
  ],
  [
    'DescribeTargetGroups unknown name',
    (client) => client.send(new DescribeTargetGroupsCommand({ Names: ['nope'] })),
  ],
  [
    'DescribeTargetHealth unknown target group',
    (client, run) =>
      client.send(
        new DescribeTargetHealthCommand({
          TargetGroupArn: `${run.arn('tg:blue-api').slice(0, -16)}0000000000000000`,
        }),
      ),
  ],
  ['DescribeRules without listener or rules', (client) => client.send(new DescribeRulesCommand({}))],
  [
    'CreateRule priority in use',
    (client, run) =>
      client.send(
        new CreateRuleCommand({
          ListenerArn: run.arn('listener'),
          Priority: 10,
          Conditions: [{ Field: 'host-header', Values: ['dup.example.com'] }],
          Actions: [forward(run, { 'tg:blue-api': 1 })],
        }),
      ),
  ],
  [
    'ModifyRule weight 1000',
    (client, run) =>
      client.send(
        new ModifyRuleCommand({
          RuleArn: run.arn('rule:api'),
          Actions: [forward(run, { 'tg:blue-api': 1000 })],
        }),
      ),
  ],
  [
    'ModifyRule target group of another load balancer',
    (client, run) =>
      client.send(
        new ModifyRuleCommand({ RuleArn: run.arn('rule:api'), Actions: [forward(run, { 'tg:other': 1 })] }),
      ),
  ],
  [
    'ModifyRule six target groups',
    (client, run) =>
      client.send(
        new ModifyRuleCommand({
          RuleArn: run.arn('rule:api'),
          Actions: [
            {
              Type: 'forward',
              ForwardConfig: {
                TargetGroups: ['blue-api', 'green-api', 'blue-web', 'green-web', 'other', 'blue-api'].map(
                  (name) => ({
                    TargetGroupArn: run.arn(`tg:${name}`),
                    Weight: 1,
                  }),
                ),
              },
            },
          ],
        }),
      ),
  ],
  [
    'ModifyRule OIDC without a client secret',
    (client, run) =>
      client.send(
        new ModifyRuleCommand({
          RuleArn: run.arn('rule:api'),
          Actions: [
            {
              Type: 'authenticate-oidc',
              Order: 1,
              AuthenticateOidcConfig: {
                Issuer: 'https://idp.example.com',
                AuthorizationEndpoint: 'https://idp.example.com/auth',
                TokenEndpoint: 'https://idp.example.com/token',
                UserInfoEndpoint: 'https://idp.example.com/userinfo',
                ClientId: 'client',
              },
            },
            forward(run, { 'tg:blue-api': 1 }, { Order: 2 }),
          ],
        }),
      ),
  ],
  [
    'DescribeTags unknown target group',
    (client, run) =>
      client.send(
        new DescribeTagsCommand({
          ResourceArns: [`${run.arn('tg:blue-api').slice(0, -16)}0000000000000000`],
        }),
      ),
  ],
  [
    'DescribeRules final',
    (client, run) => client.send(new DescribeRulesCommand({ ListenerArn: run.arn('listener') })),
  ],
];

/** Fields that differ by nature between two emulators (times, made-up network facts, request ids). */
const VOLATILE = new Set([
  '$metadata',
  'CreatedTime',
  'DNSName',
  'CanonicalHostedZoneId',
  'VpcId',
  'AvailabilityZones',
  'SecurityGroups',
  'NextMarker',
]);

const normalise = (value: unknown, run: Run): unknown => {
  if (typeof value === 'string') return run.aliases.get(value) ?? value;
  if (Array.isArray(value)) return value.map((item) => normalise(item, run));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key, child]) => !VOLATILE.has(key) && child !== undefined)
        .map(([key, child]) => [key, normalise(child, run)]),
    );
  }
  return value;
};

const runScenario = async (
  endpoint: string,
  vpc: { vpcId: string; subnetIds: string[] },
): Promise<Map<string, Outcome>> => {
  const client = new ElasticLoadBalancingV2Client({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  const run = new Run(vpc.vpcId, vpc.subnetIds);
  const outcomes = new Map<string, Outcome>();
  try {
    for (const [name, step] of SCENARIO) {
      try {
        outcomes.set(name, { ok: await step(client, run) });
      } catch (error) {
        const failure = error as { name?: string; $metadata?: { httpStatusCode?: number } };
        outcomes.set(name, {
          error: failure.name ?? String(error),
          status: failure.$metadata?.httpStatusCode,
        });
      }
    }
    return new Map([...outcomes].map(([name, outcome]) => [name, normalise(outcome, run) as Outcome]));
  } finally {
    client.destroy();
  }
};

if (process.env.CLUSTERSHIFT_NO_MOTO === '1') {
  describe('ELBv2 twin compared with moto', () => {
    it('is left out because CLUSTERSHIFT_NO_MOTO=1 is set', () => {
      expect(process.env.CLUSTERSHIFT_NO_MOTO).toBe('1');
    });
  });
} else {
  describe('ELBv2 twin compared with moto', () => {
    let found: { step: string; path: string; detail: string }[] = [];
    let twinOutcomes = new Map<string, Outcome>();

    beforeAll(async () => {
      if (!motoAvailable()) throw new Error(MOTO_MISSING);
      const moto = await startMoto();
      const twin = await startElbv2Endpoint(REGION);
      try {
        const vpc = await motoDefaultVpc(moto.endpoint, REGION);
        const motoOutcomes = await runScenario(moto.endpoint, vpc);
        twinOutcomes = await runScenario(twin.endpoint, vpc);
        found = SCENARIO.flatMap(([step]) =>
          answerDifferences(twinOutcomes.get(step), motoOutcomes.get(step)).map((d) => ({ step, ...d })),
        );
      } finally {
        await Promise.all([moto.close(), twin.close()]);
      }
    }, 60_000);

    it('answers every step as moto does, except for the listed differences', () => {
      const unexplained = found.filter((d) => !KNOWN.some((known) => coveredBy(known, d.step, d.path)));

      expect(unexplained.map((d) => `${d.step} ${d.path}: ${d.detail}`)).toEqual([]);
    });

    it('still shows every listed difference (the table is up to date)', () => {
      const stale = KNOWN.filter((known) => !found.some((d) => coveredBy(known, d.step, d.path)));

      expect(stale.map((known) => `${known.step} ${known.path}`)).toEqual([]);
    });

    it('ran every step of the scenario on the twin', () => {
      expect([...twinOutcomes.keys()]).toEqual(SCENARIO.map(([step]) => step));
    });
  });
}
