import { TwinError } from '../../../local/errors';
import type { DeployedFunction } from '../../../local/lambda/function';
import { environmentBytes, MAX_ENVIRONMENT_BYTES } from '../../../local/lambda/limits';
import { LambdaRuntime } from '../../../local/lambda/runtime';
import { loadTemplate } from '../../../local/template/load';
import { synthTemplate } from '../template/synth';

const fn = (environment: Record<string, string>): DeployedFunction => ({
  name: 'prepare',
  arn: 'arn:aws:lambda:eu-west-1:123456789012:function:prepare',
  handler: 'index.handler',
  codeDir: '/nowhere',
  environment,
  timeoutSeconds: 30,
  memoryMb: 256,
});

/** An environment whose JSON document is exactly `bytes` long: {"V":"xxx…"} */
const environmentOf = (bytes: number) => ({ V: 'x'.repeat(bytes - '{"V":""}'.length) });

const refusal = (register: () => void): TwinError => {
  try {
    register();
  } catch (error) {
    return error as TwinError;
  }
  throw new Error('expected a refusal');
};

describe("Lambda's 4 KB environment in the twin", () => {
  it('accepts an environment whose JSON is exactly 4,096 bytes and refuses one byte more, naming the function and the size', () => {
    // Prepare
    const runtime = new LambdaRuntime({ loadHandler: async () => async () => null });

    // Act
    runtime.register(fn(environmentOf(4_096)));
    const error = refusal(() => runtime.register(fn(environmentOf(4_097))));

    // Assert
    expect(runtime.list()).toHaveLength(1);
    expect(error).toBeInstanceOf(TwinError);
    expect(error.code).toBe('InvalidParameterValueException');
    expect(error.message).toMatch(
      /^Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit \(function prepare: 4097 bytes measured, 4096 allowed\)\. String measured: \{"V":"x+"\}$/,
    );
  });

  it('measures the JSON of the whole map, so many short variables count their names, quotes and commas', () => {
    // Prepare: 300 variables of 5-character names and values: 3,000 characters, 4,801 bytes as JSON
    const environment = Object.fromEntries(
      Array.from({ length: 300 }, (_, i) => [`K${String(i).padStart(4, '0')}`, 'v1234']),
    );
    const runtime = new LambdaRuntime({ loadHandler: async () => async () => null });

    // Act
    const error = refusal(() => runtime.register(fn(environment)));

    // Assert
    expect(Object.entries(environment).reduce((sum, [k, v]) => sum + k.length + v.length, 0)).toBe(3_000);
    expect(environmentBytes(environment)).toBe(4_801);
    expect(error.code).toBe('InvalidParameterValueException');
    expect(error.message).toContain('4801 bytes measured');
  });

  it("deploys every function of the example fleet's template: each environment is within the quota", () => {
    // Prepare
    const { stackName, template } = synthTemplate();
    const plan = loadTemplate(template, {
      region: 'eu-west-1',
      accountId: '123456789012',
      stackName,
      templateDir: '/tmp/cdk.out',
    });
    const runtime = new LambdaRuntime({ loadHandler: async () => async () => null });

    // Act
    for (const planned of plan.functions) runtime.register(planned);

    // Assert
    expect(runtime.list().length).toBeGreaterThanOrEqual(8);
    for (const planned of plan.functions) {
      expect(environmentBytes(planned.environment)).toBeLessThanOrEqual(MAX_ENVIRONMENT_BYTES);
    }
  }, 60_000);
});
