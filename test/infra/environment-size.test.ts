import { Template } from 'aws-cdk-lib/assertions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  environmentSize,
  finalEnvironment,
  LAMBDA_ENVIRONMENT_LIMIT_BYTES,
} from '../../infra/environment-size';
import { ClusterShiftStack } from '../../infra/stack';
import { fixtureProps, fleet, fleetInput, testApp } from './helpers';

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

/** Gate alarms whose names bring the shared environment to `target` bytes, as Lambda measures it. */
const gateAlarmsFilling = (target: number): string[] => {
  const base = environmentSize({
    FLEET_CONFIG: JSON.stringify(fleet({ chatops: CHATOPS })),
    TABLE_NAME: 'x'.repeat(255),
    POWERTOOLS_SERVICE_NAME: 'clustershift',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    NODE_OPTIONS: '--enable-source-maps',
  });
  // Each name costs its length plus `"",` in the list (the list itself exists already).
  let room = target - base;
  const names: string[] = [];
  for (let n = 0; room > 8; n += 1) {
    const length = Math.min(200, room - 3);
    names.push(`pad-${n}-${'a'.repeat(length - `pad-${n}-`.length)}`);
    room -= length + 3;
  }
  return [...(fleetInput().gateAlarms as string[]), ...names];
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
    stack.clusterShift.functions.notify.addEnvironment('EXTRA', 'x'.repeat(3000));

    // Act + Assert
    expect(() => Template.fromStack(stack)).toThrow(
      /the environment of function notify \(Test\/ClusterShift\/NotifyFunction\) is \d{4} bytes as Lambda measures it .*over Lambda's limit of 4096 bytes; largest: EXTRA 3002, FLEET_CONFIG/,
    );
  });

  it("fails synth naming the chat functions when their own variables push over a config that fits the workflow's functions", () => {
    // Prepare: the shared variables take 4,000 bytes; the chat endpoint adds three function names,
    // the workers a state machine ARN and the stack name
    const gateAlarms = gateAlarmsFilling(LAMBDA_ENVIRONMENT_LIMIT_BYTES - 96);
    const stack = stackFor({ chatops: CHATOPS, gateAlarms });
    const sizes = Object.fromEntries(
      Object.entries(functionsOf(stack)).map(([name, fn]) => [name, environmentSize(finalEnvironment(fn))]),
    );

    // Act + Assert
    expect(sizes.prepare).toBeLessThanOrEqual(LAMBDA_ENVIRONMENT_LIMIT_BYTES);
    expect(sizes.prepare).toBeGreaterThan(LAMBDA_ENVIRONMENT_LIMIT_BYTES - 150);
    expect(sizes.chatops).toBeGreaterThan(LAMBDA_ENVIRONMENT_LIMIT_BYTES);
    expect(() => Template.fromStack(stack)).toThrow(
      new RegExp(
        `the environment of function chatops \\(Test/ClusterShift/ChatOps/ChatopsFunction\\) is ${sizes.chatops} bytes`,
      ),
    );
    expect(() => Template.fromStack(stack)).not.toThrow(/function prepare /);
  });
});
