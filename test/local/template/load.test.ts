import { join } from 'node:path';
import type { FleetConfig } from '../../../core/config';
import { CHAT_HANDLER_NAMES, EVENT_HANDLER_NAMES, HANDLER_NAMES, pascalCase } from '../../../infra/handlers';
import { TwinError } from '../../../local/errors';
import { loadTemplate } from '../../../local/template/load';
import type { DeployPlan } from '../../../local/template/plan';
import { exampleConfig, REPO_ROOT, synthTemplate } from './synth';

const OPTIONS = {
  region: 'eu-west-1',
  accountId: '123456789012',
  stackName: 'Twin',
  templateDir: '/tmp/cdk.out',
};

/** Every FunctionName the Task states of an ASL definition call. */
const calledFunctions = (definition: unknown): string[] => {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'FunctionName' && typeof child === 'string') found.push(child);
        visit(child);
      }
    }
  };
  visit(definition);
  return found;
};

describe('loading the synthesized ClusterShift template', () => {
  let config: FleetConfig;
  let stackName: string;
  let template: Record<string, unknown>;
  let plan: DeployPlan;

  beforeAll(() => {
    config = exampleConfig();
    ({ stackName, template } = synthTemplate(config));
    plan = loadTemplate(template, { ...OPTIONS, stackName });
  }, 120_000);

  it('plans one function per handler, from its asset folder, with its handler, timeout, memory and log group', () => {
    // The example config enables chatops: its two functions are in the stack too.
    expect(plan.functions).toHaveLength(
      HANDLER_NAMES.length + EVENT_HANDLER_NAMES.length + CHAT_HANDLER_NAMES.length,
    );
    for (const fn of plan.functions) {
      expect(fn.handler).toBe('index.handler');
      // Bundling is skipped in tests, so the asset folder is the source folder of the handlers.
      expect(fn.codeDir).toBe(join(REPO_ROOT, 'functions'));
      expect(fn.memoryMb).toBe(256);
      expect([10, 30, 60, 120, 300]).toContain(fn.timeoutSeconds);
      expect(fn.name.length).toBeLessThanOrEqual(64);
      expect(fn.arn).toBe(`arn:aws:lambda:eu-west-1:123456789012:function:${fn.name}`);
      expect(fn.logGroupName).toMatch(new RegExp(`^${stackName}-ClusterShift\\w+Logs`));
    }
    expect(
      plan.functions.find((fn) => fn.logicalId.startsWith('ClusterShiftPrepareFunction'))?.timeoutSeconds,
    ).toBe(300);
  });

  it("gives every function the name of its fleet config file and the planned table's name", () => {
    const [table] = plan.tables;
    for (const fn of plan.functions) {
      // The config itself is in the function's asset folder (codeDir), written by the bundling.
      expect(fn.environment.FLEET_CONFIG_FILE).toBe('fleet-config.json');
      expect(fn.environment.FLEET_CONFIG).toBeUndefined();
      expect(fn.environment.TABLE_NAME).toBe(table?.name);
      expect(fn.environment.POWERTOOLS_SERVICE_NAME).toBe('clustershift');
    }
  });

  it("applies the definition substitutions: the workflow calls exactly the planned functions' ARNs", () => {
    const [machine] = plan.stateMachines;
    expect(plan.stateMachines).toHaveLength(1);
    expect(machine?.definition).not.toContain('${');
    const called = new Set(calledFunctions(JSON.parse(machine?.definition ?? '{}')));
    // Every function but the ones EventBridge rules invoke (execution-ended) and the chat ones.
    const workflowFunctions = plan.functions.filter((fn) =>
      HANDLER_NAMES.some((name) => fn.logicalId.startsWith(`ClusterShift${pascalCase(name)}Function`)),
    );
    expect(called).toEqual(new Set(workflowFunctions.map((fn) => fn.arn)));
    expect(machine?.type).toBe('STANDARD');
    expect(machine?.roleArn).toMatch(/^arn:aws:iam::123456789012:role\/.+/);
  });

  it('plans the table with its keys, on-demand billing, TTL attribute and point-in-time recovery', () => {
    expect(plan.tables).toEqual([
      expect.objectContaining({
        keySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        attributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        billingMode: 'PAY_PER_REQUEST',
        ttlAttribute: 'ttl',
        pointInTimeRecovery: true,
      }),
    ]);
  });

  it('resolves the outputs the CLI looks up to the state machine ARN and the table name', () => {
    expect(plan.stackName).toBe(stackName);
    expect(plan.outputs).toEqual({
      StateMachineArn: plan.stateMachines[0]?.arn,
      TableName: plan.tables[0]?.name,
      ChatOpsUrl: plan.httpApis[0]?.endpoint,
    });
    expect(plan.outputs.StateMachineArn).toMatch(/^arn:aws:states:eu-west-1:123456789012:stateMachine:/);
  });

  it('lists the log group and resource policy resources as ignored, each with its reason', () => {
    const types = new Set(plan.ignored.map((resource) => resource.type));
    // `cdk synth` adds AWS::CDK::Metadata too; an in-process synth has no CLI to report to.
    expect(types).toEqual(
      new Set([
        'AWS::Logs::LogGroup',
        'AWS::Lambda::Permission',
        'AWS::SQS::QueuePolicy',
        'AWS::ApiGatewayV2::Stage',
        'AWS::CloudWatch::Dashboard',
        'AWS::Lambda::EventInvokeConfig',
      ]),
    );
    for (const resource of plan.ignored) expect(resource.reason.length).toBeGreaterThan(10);
    const resources = Object.keys(template.Resources as object).length;
    // An HTTP API is served from three kinds of resource: the API, its routes and their integrations.
    const served = Object.values(template.Resources as Record<string, { Type: string }>).filter((r) =>
      ['AWS::ApiGatewayV2::Api', 'AWS::ApiGatewayV2::Route', 'AWS::ApiGatewayV2::Integration'].includes(
        r.Type,
      ),
    ).length;
    // Roles are planned one each; their policies are folded into them.
    const policies = Object.values(template.Resources as Record<string, { Type: string }>).filter(
      (r) => r.Type === 'AWS::IAM::Policy',
    ).length;
    expect(
      served +
        plan.roles.length +
        policies +
        plan.ignored.length +
        plan.functions.length +
        plan.stateMachines.length +
        plan.tables.length +
        plan.rules.length +
        plan.queues.length,
    ).toBe(resources);
  });

  it("gives every function its execution role, with the statements of the role's attached policies", () => {
    const rolesByArn = new Map(plan.roles.map((role) => [role.arn, role]));
    for (const fn of plan.functions) {
      expect(fn.roleArn).toMatch(/^arn:aws:iam::123456789012:role\//);
      expect(rolesByArn.has(fn.roleArn ?? '')).toBe(true);
    }
    const applyStep = plan.functions.find((fn) => fn.logicalId.includes('ApplyStep'));
    const statements = rolesByArn.get(applyStep?.roleArn ?? '')?.statements ?? [];
    const modifyRule = statements.find((statement) =>
      statement.actions?.includes('elasticloadbalancing:ModifyRule'),
    );
    expect(modifyRule?.effect).toBe('Allow');
    // Resolved from intrinsics, attached from an AWS::IAM::Policy resource.
    expect(modifyRule?.resources?.every((resource) => resource.startsWith('arn:'))).toBe(true);
    expect(modifyRule?.policy).toMatch(/ApplyStepRoleDefaultPolicy/);
  });

  it("keeps the failover rules' RoleArn and the state machine's role, both roles of the template", () => {
    const roleArns = new Set(plan.roles.map((role) => role.arn));
    const machineRole = plan.stateMachines[0]?.roleArn ?? '';
    expect(roleArns.has(machineRole)).toBe(true);
    const ruleRoles = plan.rules.flatMap((rule) => rule.targets.flatMap((target) => target.RoleArn ?? []));
    expect(ruleRoles.length).toBeGreaterThan(0);
    for (const roleArn of ruleRoles) expect(roleArns.has(roleArn)).toBe(true);
  });

  it('names resources the same on every load, and differently in another stack', () => {
    // Act
    const again = loadTemplate(template, { ...OPTIONS, stackName });
    const other = loadTemplate(template, { ...OPTIONS, stackName: 'Other' });

    // Assert
    expect(again.tables[0]?.name).toBe(plan.tables[0]?.name);
    expect(again.functions.map((fn) => fn.name)).toEqual(plan.functions.map((fn) => fn.name));
    expect(other.tables[0]?.name).not.toBe(plan.tables[0]?.name);
    expect(other.tables[0]?.name).toMatch(/^Other-ClusterShiftTable\w+-[A-Z2-7]{12}$/);
  });
});

const asset = { 'aws:asset:path': 'asset.0123' };
const fnResource = (properties: Record<string, unknown> = {}, metadata: Record<string, unknown> = asset) => ({
  Type: 'AWS::Lambda::Function',
  Properties: {
    Runtime: 'nodejs22.x',
    Handler: 'index.handler',
    Code: { S3Bucket: 'b', S3Key: 'k.zip' },
    ...properties,
  },
  Metadata: metadata,
});
const load = (resources: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  loadTemplate({ Resources: resources, ...extra }, OPTIONS);
const thrown = (act: () => unknown): TwinError => {
  try {
    act();
  } catch (error) {
    if (error instanceof TwinError) return error;
    throw error;
  }
  throw new Error('expected a TwinError, nothing was thrown');
};

describe('loading crafted templates', () => {
  it('refuses a resource type the twin does not run, naming the logical id and the type', () => {
    const error = thrown(() => load({ Fn: fnResource(), MyVpc: { Type: 'AWS::EC2::VPC', Properties: {} } }));

    expect(error.code).toBe('ValidationError');
    expect(error.message).toMatch(/^UnsupportedResource: MyVpc \(AWS::EC2::VPC\)/);
  });

  it('refuses an intrinsic it does not resolve, naming it and the resource', () => {
    const resources = {
      Fn: fnResource({ Environment: { Variables: { X: { 'Fn::ImportValue': 'shared' } } } }),
    };

    expect(() => load(resources)).toThrow(/^UnsupportedIntrinsic: Fn::ImportValue in Fn;/);
  });

  it('refuses Fn::If and a Conditions section: the twin evaluates no conditions', () => {
    const withIf = { Fn: fnResource({ Timeout: { 'Fn::If': ['Long', 300, 60] } }) };

    expect(() => load(withIf)).toThrow(/^UnsupportedIntrinsic: Fn::If in Fn/);
    expect(() => load({ Fn: fnResource() }, { Conditions: { Long: { 'Fn::Equals': ['a', 'a'] } } })).toThrow(
      /^UnsupportedFeature: the template's Conditions section/,
    );
  });

  it('refuses a Ref or Fn::GetAtt to nothing, and an attribute it does not know', () => {
    expect(() => load({ Fn: fnResource({ Role: { Ref: 'Missing' } }) })).toThrow(
      /^UnresolvedReference: Ref Missing in Fn/,
    );
    expect(() => load({ Fn: fnResource({ Role: { 'Fn::GetAtt': ['Missing', 'Arn'] } }) })).toThrow(
      /^UnresolvedReference: Fn::GetAtt Missing.Arn in Fn/,
    );
    expect(() => load({ Fn: fnResource({ Role: { 'Fn::GetAtt': 'Fn.SnapStartResponse' } }) })).toThrow(
      /^UnsupportedAttribute: Fn::GetAtt Fn.SnapStartResponse \(AWS::Lambda::Function\) in Fn; the twin knows Arn/,
    );
  });

  it('refuses what is not a template: not an object, no resources, a resource without a type', () => {
    expect(() => loadTemplate([] as unknown as object, OPTIONS)).toThrow(
      /^InvalidTemplate: the template must be a JSON object/,
    );
    expect(() => loadTemplate({}, OPTIONS)).toThrow(
      /^InvalidTemplate: the template must have a Resources section/,
    );
    expect(() => load({})).toThrow(/Resources section with at least one resource/);
    expect(() => load({ Thing: { Properties: {} } })).toThrow(
      /^InvalidTemplate: resource Thing must be an object with a Type/,
    );
  });

  it('refuses a function it cannot run: no CDK asset, or not Node.js', () => {
    expect(() => load({ Fn: fnResource({}, {}) })).toThrow(
      /^UnsupportedCode: Fn \(AWS::Lambda::Function\) has no aws:asset:path/,
    );
    expect(() => load({ Fn: fnResource({ Runtime: 'python3.12' }) })).toThrow(
      /^UnsupportedRuntime: Fn .* runs python3.12/,
    );
  });

  it('refuses a table whose key schema it cannot read, naming the table and the property', () => {
    const table = {
      Type: 'AWS::DynamoDB::Table',
      Properties: { KeySchema: [{ AttributeName: 'pk', KeyType: 'SIDEWAYS' }] },
    };

    expect(() => load({ T: table })).toThrow(
      /^InvalidProperties: T \(AWS::DynamoDB::Table\): KeySchema\.0\.KeyType: .*AttributeDefinitions/,
    );
  });

  /** `${name}` as CloudFormation and ASL write it (built, so it is not mistaken for a template literal). */
  const ref = (name: string): string => `\${${name}}`;

  it('resolves Fn::Sub (both forms), Fn::Join, Fn::Select, Fn::Split and the pseudo parameters', () => {
    const variables = {
      SUB: {
        'Fn::Sub': [
          'AWS::StackName',
          'AWS::Region',
          'AWS::AccountId',
          'AWS::Partition',
          'AWS::URLSuffix',
          '!Literal',
        ]
          .map(ref)
          .join('/'),
      },
      SUB_VARS: {
        'Fn::Sub': [`${ref('Greeting')}, ${ref('Fn')}`, { Greeting: { 'Fn::Join': ['', ['hel', 'lo']] } }],
      },
      SUB_ATT: { 'Fn::Sub': ref('Fn.Arn') },
      JOIN: { 'Fn::Join': ['-', ['a', { Ref: 'AWS::Region' }, 'b']] },
      SELECT: { 'Fn::Select': ['1', { 'Fn::Split': [',', 'x,y,z'] }] },
      STACK_ID: { Ref: 'AWS::StackId' },
    };

    // Act
    const plan = load({
      Fn: fnResource({ FunctionName: 'given-name', Environment: { Variables: variables } }),
    });

    // Assert
    const environment = plan.functions[0]?.environment;
    expect(environment).toEqual({
      SUB: `Twin/eu-west-1/123456789012/aws/amazonaws.com/${ref('Literal')}`,
      SUB_VARS: 'hello, given-name',
      SUB_ATT: 'arn:aws:lambda:eu-west-1:123456789012:function:given-name',
      JOIN: 'a-eu-west-1-b',
      SELECT: 'y',
      STACK_ID: expect.stringMatching(
        /^arn:aws:cloudformation:eu-west-1:123456789012:stack\/Twin\/[0-9a-f-]{36}$/,
      ),
    });
  });

  it('drops a property set to AWS::NoValue, so its default applies', () => {
    const plan = load({ Fn: fnResource({ Timeout: { Ref: 'AWS::NoValue' }, MemorySize: 512 }) });

    expect(plan.functions[0]).toMatchObject({ timeoutSeconds: 3, memoryMb: 512 });
  });

  it("uses a resource's given name and resolves the asset path against the template's folder", () => {
    const plan = load({ Fn: fnResource({ FunctionName: 'my-fn' }) });

    expect(plan.functions[0]).toMatchObject({
      name: 'my-fn',
      arn: 'arn:aws:lambda:eu-west-1:123456789012:function:my-fn',
      codeDir: join('/tmp/cdk.out', 'asset.0123'),
    });
    expect(plan.functions[0]?.logGroupName).toBeUndefined();
  });

  it('takes parameter values from the loader, else their defaults, and refuses an SSM parameter without one', () => {
    const parameters = {
      Level: { Type: 'String', Default: 'INFO' },
      Zones: { Type: 'CommaDelimitedList', Default: 'a,b' },
      Version: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/version' },
    };
    const variables = { LEVEL: { Ref: 'Level' }, ZONE: { 'Fn::Select': [1, { Ref: 'Zones' }] } };
    const resources = { Fn: fnResource({ Environment: { Variables: variables } }) };

    // Act
    const byDefault = loadTemplate({ Resources: resources, Parameters: parameters }, OPTIONS);
    const given = loadTemplate(
      { Resources: resources, Parameters: parameters },
      { ...OPTIONS, parameters: { Level: 'DEBUG' } },
    );

    // Assert
    expect(byDefault.functions[0]?.environment).toEqual({ LEVEL: 'INFO', ZONE: 'b' });
    expect(given.functions[0]?.environment.LEVEL).toBe('DEBUG');
    const ssm = { Fn: fnResource({ Environment: { Variables: { V: { Ref: 'Version' } } } }) };
    expect(() => loadTemplate({ Resources: ssm, Parameters: parameters }, OPTIONS)).toThrow(
      /^UnresolvedParameter: Version \(AWS::SSM::Parameter::Value<String>\) referenced in Fn/,
    );
  });

  it('reads a state machine given as a Definition object, leaving placeholders without a substitution as written', () => {
    const machine = {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        StateMachineName: 'flow',
        Definition: {
          StartAt: 'P',
          States: { P: { Type: 'Pass', Result: `${ref('Known')} ${ref('Unknown')}`, End: true } },
        },
        DefinitionSubstitutions: { Known: { 'Fn::GetAtt': ['Fn', 'Arn'] } },
      },
    };

    const plan = load({ Fn: fnResource({ FunctionName: 'f' }), Flow: machine });

    expect(plan.stateMachines[0]).toMatchObject({
      name: 'flow',
      arn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:flow',
      type: 'STANDARD',
    });
    expect(JSON.parse(plan.stateMachines[0]?.definition ?? '{}').States.P.Result).toBe(
      `arn:aws:lambda:eu-west-1:123456789012:function:f ${ref('Unknown')}`,
    );
  });

  it('accepts CDK metadata and SNS topics without running them, plans SQS queues, and resolves their references', () => {
    const plan = load({
      CDKMetadata: { Type: 'AWS::CDK::Metadata', Properties: { Analytics: 'v2:deflate64:…' } },
      Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts' } },
      Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
      Fn: fnResource({
        Environment: { Variables: { TOPIC: { Ref: 'Topic' }, QUEUE: { 'Fn::GetAtt': ['Queue', 'Arn'] } } },
      }),
    });

    expect(plan.ignored.map((resource) => resource.type)).toEqual(['AWS::CDK::Metadata', 'AWS::SNS::Topic']);
    expect(plan.queues).toHaveLength(1);
    expect(plan.functions[0]?.environment).toEqual({
      TOPIC: 'arn:aws:sns:eu-west-1:123456789012:alerts',
      QUEUE: expect.stringMatching(/^arn:aws:sqs:eu-west-1:123456789012:Twin-Queue-[A-Z2-7]{12}$/),
    });
  });
});
