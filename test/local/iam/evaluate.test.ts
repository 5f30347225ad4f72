import fc from 'fast-check';
import { actionMatches, evaluate, globMatch, resourceMatches } from '../../../local/iam/evaluate';
import { InvalidPolicyError, parsePolicyDocument, type Statement } from '../../../local/iam/policy';

const RULE =
  'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/demo-public/19ed2effb6da7a13/abc/def';
const allow = (Action: unknown, Resource: unknown, extra: object = {}): Statement[] =>
  parsePolicyDocument({ Statement: [{ Effect: 'Allow', Action, Resource, ...extra }] }, 'test-policy');

describe('the IAM policy evaluator', () => {
  it('allows what an Allow statement names and implicitly denies everything else', () => {
    const statements = allow('elasticloadbalancing:ModifyRule', RULE);
    expect(evaluate(statements, { action: 'elasticloadbalancing:ModifyRule', resource: RULE }).effect).toBe(
      'Allow',
    );
    expect(
      evaluate(statements, { action: 'elasticloadbalancing:ModifyListener', resource: RULE }).effect,
    ).toBe('ImplicitDeny');
    expect(evaluate(statements, { action: 'elasticloadbalancing:ModifyRule', resource: '*' }).effect).toBe(
      'ImplicitDeny',
    );
  });

  it('lets an explicit Deny win over any Allow, in whatever order the statements come', () => {
    const statements = parsePolicyDocument(
      {
        Statement: [
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Effect: 'Deny', Action: 'elasticloadbalancing:Modify*', Resource: RULE },
        ],
      },
      'p',
    );
    for (const order of [statements, [...statements].reverse()]) {
      const decision = evaluate(order, { action: 'elasticloadbalancing:ModifyRule', resource: RULE });
      expect(decision.effect).toBe('ExplicitDeny');
    }
  });

  it('matches actions case-insensitively with * and ? wildcards', () => {
    expect(actionMatches('elasticloadbalancing:Describe*', 'ELASTICLOADBALANCING:describerules')).toBe(true);
    expect(actionMatches('states:?topExecution', 'states:StopExecution')).toBe(true);
    expect(actionMatches('states:?topExecution', 'states:StartExecution')).toBe(false);
    expect(actionMatches('*', 'sns:Publish')).toBe(true);
    expect(actionMatches('sns:*', 'sqs:SendMessage')).toBe(false);
  });

  it('matches resource ARNs segment by segment, case-sensitively, the resource part with its colons', () => {
    const executions = 'arn:aws:states:us-east-1:000000000000:execution:clustershift-demo:*';
    expect(
      resourceMatches(executions, 'arn:aws:states:us-east-1:000000000000:execution:clustershift-demo:run-1'),
    ).toBe(true);
    expect(resourceMatches(executions, 'arn:aws:states:us-east-1:000000000000:execution:other:run-1')).toBe(
      false,
    );
    expect(
      resourceMatches('arn:aws:sns:*:000000000000:topic', 'arn:aws:sns:eu-west-1:000000000000:topic'),
    ).toBe(true);
    // A wildcard in the region does not reach into the account.
    expect(resourceMatches('arn:aws:sns:*:topic', 'arn:aws:sns:eu-west-1:000000000000:topic')).toBe(false);
    expect(
      resourceMatches('arn:aws:sns:us-east-1:000000000000:Topic', 'arn:aws:sns:us-east-1:000000000000:topic'),
    ).toBe(false);
    const secret = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:demo/webhook-??????';
    expect(
      resourceMatches(secret, 'arn:aws:secretsmanager:us-east-1:000000000000:secret:demo/webhook-AbC123'),
    ).toBe(true);
    expect(
      resourceMatches(secret, 'arn:aws:secretsmanager:us-east-1:000000000000:secret:demo/webhook-AbC12'),
    ).toBe(false);
    expect(resourceMatches('*', RULE)).toBe(true);
  });

  it('applies NotAction and NotResource as "everything except"', () => {
    const statements = parsePolicyDocument(
      {
        Statement: [
          { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
          { Effect: 'Deny', Action: 'sns:Publish', NotResource: 'arn:aws:sns:us-east-1:000000000000:ours' },
        ],
      },
      'p',
    );
    expect(evaluate(statements, { action: 'iam:PassRole', resource: '*' }).effect).toBe('ImplicitDeny');
    expect(evaluate(statements, { action: 'states:StartExecution', resource: 'x' }).effect).toBe('Allow');
    expect(
      evaluate(statements, { action: 'sns:Publish', resource: 'arn:aws:sns:us-east-1:000000000000:ours' })
        .effect,
    ).toBe('Allow');
    expect(
      evaluate(statements, { action: 'sns:Publish', resource: 'arn:aws:sns:us-east-1:000000000000:theirs' })
        .effect,
    ).toBe('ExplicitDeny');
  });

  it('evaluates String and Arn conditions over the request context, a missing key failing a positive test', () => {
    const statements = allow('sns:Publish', '*', {
      Condition: { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } },
    });
    const request = { action: 'sns:Publish', resource: 'arn:aws:sns:us-east-1:0:t' };
    expect(evaluate(statements, { ...request, context: { 'aws:requestedregion': 'eu-west-1' } }).effect).toBe(
      'Allow',
    );
    expect(
      evaluate(statements, { ...request, context: { 'aws:RequestedRegion': 'ap-south-1' } }).effect,
    ).toBe('ImplicitDeny');
    expect(evaluate(statements, { ...request, context: {} }).effect).toBe('ImplicitDeny');
    const ifExists = allow('sns:Publish', '*', {
      Condition: { StringEqualsIfExists: { 'aws:RequestedRegion': 'us-east-1' } },
    });
    expect(evaluate(ifExists, { ...request, context: {} }).effect).toBe('Allow');
    const notLike = allow('sns:Publish', '*', {
      Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/x-*' } },
    });
    expect(
      evaluate(notLike, { ...request, context: { 'aws:PrincipalArn': 'arn:aws:iam::0:role/x-1' } }).effect,
    ).toBe('ImplicitDeny');
    expect(
      evaluate(notLike, { ...request, context: { 'aws:PrincipalArn': 'arn:aws:iam::0:role/y' } }).effect,
    ).toBe('Allow');
  });

  it('evaluates ForAllValues/ForAnyValue over a key the request gives one value for, and not over an absent one', () => {
    const statements = allow('dynamodb:PutItem', '*', {
      Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['pacer#a', 'pacer#b'] } },
    });
    const put = (context: Record<string, string>) =>
      evaluate(statements, { action: 'dynamodb:PutItem', resource: '*', context }).effect;
    expect(put({ 'dynamodb:LeadingKeys': 'pacer#b' })).toBe('Allow');
    expect(put({ 'dynamodb:LeadingKeys': 'fleet#prod' })).toBe('ImplicitDeny');
    // AWS would hold ForAllValues over an absent key; the twin cannot tell absent from unmodelled.
    expect(put({})).toBe('ImplicitDeny');
  });

  it('never widens access over a condition it cannot evaluate: such an Allow does not apply, such a Deny does', () => {
    const unsupported = { 'ForAnyValue:StringLike': { 'aws:TagKeys': 'x' } };
    const allowOnly = allow('sns:Publish', '*', { Condition: unsupported });
    expect(evaluate(allowOnly, { action: 'sns:Publish', resource: '*' }).effect).toBe('ImplicitDeny');
    const denied = parsePolicyDocument(
      {
        Statement: [
          { Effect: 'Allow', Action: '*', Resource: '*' },
          {
            Effect: 'Deny',
            Action: 'sns:Publish',
            Resource: '*',
            Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01' } },
          },
        ],
      },
      'p',
    );
    expect(evaluate(denied, { action: 'sns:Publish', resource: '*' }).effect).toBe('ExplicitDeny');
  });

  it('refuses a statement with neither or both of Action and NotAction, a bad Effect, or a Principal', () => {
    expect(() => parsePolicyDocument({ Statement: { Effect: 'Allow', Resource: '*' } }, 'p')).toThrow(
      InvalidPolicyError,
    );
    expect(() =>
      parsePolicyDocument(
        { Statement: { Effect: 'Allow', Action: 'a:b', NotAction: 'a:c', Resource: '*' } },
        'p',
      ),
    ).toThrow(/exactly one of Action and NotAction/);
    expect(() =>
      parsePolicyDocument({ Statement: { Effect: 'allow', Action: 'a:b', Resource: '*' } }, 'p'),
    ).toThrow(/Effect must be Allow or Deny/);
    expect(() =>
      parsePolicyDocument(
        { Statement: { Effect: 'Allow', Principal: '*', Action: 'a:b', Resource: '*' } },
        'p',
      ),
    ).toThrow(/no Principal/);
  });

  describe('properties', () => {
    const segment = fc.stringMatching(/^[a-zA-Z0-9/:_-]{0,12}$/);

    it('a pattern without wildcards matches exactly itself', () => {
      fc.assert(
        fc.property(segment, segment, (a, b) => {
          expect(globMatch(a, b)).toBe(a === b);
        }),
      );
    });

    it('a prefix followed by * matches every text with that prefix, and ? exactly one character', () => {
      fc.assert(
        fc.property(segment, segment, (prefix, rest) => {
          expect(globMatch(`${prefix}*`, prefix + rest)).toBe(true);
          expect(globMatch(`${prefix}?`, prefix + rest)).toBe(rest.length === 1);
        }),
      );
    });

    it('adding a Deny statement never turns a denial into an allow, and removing every Allow denies', () => {
      const action = fc.constantFrom(
        'sns:Publish',
        'states:StartExecution',
        'dynamodb:PutItem',
        'lambda:InvokeFunction',
      );
      const pattern = fc.constantFrom(
        '*',
        'sns:*',
        'states:Start*',
        'dynamodb:?utItem',
        'lambda:InvokeFunction',
      );
      const resource = fc.constantFrom(
        '*',
        'arn:aws:sns:us-east-1:0:t',
        'arn:aws:states:us-east-1:0:stateMachine:m',
      );
      const statement = fc.record({
        Effect: fc.constantFrom('Allow', 'Deny'),
        Action: fc.array(pattern, { minLength: 1, maxLength: 3 }),
        Resource: fc.array(resource, { minLength: 1, maxLength: 2 }),
      });
      fc.assert(
        fc.property(
          fc.array(statement, { minLength: 1, maxLength: 6 }),
          statement,
          action,
          resource,
          (list, extra, a, r) => {
            const before = evaluate(parsePolicyDocument({ Statement: list }, 'p'), {
              action: a,
              resource: r,
            });
            const withDeny = evaluate(
              parsePolicyDocument({ Statement: [...list, { ...extra, Effect: 'Deny' }] }, 'p'),
              {
                action: a,
                resource: r,
              },
            );
            if (before.effect !== 'Allow') expect(withDeny.effect).not.toBe('Allow');
            const denies = list.filter((item) => item.Effect === 'Deny');
            const onlyDenies = evaluate(
              parsePolicyDocument(
                { Statement: denies.length > 0 ? denies : [{ ...extra, Effect: 'Deny' }] },
                'p',
              ),
              {
                action: a,
                resource: r,
              },
            );
            expect(onlyDenies.effect).not.toBe('Allow');
          },
        ),
      );
    });
  });
});
