import { Template } from 'aws-cdk-lib/assertions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  environmentSize,
  finalEnvironment,
  LAMBDA_ENVIRONMENT_LIMIT_BYTES,
} from '../../infra/environment-size';
import { ClusterShiftStack } from '../../infra/stack';
import { fixtureProps, fleet, testApp } from './helpers';

const CHATOPS = {
  enabled: true,
  signingSecret: 'clustershift/slack-signing',
  channels: ['C0ONCALL'],
  users: [{ id: 'U0ALICE', commands: ['all'] }],
};

/** A stack for `config`, not yet synthesized (so that a test can add to it first). */
const stackFor = (overrides: Record<string, unknown> = {}) =>
  new ClusterShiftStack(testApp(), 'Test', { config: fleet(overrides), clusterShift: fixtureProps() });

/** Every function of the stack by handler name: the workflow's, the event handlers', the chat ones. */
const functionsOf = (stack: ClusterShiftStack): Record<string, lambda.Function> => {
  const shift = stack.clusterShift;
  return {
    ...shift.functions,
    ...shift.eventFunctions,
    ...(shift.chatOps === undefined ? {} : { chatops: shift.chatOps.handler, ...shift.chatOps.workers }),
  };
};

describe('measuring a Lambda environment', () => {
  it('counts the JSON of the whole map, as Lambda does: keys, quotes, separators and escapes', () => {
    // Prepare: a value that is itself JSON gains a backslash per quote
    const environment = { A: '{"b":1}', NAME: 'é' };

    // Act
    const size = environmentSize(environment);

    // Assert: {"A":"{\"b\":1}","NAME":"é"} is 29 bytes (é is two bytes in UTF-8)
    expect(size).toBe(Buffer.byteLength('{"A":"{\\"b\\":1}","NAME":"é"}', 'utf8'));
    expect(size).toBe(29);
  });
});

describe("each function's final environment", () => {
  it('is what the template holds, variable for variable, for every function (chat ones included)', () => {
    // Prepare
    const stack = stackFor({ chatops: CHATOPS });
    const template = Template.fromStack(stack);

    // Act + Assert
    for (const [name, fn] of Object.entries(functionsOf(stack))) {
      const logicalId = stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction);
      const variables = template.toJSON().Resources[logicalId].Properties.Environment.Variables;
      expect([name, Object.keys(finalEnvironment(fn)).sort()]).toEqual([name, Object.keys(variables).sort()]);
    }
  });

  it('counts a worker function name at 64 bytes (its longest) and the table name at 255', () => {
    // Prepare
    const stack = stackFor({ chatops: CHATOPS });
    const chatOps = stack.clusterShift.chatOps;

    // Act
    const chat = finalEnvironment(chatOps?.handler as lambda.Function);
    const worker = finalEnvironment(chatOps?.workers.act as lambda.Function);

    // Assert
    expect(chat.WORKER_FUNCTION_NAME).toHaveLength(64);
    expect(chat.TABLE_NAME).toHaveLength(255);
    expect(worker.STACK_NAME).toBe('Test');
  });

  it('fails synth naming the function and its size when a variable added after creation breaks the limit', () => {
    // Prepare
    const stack = stackFor();
    stack.clusterShift.functions.notify.addEnvironment('EXTRA', 'x'.repeat(3900));

    // Act + Assert
    expect(() => Template.fromStack(stack)).toThrow(
      /the environment of function notify \(Test\/ClusterShift\/NotifyFunction\) is \d{4} bytes as Lambda measures it .*over Lambda's limit of 4096 bytes; largest: EXTRA 3902, TABLE_NAME 257, .*The fleet config is not in it/,
    );
  });

  it("fails synth naming the chat functions when their own variables push over what fits the workflow's functions", () => {
    // Prepare: the same padding in every function brings prepare to 4,000 bytes; the chat endpoint
    // adds three function names, the workers a state machine ARN and the stack name
    const stack = stackFor({ chatops: CHATOPS });
    const functions = Object.values(functionsOf(stack));
    const pad =
      LAMBDA_ENVIRONMENT_LIMIT_BYTES -
      96 -
      environmentSize(finalEnvironment(stack.clusterShift.functions.prepare));
    for (const fn of functions) fn.addEnvironment('PAD', 'p'.repeat(pad - ',"PAD":""'.length));
    const sizes = Object.fromEntries(
      Object.entries(functionsOf(stack)).map(([name, fn]) => [name, environmentSize(finalEnvironment(fn))]),
    );

    // Act + Assert
    expect(sizes.prepare).toBe(LAMBDA_ENVIRONMENT_LIMIT_BYTES - 96);
    expect(sizes.chatops).toBeGreaterThan(LAMBDA_ENVIRONMENT_LIMIT_BYTES);
    expect(() => Template.fromStack(stack)).toThrow(
      new RegExp(
        `the environment of function chatops \\(Test/ClusterShift/ChatOps/ChatopsFunction\\) is ${sizes.chatops} bytes`,
      ),
    );
    expect(() => Template.fromStack(stack)).not.toThrow(/function prepare /);
  });
});
