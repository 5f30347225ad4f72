import {
  DescribeListenersCommand,
  type DescribeListenersCommandInput,
  DescribeRulesCommand,
  DescribeTagsCommand,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { discoverRoutes, discoverRoutesWith } from '../../aws/elbv2';
import {
  awsError,
  BLUE,
  defaultRule,
  fakeClockPacer,
  fakeElb,
  fleetConfig,
  GREEN,
  hostRule,
  LB,
  LB2,
  listenerArn,
  OTHER,
  ruleArn,
  tg,
  weightedForward,
} from './elbv2-fixtures';

const blueGreen = weightedForward({ [BLUE]: 50, [GREEN]: 50 });

describe('discoverRoutes', () => {
  it('finds every rule when DescribeRules answers in 3 pages (NextMarker)', async () => {
    // Prepare
    const rules = Array.from({ length: 7 }, (_, i) =>
      hostRule(443, i + 1, `s${i + 1}.example.com`, [blueGreen]),
    );
    const { client, mock } = fakeElb([{ arn: listenerArn(443), port: 443, rules }], { rulesPerPage: 3 });

    // Act
    const routes = await discoverRoutes(fleetConfig(), client);

    // Assert
    expect(routes.map((r) => r.id)).toEqual(rules.map((r) => r.RuleArn));
    const calls = mock.commandCalls(DescribeRulesCommand).map((c) => c.args[0].input);
    expect(calls.map((input) => input.Marker)).toEqual([undefined, '3', '6']);
    expect(calls.every((input) => input.PageSize === 400)).toBe(true);
  });

  it('reads the load balancers concurrently and still returns their routes in config order', async () => {
    // Prepare: two load balancers; the second one's listeners answer first
    const webRule = hostRule(443, 1, 'web.example.com', [blueGreen]);
    const apiRule = { ...hostRule(443, 1, 'api.example.com', [blueGreen]), RuleArn: ruleArn(443, 1, LB2) };
    const { client, mock } = fakeElb([
      { arn: listenerArn(443), port: 443, rules: [webRule] },
      { arn: listenerArn(443, LB2), port: 443, loadBalancerArn: LB2, rules: [apiRule] },
    ]);
    let inFlight = 0;
    let mostInFlight = 0;
    mock.on(DescribeListenersCommand).callsFake(async (input: DescribeListenersCommandInput) => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      // The first load balancer answers a few turns of the event loop later than the second.
      const turns = input.LoadBalancerArn === LB ? 3 : 1;
      for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      const lb = input.LoadBalancerArn ?? LB;
      return {
        Listeners: [
          { ListenerArn: listenerArn(443, lb), Port: 443, LoadBalancerArn: lb, DefaultActions: [] },
        ],
      };
    });
    const config = fleetConfig({ loadBalancers: [{ arn: LB }, { arn: LB2 }] });

    // Act
    const routes = await discoverRoutes(config, client);

    // Assert
    expect(mostInFlight).toBe(2);
    expect(routes.map((r) => r.name)).toEqual(['web.example.com', 'api.example.com']);
  });

  it('never returns a route whose target groups belong to no configured cluster', async () => {
    const { client } = fakeElb([
      {
        arn: listenerArn(443),
        port: 443,
        rules: [
          hostRule(443, 1, 'legacy.example.com', [weightedForward({ [OTHER]: 1 })]),
          hostRule(443, 2, 'api.example.com', [blueGreen]),
        ],
      },
    ]);

    const routes = await discoverRoutes(fleetConfig(), client);

    expect(routes.map((r) => r.name)).toEqual(['api.example.com']);
  });

  it('keeps a target group of no cluster in a managed route, with cluster null and its weight', async () => {
    const { client } = fakeElb([
      {
        arn: listenerArn(443),
        port: 443,
        rules: [hostRule(443, 1, 'api.example.com', [weightedForward({ [BLUE]: 10, [OTHER]: 5 })])],
      },
    ]);

    const [route] = await discoverRoutes(fleetConfig(), client);

    expect(route?.targets).toEqual([
      { targetGroupArn: BLUE, cluster: 'blue' },
      { targetGroupArn: OTHER, cluster: null },
    ]);
    expect(route?.weights).toEqual({ [BLUE]: 10, [OTHER]: 5 });
  });

  it('maps target groups to clusters by tag in batches of 20, ignoring tags naming unknown clusters', async () => {
    // Prepare: 25 rules, each with its own blue and green target group, tagged; plus one tagged "purple".
    const pairs = Array.from({ length: 25 }, (_, i) => ({ blue: tg(`b${i}`), green: tg(`g${i}`) }));
    const purple = tg('purple');
    const tags: Record<string, Record<string, string>> = { [purple]: { 'clustershift:cluster': 'purple' } };
    for (const pair of pairs) {
      tags[pair.blue] = { 'clustershift:cluster': 'blue' };
      tags[pair.green] = { 'clustershift:cluster': 'green', team: 'x' };
    }
    const rules = pairs.map((pair, i) =>
      hostRule(443, i + 1, `s${i}.example.com`, [weightedForward({ [pair.blue]: 1, [pair.green]: 1 })]),
    );
    rules.push(hostRule(443, 99, 'purple.example.com', [weightedForward({ [purple]: 1 })]));
    const { client, mock } = fakeElb([{ arn: listenerArn(443), port: 443, rules }], { tags });
    const config = fleetConfig({ clusters: [{ name: 'blue' }, { name: 'green' }] });

    // Act
    const routes = await discoverRoutes(config, client);

    // Assert
    expect(routes).toHaveLength(25);
    expect(routes[3]?.targets).toEqual([
      { targetGroupArn: pairs[3]?.blue, cluster: 'blue' },
      { targetGroupArn: pairs[3]?.green, cluster: 'green' },
    ]);
    const tagCalls = mock.commandCalls(DescribeTagsCommand).map((c) => c.args[0].input.ResourceArns ?? []);
    expect(tagCalls.every((arns) => arns.length <= 20)).toBe(true);
    expect(tagCalls.flat()).toEqual(
      expect.arrayContaining([...pairs.flatMap((p) => [p.blue, p.green]), purple]),
    );
  });

  it('lets an explicit target group list win over tags, and skips DescribeTags for target groups when every cluster lists its own', async () => {
    const { client, mock } = fakeElb(
      [{ arn: listenerArn(443), port: 443, rules: [hostRule(443, 1, 'api.example.com', [blueGreen])] }],
      { tags: { [BLUE]: { 'clustershift:cluster': 'green' } } },
    );

    const [route] = await discoverRoutes(fleetConfig(), client);

    expect(route?.targets.find((t) => t.targetGroupArn === BLUE)?.cluster).toBe('blue');
    const asked = mock.commandCalls(DescribeTagsCommand).flatMap((c) => c.args[0].input.ResourceArns ?? []);
    expect(asked).not.toContain(BLUE);
  });

  it('returns a listener default action as kind default, id the listener ARN, named by port, after the rules', async () => {
    const { client } = fakeElb([
      {
        arn: listenerArn(443),
        port: 443,
        rules: [defaultRule(443, [blueGreen]), hostRule(443, 10, 'api.example.com', [blueGreen])],
      },
    ]);

    const routes = await discoverRoutes(fleetConfig(), client);

    expect(routes.map((r) => [r.kind, r.id, r.name])).toEqual([
      ['rule', ruleArn(443, 10), 'api.example.com'],
      ['default', listenerArn(443), 'default :443'],
    ]);
    expect(routes[1]).toMatchObject({ listenerArn: listenerArn(443), loadBalancerArn: LB });
  });

  it('counts a plain single-target-group forward as weight 1 on that target group', async () => {
    const plain: Rule = hostRule(443, 1, 'api.example.com', [{ Type: 'forward', TargetGroupArn: BLUE }]);
    const { client } = fakeElb([{ arn: listenerArn(443), port: 443, rules: [plain] }]);

    const [route] = await discoverRoutes(fleetConfig(), client);

    expect(route?.weights).toEqual({ [BLUE]: 1 });
    expect(route?.targets).toEqual([{ targetGroupArn: BLUE, cluster: 'blue' }]);
  });

  it('counts a weighted tuple without Weight as 1', async () => {
    const rule = hostRule(443, 1, 'api.example.com', [
      {
        Type: 'forward',
        ForwardConfig: { TargetGroups: [{ TargetGroupArn: BLUE }, { TargetGroupArn: GREEN, Weight: 3 }] },
      },
    ]);
    const { client } = fakeElb([{ arn: listenerArn(443), port: 443, rules: [rule] }]);

    const [route] = await discoverRoutes(fleetConfig(), client);

    expect(route?.weights).toEqual({ [BLUE]: 1, [GREEN]: 3 });
  });

  it('marks routes the AWS Load Balancer Controller manages, from rule tags and, for default actions, listener tags', async () => {
    const { client, mock } = fakeElb(
      [
        {
          arn: listenerArn(443),
          port: 443,
          rules: [
            defaultRule(443, [blueGreen]),
            hostRule(443, 1, 'a.example.com', [blueGreen]),
            hostRule(443, 2, 'b.example.com', [blueGreen]),
          ],
        },
      ],
      {
        tags: {
          [ruleArn(443, 1)]: { 'ingress.k8s.aws/resource': '443:1' },
          [ruleArn(443, 2)]: { owner: 'platform' },
          [listenerArn(443)]: { 'elbv2.k8s.aws/cluster': 'blue' },
        },
      },
    );

    const routes = await discoverRoutes(fleetConfig(), client);

    expect(routes.map((r) => [r.name, r.controllerOwned])).toEqual([
      ['a.example.com', true],
      ['b.example.com', false],
      ['default :443', true],
    ]);
    const batches = mock.commandCalls(DescribeTagsCommand).map((c) => c.args[0].input.ResourceArns);
    expect(batches).toEqual([[ruleArn(443, 1), ruleArn(443, 2)], [listenerArn(443)]]);
  });

  it('names rules by host and path, summarises other conditions, and uses the priority only without conditions', async () => {
    const rules: Rule[] = [
      {
        RuleArn: ruleArn(443, 1),
        Priority: '1',
        Conditions: [
          { Field: 'host-header', HostHeaderConfig: { Values: ['api.example.com'] } },
          { Field: 'path-pattern', PathPatternConfig: { Values: ['/v1/*', '/v2/*'] } },
        ],
        Actions: [blueGreen],
      },
      {
        RuleArn: ruleArn(443, 2),
        Priority: '2',
        Conditions: [
          { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['1'] } },
          { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['GET'] } },
        ],
        Actions: [blueGreen],
      },
      { RuleArn: ruleArn(443, 3), Priority: '3', Conditions: [], Actions: [blueGreen] },
    ];
    const { client } = fakeElb([{ arn: listenerArn(443), port: 443, rules }]);

    const routes = await discoverRoutes(fleetConfig(), client);

    expect(routes.map((r) => r.name)).toEqual([
      'api.example.com /v1/*,/v2/*',
      'header:X-Canary=1 method:GET',
      'priority 3',
    ]);
  });

  it('orders routes by load balancer, listener port and numeric priority, default last', async () => {
    const { client } = fakeElb([
      {
        arn: listenerArn(8443),
        port: 8443,
        rules: [defaultRule(8443, [blueGreen]), hostRule(8443, 5, 'e.example.com', [blueGreen])],
      },
      {
        arn: listenerArn(443),
        port: 443,
        rules: [
          defaultRule(443, [blueGreen]),
          hostRule(443, 10, 'c.example.com', [blueGreen]),
          hostRule(443, 9, 'b.example.com', [blueGreen]),
          hostRule(443, 100, 'd.example.com', [blueGreen]),
        ],
      },
    ]);

    const routes = await discoverRoutes(fleetConfig(), client);

    expect(routes.map((r) => r.name)).toEqual([
      'b.example.com',
      'c.example.com',
      'd.example.com',
      'default :443',
      'e.example.com',
      'default :8443',
    ]);
  });

  it('reads only the configured listeners when a load balancer lists them', async () => {
    const { client, mock } = fakeElb([
      { arn: listenerArn(443), port: 443, rules: [hostRule(443, 1, 'a.example.com', [blueGreen])] },
      { arn: listenerArn(80), port: 80, rules: [hostRule(80, 1, 'b.example.com', [blueGreen])] },
    ]);
    const config = fleetConfig({ loadBalancers: [{ arn: LB, listeners: [listenerArn(443)] }] });

    const routes = await discoverRoutes(config, client);

    expect(routes.map((r) => r.name)).toEqual(['a.example.com']);
    expect(mock.commandCalls(DescribeListenersCommand)[0]?.args[0].input).toEqual({
      ListenerArns: [listenerArn(443)],
      Marker: undefined,
    });
  });

  it('follows DescribeListeners pages', async () => {
    const ports = [80, 443, 8080, 8443];
    const { client } = fakeElb(
      ports.map((port) => ({ arn: listenerArn(port), port, rules: [defaultRule(port, [blueGreen])] })),
      { listenersPerPage: 1 },
    );

    const routes = await discoverRoutes(fleetConfig(), client);

    expect(routes.map((r) => r.name)).toEqual(ports.map((port) => `default :${port}`));
  });

  it('retries a throttled Describe call once its pacer has a token again, and counts every call', async () => {
    const { client, mock } = fakeElb([
      { arn: listenerArn(443), port: 443, rules: [hostRule(443, 1, 'a.example.com', [blueGreen])] },
    ]);
    mock
      .on(DescribeListenersCommand)
      .rejectsOnce(awsError('Throttling', 'Rate exceeded'))
      .resolves({ Listeners: [{ ListenerArn: listenerArn(443), Port: 443, LoadBalancerArn: LB }] });
    const { pacer, delays } = fakeClockPacer();

    const routes = await discoverRoutes(fleetConfig(), client, { retry: { pacer } });

    expect(routes).toHaveLength(1);
    expect(mock.commandCalls(DescribeListenersCommand)).toHaveLength(2);
    // The throttle emptied the pacer's bucket and halved its refill (10/s → 5/s): the retry and the
    // reads after it waited for tokens, none longer than one token at the halved rate.
    expect(delays.length).toBeGreaterThan(0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(200);
  });

  describe('with the tags an earlier discovery kept', () => {
    const tagged = () => {
      const blue = tg('blue-tagged');
      const green = tg('green-tagged');
      const config = fleetConfig({
        clusters: [{ name: 'blue' }, { name: 'green' }],
      });
      const forward = weightedForward({ [blue]: 50, [green]: 50 });
      const rule = hostRule(443, 1, 'api.example.com', [forward]);
      const tags: Record<string, Record<string, string>> = {
        [blue]: { 'clustershift:cluster': 'blue', team: 'payments' },
        [green]: { 'clustershift:cluster': 'green' },
        [rule.RuleArn as string]: { 'elbv2.k8s.aws/cluster': 'eks-blue' },
      };
      const { client, mock } = fakeElb([{ arn: listenerArn(443), port: 443, rules: [rule] }], { tags });
      return { blue, green, config, rule, client, mock };
    };

    it('reads every tag live without them, and says what it read (only the keys it uses)', async () => {
      // Prepare
      const { blue, green, config, rule, client } = tagged();

      // Act
      const { routes, tagsRead } = await discoverRoutesWith(config, client);

      // Assert
      expect(routes.map((r) => r.controllerOwned)).toEqual([true]);
      expect(tagsRead).toEqual(
        new Map([
          [blue, { 'clustershift:cluster': 'blue' }],
          [green, { 'clustershift:cluster': 'green' }],
          [rule.RuleArn as string, { 'elbv2.k8s.aws/cluster': 'eks-blue' }],
        ]),
      );
    });

    it('reads only the resources the kept tags lack, and finds the same routes', async () => {
      // Prepare
      const { blue, config, client, mock } = tagged();
      const live = await discoverRoutesWith(config, client);
      const known = new Map(live.tagsRead);
      known.delete(blue);
      mock.resetHistory();

      // Act
      const { routes, tagsRead } = await discoverRoutesWith(config, client, {}, { known });

      // Assert
      expect(routes).toEqual(live.routes);
      const asked = mock.commandCalls(DescribeTagsCommand).flatMap((c) => c.args[0].input.ResourceArns ?? []);
      expect(asked).toEqual([blue]);
      expect([...tagsRead.keys()]).toEqual([blue]);
    });

    it('makes no DescribeTags call when every resource is known', async () => {
      // Prepare
      const { config, client, mock } = tagged();
      const { tagsRead: known } = await discoverRoutesWith(config, client);
      mock.resetHistory();

      // Act
      await discoverRoutesWith(config, client, {}, { known });

      // Assert
      expect(mock.commandCalls(DescribeTagsCommand)).toHaveLength(0);
    });
  });
});
