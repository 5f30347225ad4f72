import { TwinError } from '../../../local/errors';
import { actionRequests, lambdaInvokeResource } from '../../../local/iam/actions';
import { IamAuthority } from '../../../local/iam/authority';
import { accessKeyIdOf } from '../../../local/iam/identity';
import { parsePolicyDocument } from '../../../local/iam/policy';
import type { RolePlan } from '../../../local/iam/roles';

const ACCOUNT = '000000000000';
const CONTEXT = { partition: 'aws', region: 'us-east-1', accountId: ACCOUNT };
const LB = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}`;
const RULE = `${LB}:listener-rule/app/demo/1/2/3`;
const LISTENER = `${LB}:listener/app/demo/1/2`;
const APPLY_ROLE: RolePlan = {
  logicalId: 'ApplyRole',
  name: 'apply-role',
  arn: `arn:aws:iam::${ACCOUNT}:role/apply-role`,
  unmodelledPolicies: [],
  statements: parsePolicyDocument(
    {
      Statement: [
        { Effect: 'Allow', Action: 'elasticloadbalancing:Describe*', Resource: '*' },
        {
          Effect: 'Allow',
          Action: 'elasticloadbalancing:ModifyListener',
          Resource: `${LB}:listener/app/demo/1/*`,
        },
        {
          Effect: 'Allow',
          Action: 'dynamodb:*Item',
          Resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/t`,
        },
        { Effect: 'Deny', Action: 'sns:Publish', Resource: '*' },
      ],
    },
    'ApplyPolicy',
  ),
};
const APPLY = { roleArn: APPLY_ROLE.arn, sessionName: 'apply-step' };
const signedBy = (key: string) =>
  `AWS4-HMAC-SHA256 Credential=${key}/20260101/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=0`;

const denial = (work: () => void): TwinError => {
  try {
    work();
  } catch (error) {
    if (error instanceof TwinError) return error;
    throw error;
  }
  throw new Error('expected an IAM denial');
};

describe('IAM on the twin: who calls, what AWS checks, how it answers', () => {
  let iam: IamAuthority;
  beforeEach(() => {
    iam = new IamAuthority({ region: 'us-east-1', accountId: ACCOUNT });
    iam.deploy([APPLY_ROLE], [APPLY]);
  });

  it("denies a function's ModifyRule its role does not grant, in ELBv2's words, naming role, session, action and rule", () => {
    const error = denial(() =>
      iam.authorizeCall(signedBy(accessKeyIdOf(APPLY)), 'elbv2', 'ModifyRule', { RuleArn: RULE }),
    );
    expect(error.code).toBe('AccessDenied');
    expect(error.status).toBe(403);
    expect(error.message).toBe(
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/apply-role/apply-step is not authorized to perform: ` +
        `elasticloadbalancing:ModifyRule on resource: ${RULE} because no identity-based policy allows the ` +
        'elasticloadbalancing:ModifyRule action',
    );
    expect(iam.summary().denials).toEqual([
      expect.objectContaining({
        action: 'elasticloadbalancing:ModifyRule',
        resource: RULE,
        effect: 'ImplicitDeny',
      }),
    ]);
  });

  it('allows what the role grants: Describe* on *, ModifyListener on its listeners', () => {
    const key = signedBy(accessKeyIdOf(APPLY));
    expect(() => iam.authorizeCall(key, 'elbv2', 'DescribeRules', { ListenerArn: LISTENER })).not.toThrow();
    expect(() => iam.authorizeCall(key, 'elbv2', 'ModifyListener', { ListenerArn: LISTENER })).not.toThrow();
    expect(() => iam.authorizeCall(key, 'dynamodb', 'PutItem', { TableName: 't', Item: {} })).not.toThrow();
  });

  it('lets a role write only the partition its dynamodb:LeadingKeys condition names', () => {
    const reader: RolePlan = {
      logicalId: 'ReaderRole',
      name: 'reader-role',
      arn: `arn:aws:iam::${ACCOUNT}:role/reader-role`,
      unmodelledPolicies: [],
      statements: parsePolicyDocument(
        {
          Statement: [
            {
              Effect: 'Allow',
              Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
              Resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/t`,
              Condition: {
                'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['pacer#elbv2#us-east-1'] },
              },
            },
          ],
        },
        'ReaderPolicy',
      ),
    };
    const principal = { roleArn: reader.arn, sessionName: 'chatops-status' };
    iam.deploy([reader], [principal], [{ name: 't', partitionKey: 'pk' }]);
    const key = signedBy(accessKeyIdOf(principal));
    const put = (pk: string) => () =>
      iam.authorizeCall(key, 'dynamodb', 'PutItem', {
        TableName: 't',
        Item: { pk: { S: pk }, sk: { S: 'x' } },
      });

    expect(put('pacer#elbv2#us-east-1')).not.toThrow();
    expect(() =>
      iam.authorizeCall(key, 'dynamodb', 'GetItem', {
        TableName: 't',
        Key: { pk: { S: 'pacer#elbv2#us-east-1' }, sk: { S: 'describe' } },
      }),
    ).not.toThrow();
    expect(denial(put('fleet#prod')).message).toContain('dynamodb:PutItem');
    // A call without a partition key the twin can tell (a Query) is not allowed by such a condition.
    expect(denial(() => iam.authorizeCall(key, 'dynamodb', 'Query', { TableName: 't' })).code).toBe(
      'AccessDeniedException',
    );
  });

  it("answers in each service's protocol: AccessDeniedException 400 (JSON), 403 (Lambda), SNS's AuthorizationError", () => {
    const key = signedBy(accessKeyIdOf(APPLY));
    const dynamo = denial(() =>
      iam.authorizeCall(key, 'dynamodb', 'Query', { TableName: 't', IndexName: 'byTime' }),
    );
    expect([dynamo.code, dynamo.status]).toEqual(['AccessDeniedException', 400]);
    expect(dynamo.message).toContain(
      `on resource: arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/t/index/byTime`,
    );
    const sfn = denial(() =>
      iam.authorizeCall(key, 'sfn', 'StartExecution', {
        stateMachineArn: 'arn:aws:states:us-east-1:0:stateMachine:m',
      }),
    );
    expect([sfn.code, sfn.status]).toEqual(['AccessDeniedException', 400]);
    const lambda = denial(() =>
      iam.authorizeCall(key, 'lambda', 'Invoke', { path: '/2015-03-31/functions/worker/invocations' }),
    );
    expect([lambda.code, lambda.status]).toEqual(['AccessDeniedException', 403]);
    expect(lambda.message).toContain(
      `lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:${ACCOUNT}:function:worker`,
    );
    const sns = denial(() =>
      iam.authorizeCall(key, 'sns', 'Publish', { TopicArn: 'arn:aws:sns:us-east-1:0:t' }),
    );
    expect([sns.code, sns.status]).toEqual(['AuthorizationError', 403]);
    expect(sns.message).toContain('SNS:Publish on resource: arn:aws:sns:us-east-1:0:t with an explicit deny');
    const cloudwatch = denial(() => iam.authorizeCall(key, 'cloudwatch', 'GetMetricData', {}));
    expect([cloudwatch.code, cloudwatch.status]).toEqual(['AccessDenied', 403]);
    // No resource-level permissions: the message names none.
    expect(cloudwatch.message).toContain(
      'perform: cloudwatch:GetMetricData because no identity-based policy',
    );
  });

  it('lets the operator (any key the twin did not issue) and GetCallerIdentity through, and everything when IAM is off', () => {
    expect(() =>
      iam.authorizeCall(signedBy('AKIAOPERATOR'), 'elbv2', 'ModifyRule', { RuleArn: RULE }),
    ).not.toThrow();
    expect(() => iam.authorizeCall(undefined, 'sns', 'Publish', { TopicArn: 't' })).not.toThrow();
    expect(() =>
      iam.authorizeCall(signedBy(accessKeyIdOf(APPLY)), 'sts', 'GetCallerIdentity', {}),
    ).not.toThrow();
    iam.setEnabled(false);
    expect(() =>
      iam.authorizeCall(signedBy(accessKeyIdOf(APPLY)), 'elbv2', 'ModifyRule', { RuleArn: RULE }),
    ).not.toThrow();
  });

  it('decides again after a deploy changes the role (no stale cached decision)', () => {
    const key = signedBy(accessKeyIdOf(APPLY));
    expect(() => iam.authorizeCall(key, 'elbv2', 'ModifyRule', { RuleArn: RULE })).toThrow(TwinError);
    const widened: RolePlan = {
      ...APPLY_ROLE,
      statements: [
        ...APPLY_ROLE.statements,
        ...parsePolicyDocument(
          {
            Statement: {
              Effect: 'Allow',
              Action: 'elasticloadbalancing:ModifyRule',
              Resource: `${LB}:listener-rule/app/demo/*`,
            },
          },
          'More',
        ),
      ],
    };
    iam.deploy([widened], [APPLY]);
    expect(() => iam.authorizeCall(key, 'elbv2', 'ModifyRule', { RuleArn: RULE })).not.toThrow();
  });

  it('maps each operation to the resources AWS authorizes', () => {
    expect(actionRequests('sfn', 'DescribeExecution', { executionArn: 'arn:e' }, CONTEXT)).toEqual([
      { action: 'states:DescribeExecution', resource: 'arn:e' },
    ]);
    expect(actionRequests('cloudwatch', 'DescribeAlarms', { AlarmNames: ['a'] }, CONTEXT)).toEqual([
      { action: 'cloudwatch:DescribeAlarms', resource: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:*` },
    ]);
    expect(
      actionRequests(
        'dynamodb',
        'TransactWriteItems',
        { TransactItems: [{ Put: { TableName: 'a' } }, { ConditionCheck: { TableName: 'b' } }] },
        CONTEXT,
      ),
    ).toEqual([
      { action: 'dynamodb:PutItem', resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/a` },
      { action: 'dynamodb:ConditionCheckItem', resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/b` },
    ]);
    expect(actionRequests('events', 'PutEvents', { Entries: [{}] }, CONTEXT)).toEqual([
      { action: 'events:PutEvents', resource: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default` },
    ]);
    expect(
      actionRequests(
        'secretsmanager',
        'GetSecretValue',
        { SecretId: 'demo/hook' },
        { ...CONTEXT, secretArn: (id) => `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${id}-AbCdEf` },
      ),
    ).toEqual([
      {
        action: 'secretsmanager:GetSecretValue',
        resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:demo/hook-AbCdEf`,
      },
    ]);
    expect(
      lambdaInvokeResource(
        '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A0%3Afunction%3Aw/invocations?Qualifier=live',
        CONTEXT,
      ),
    ).toBe('arn:aws:lambda:us-east-1:0:function:w:live');
  });
});
