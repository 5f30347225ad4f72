import { type Action, ModifyRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import fc from 'fast-check';
import { actionsWithWeights, applyWeights, forwardWeights } from '../../aws/elbv2';
import type { Weights } from '../../core/routes';
import { fakeElb, hostRule, listenerArn, route, ruleArn, tg } from './elbv2-fixtures';

const TGS = ['a', 'b', 'c', 'd', 'e', 'f'].map(tg);

const weight = fc.integer({ min: 0, max: 999 });
const stickiness = fc.option(
  fc.record({ Enabled: fc.boolean(), DurationSeconds: fc.integer({ min: 1, max: 604800 }) }),
  {
    nil: undefined,
  },
);

/** A forward as AWS returns it: weighted tuples (some without Weight), or a plain TargetGroupArn. */
const forward = fc.oneof(
  fc
    .record({
      arns: fc.uniqueArray(fc.constantFrom(...TGS), { minLength: 1, maxLength: 5 }),
      weights: fc.array(fc.option(weight, { nil: undefined }), { minLength: 5, maxLength: 5 }),
      stickiness,
      topLevel: fc.boolean(),
    })
    .map(
      ({ arns, weights, stickiness: sticky, topLevel }): Action => ({
        Type: 'forward',
        ...(topLevel ? { TargetGroupArn: arns[0] } : {}),
        ForwardConfig: {
          TargetGroups: arns.map((arn, i) => ({
            TargetGroupArn: arn,
            ...(weights[i] === undefined ? {} : { Weight: weights[i] }),
          })),
          ...(sticky === undefined ? {} : { TargetGroupStickinessConfig: sticky }),
        },
      }),
    ),
  fc.constantFrom(...TGS).map((arn): Action => ({ Type: 'forward', TargetGroupArn: arn })),
);

const others: fc.Arbitrary<Action>[] = [
  fc.record({
    Type: fc.constant('authenticate-oidc' as const),
    AuthenticateOidcConfig: fc.record(
      {
        Issuer: fc.webUrl(),
        AuthorizationEndpoint: fc.webUrl(),
        TokenEndpoint: fc.webUrl(),
        UserInfoEndpoint: fc.webUrl(),
        ClientId: fc.string({ minLength: 1 }),
        ClientSecret: fc.string({ minLength: 1 }),
        Scope: fc.constantFrom('openid', 'openid email'),
      },
      { requiredKeys: ['Issuer', 'AuthorizationEndpoint', 'TokenEndpoint', 'UserInfoEndpoint', 'ClientId'] },
    ),
  }),
  fc.record({
    Type: fc.constant('authenticate-cognito' as const),
    AuthenticateCognitoConfig: fc.record({
      UserPoolArn: fc.constant('arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc'),
      UserPoolClientId: fc.string({ minLength: 1 }),
      UserPoolDomain: fc.domain(),
    }),
  }),
  fc.record({
    Type: fc.constant('fixed-response' as const),
    FixedResponseConfig: fc.record({ StatusCode: fc.constantFrom('200', '503'), MessageBody: fc.string() }),
  }),
  fc.record({
    Type: fc.constant('redirect' as const),
    RedirectConfig: fc.record({
      StatusCode: fc.constantFrom('HTTP_301' as const, 'HTTP_302' as const),
      Host: fc.domain(),
    }),
  }),
];

/** Zero or more other actions before the forward (as ALB requires), with Order fields or without. */
const actionList = fc
  .record({ before: fc.array(fc.oneof(...others), { maxLength: 2 }), forward, ordered: fc.boolean() })
  .map(({ before, forward: fwd, ordered }) =>
    [...before, fwd].map((action, i) => (ordered ? { ...action, Order: i + 1 } : action)),
  );

const withDesired = actionList.chain((actions) => {
  const arns = Object.keys(forwardWeights(actions.at(-1) as Action));
  return fc.record({
    actions: fc.constant(actions),
    desired: fc.dictionary(fc.constantFrom(...arns), weight, { maxKeys: arns.length }),
  });
});

/** An action list with the parts a weight write may touch taken out. */
const skeleton = (actions: readonly Action[]) =>
  actions.map((action) => {
    const copy = structuredClone(action);
    if (copy.AuthenticateOidcConfig) delete copy.AuthenticateOidcConfig.UseExistingClientSecret;
    if (copy.Type === 'forward') {
      const tuples = copy.ForwardConfig?.TargetGroups ?? [];
      const arns = tuples.length > 0 ? tuples.map((t) => t.TargetGroupArn) : [copy.TargetGroupArn];
      return {
        ...copy,
        TargetGroupArn: undefined,
        ForwardConfig: { ...copy.ForwardConfig, TargetGroups: arns },
      };
    }
    return copy;
  });

describe('actionsWithWeights (properties)', () => {
  it('changes nothing but the weights of the target groups named in desired', () => {
    fc.assert(
      fc.property(withDesired, ({ actions, desired }) => {
        const before = structuredClone(actions);

        const written = actionsWithWeights(actions, desired);

        expect(actions).toEqual(before); // input untouched
        expect(skeleton(written)).toEqual(skeleton(actions));
        const fwd = written.at(-1) as Action;
        expect(forwardWeights(fwd)).toEqual({ ...forwardWeights(actions.at(-1) as Action), ...desired });
      }),
    );
  });

  it('sends a top-level TargetGroupArn only for a single-target-group forward', () => {
    fc.assert(
      fc.property(withDesired, ({ actions, desired }) => {
        const fwd = actionsWithWeights(actions, desired).at(-1) as Action;
        const tuples = fwd.ForwardConfig?.TargetGroups ?? [];
        if (tuples.length > 1) expect(fwd.TargetGroupArn).toBeUndefined();
        if (tuples.length === 1 && fwd.TargetGroupArn !== undefined) {
          expect(fwd.TargetGroupArn).toBe(tuples[0]?.TargetGroupArn);
        }
      }),
    );
  });

  it('asks AWS to keep the OIDC client secret only when the read config has none', () => {
    fc.assert(
      fc.property(withDesired, ({ actions, desired }) => {
        actionsWithWeights(actions, desired).forEach((action, i) => {
          const read = actions[i]?.AuthenticateOidcConfig;
          if (read === undefined) return;
          expect(action.AuthenticateOidcConfig?.UseExistingClientSecret).toBe(
            read.ClientSecret === undefined ? true : undefined,
          );
        });
      }),
    );
  });
});

describe('applyWeights (properties)', () => {
  it('either writes every changed route with only its weights changed, or on drift writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ live: weight, expected: weight, desired: weight }), {
          minLength: 1,
          maxLength: 6,
        }),
        async (cases) => {
          // Prepare: one two-target-group rule per case, live weights as generated.
          const [x, y] = [TGS[0] as string, TGS[1] as string];
          const rules = cases.map((c, i) =>
            hostRule(443, i + 1, `s${i}.example.com`, [
              {
                Type: 'forward',
                Order: 1,
                ForwardConfig: {
                  TargetGroups: [
                    { TargetGroupArn: x, Weight: c.live },
                    { TargetGroupArn: y, Weight: 1 },
                  ],
                  TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 60 },
                },
              },
            ]),
          );
          const { client, mock } = fakeElb([{ arn: listenerArn(443), port: 443, rules }]);
          const targets = [
            { targetGroupArn: x, cluster: 'blue' },
            { targetGroupArn: y, cluster: 'green' },
          ];
          const changes = cases.map((c, i) => ({
            route: route({ id: ruleArn(443, i + 1), targets }),
            expected: { [x]: c.expected, [y]: 1 } as Weights,
            desired: { [x]: c.desired, [y]: 1 } as Weights,
          }));
          const drifted = cases.some((c) => c.live !== c.desired && c.live !== c.expected);

          // Act
          const outcome = await applyWeights(changes, client).catch((e: unknown) => e);

          // Assert
          const sent = mock.commandCalls(ModifyRuleCommand).map((call) => call.args[0].input);
          if (drifted) {
            expect(outcome).toMatchObject({ name: 'DriftDetected' });
            expect(sent).toHaveLength(0);
            return;
          }
          expect(sent.map((input) => input.RuleArn)).toEqual(
            cases.flatMap((c, i) => (c.live === c.desired ? [] : [ruleArn(443, i + 1)])),
          );
          for (const input of sent) {
            const index = rules.findIndex((rule) => rule.RuleArn === input.RuleArn);
            expect(skeleton(input.Actions ?? [])).toEqual(skeleton(rules[index]?.Actions ?? []));
            expect(forwardWeights(input.Actions?.[0] as Action)).toEqual(changes[index]?.desired);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
