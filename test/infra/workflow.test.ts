import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { ClusterShift, HANDLER_NAMES, type HandlerName, placeholderFor } from '../../infra/cluster-shift';
import { placeholdersIn } from '../../infra/definition';
import type { ClusterShiftStack } from '../../infra/stack';
import {
  asArray,
  FIXTURE_ASL,
  fixtureProps,
  fleet,
  REPO_ROOT,
  type Synthesized,
  synthFleet,
  testApp,
} from './helpers';

/** `${Name}`, as the ASL writes a placeholder. */
const ph = (name: string): string => `\${${name}}`;

/** `{ Fn::GetAtt: [<logical id of the function>, Arn] }`, as the template refers to a function. */
const functionArn = (stack: ClusterShiftStack, name: HandlerName) => ({
  'Fn::GetAtt': [
    stack.getLogicalId(stack.clusterShift.functions[name].node.defaultChild as CfnElement),
    'Arn',
  ],
});

/** Renders a CloudFormation value to text, with every Lambda GetAtt Arn as a recognisable fake ARN. */
const render = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    const [[fn, args]] = Object.entries(value) as [[string, unknown]];
    if (fn === 'Fn::GetAtt') return `arn:aws:lambda:eu-west-1:123456789012:function:${(args as string[])[0]}`;
    if (fn === 'Ref') return `ref:${String(args)}`;
    if (fn === 'Fn::Join') {
      const [separator, parts] = args as [string, unknown[]];
      return parts.map(render).join(separator);
    }
  }
  throw new Error(`cannot render ${JSON.stringify(value)}`);
};

/** What CloudFormation does with DefinitionString + DefinitionSubstitutions. */
const deployedDefinition = (template: Template): string => {
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  const props = machine?.Properties as {
    DefinitionString: unknown;
    DefinitionSubstitutions?: Record<string, unknown>;
  };
  let text = render(props.DefinitionString);
  for (const [key, value] of Object.entries(props.DefinitionSubstitutions ?? {})) {
    text = text.split(`\${${key}}`).join(render(value));
  }
  return text;
};

/** FunctionName of every Task state, nested Map/Parallel states included. */
const taskFunctionNames = (node: unknown): string[] => {
  if (Array.isArray(node)) return node.flatMap(taskFunctionNames);
  if (node === null || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  const own =
    record.Type === 'Task' && typeof record.Parameters === 'object'
      ? [String((record.Parameters as Record<string, unknown>).FunctionName)]
      : [];
  return [...own, ...Object.values(record).flatMap(taskFunctionNames)];
};

describe('the shift workflow', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synthFleet();
  });

  it('is a Standard state machine with full logging (no execution data) and tracing', () => {
    // Prepare: synthesized once in beforeAll. Act + Assert:
    synthesized.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
      TracingConfiguration: { Enabled: true },
    });
  });

  it('leaves no placeholder once the substitutions are applied', () => {
    // Act
    const text = deployedDefinition(synthesized.template);

    // Assert
    expect(placeholdersIn(text)).toEqual([]);
    expect(() => JSON.parse(text)).not.toThrow();
  });

  it('points every Task at one of the eight functions, and reaches all of them', () => {
    // Prepare
    const { stack, template } = synthesized;
    const functionArns = HANDLER_NAMES.map((name) => render(functionArn(stack, name)));

    // Act
    const names = new Set(taskFunctionNames(JSON.parse(deployedDefinition(template))));

    // Assert
    expect(functionArns).toHaveLength(8);
    expect([...names].sort()).toEqual([...functionArns].sort());
  });

  it('calls Lambda through the stack partition (AWS::Partition), so the same template deploys in aws-cn and aws-us-gov', () => {
    // Act
    const [machine] = Object.values(synthesized.template.findResources('AWS::StepFunctions::StateMachine'));
    const substitutions = machine?.Properties.DefinitionSubstitutions as Record<string, unknown>;

    // Assert
    expect(render(substitutions.LambdaInvoke)).toBe('arn:ref:AWS::Partition:states:::lambda:invoke');
    expect(JSON.stringify(machine?.Properties)).not.toMatch(/arn:aws[a-z-]*:/);
  });

  it('maps each placeholder to its own function', () => {
    // Prepare
    const { stack, template } = synthesized;
    const substitutions = Object.fromEntries(
      HANDLER_NAMES.map((name) => [placeholderFor(name), functionArn(stack, name)]),
    );

    // Assert
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      DefinitionSubstitutions: substitutions,
    });
  });

  it('lets the workflow invoke exactly its eight functions', () => {
    // Prepare
    const { stack, template } = synthesized;
    const arns = HANDLER_NAMES.map((name) => JSON.stringify(functionArn(stack, name)));

    // Act
    const invokes = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[]).filter(
        (statement) => asArray(statement.Action).includes('lambda:InvokeFunction'),
      ),
    );

    // Assert
    expect(invokes).toHaveLength(1);
    expect(
      asArray(invokes[0]?.Resource)
        .map((resource) => JSON.stringify(resource))
        .sort(),
    ).toEqual(arns.sort());
  });
});

describe('checking the ASL placeholders at synth', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clustershift-asl-'));
  const fixture = readFileSync(FIXTURE_ASL, 'utf8');
  const attempt = (definition: string) => () => {
    const path = join(dir, `${Math.random().toString(36).slice(2)}.asl.json`);
    writeFileSync(path, definition);
    const stack = new Stack(testApp(), 'Test');
    new ClusterShift(stack, 'ClusterShift', { config: fleet(), ...fixtureProps({ definitionPath: path }) });
  };

  it('fails naming a placeholder that has no substitution', () => {
    // Prepare
    const definition = fixture.replace(ph('FinishFunctionArn'), ph('FinishFunctionArnTypo'));

    // Act + Assert
    expect(attempt(definition)).toThrow(/placeholder\(s\) with no substitution: \$\{FinishFunctionArnTypo\}/);
  });

  it('fails naming a substitution that the workflow never uses', () => {
    // Prepare: the VerifyDrained state calls finish instead, so ${VerifyDrainedFunctionArn} is never used.
    const definition = fixture.replaceAll(ph('VerifyDrainedFunctionArn'), ph('FinishFunctionArn'));

    // Act + Assert
    expect(attempt(definition)).toThrow(/never uses placeholder\(s\) \$\{VerifyDrainedFunctionArn\}/);
  });

  it('fails naming an ARN that hard-codes the aws partition, which would not deploy in aws-cn or aws-us-gov', () => {
    // Prepare
    const definition = fixture.replace(`"${ph('LambdaInvoke')}"`, '"arn:aws:states:::lambda:invoke"');

    // Act + Assert
    expect(attempt(definition)).toThrow(
      /hard-codes the aws partition in "arn:aws:states:::lambda:invoke": write the Lambda integration as "Resource": "\$\{LambdaInvoke\}"/,
    );
  });

  it('fails naming the file when the definition is not JSON', () => {
    expect(attempt('{ "StartAt": ')).toThrow(/is not valid JSON/);
  });

  it('fails naming the file when it does not exist', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Test');

    // Act + Assert
    expect(
      () =>
        new ClusterShift(stack, 'ClusterShift', {
          config: fleet(),
          ...fixtureProps({ definitionPath: join(dir, 'missing.asl.json') }),
        }),
    ).toThrow(/cannot read the state machine definition .*missing\.asl\.json/);
  });
});

describe('the real workflow and handlers, where they exist', () => {
  const realAsl = resolve(REPO_ROOT, 'statemachines', 'shift.asl.json');
  const present =
    existsSync(realAsl) &&
    HANDLER_NAMES.every((name) => existsSync(resolve(REPO_ROOT, 'functions', `${name}.ts`)));

  (present ? it : it.skip)('synthesize with the default paths: every placeholder known and used', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Test');

    // Act
    const shift = new ClusterShift(stack, 'ClusterShift', { config: fleet() });

    // Assert
    expect(placeholdersIn(readFileSync(realAsl, 'utf8')).sort()).toEqual(
      [...HANDLER_NAMES.map(placeholderFor), 'LambdaInvoke'].sort(),
    );
    expect(Object.keys(shift.functions)).toEqual([...HANDLER_NAMES]);
  });
});
