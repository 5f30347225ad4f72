import { type CfnElement, Stack, Token } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';

/**
 * Lambda's limit on the environment of one function: "4 KB, for all environment variables associated
 * with the function, in aggregate" (Lambda quotas page). Lambda measures the JSON text of the whole
 * variables map: its InvalidParameterValueException says "…exceeded the 4KB limit. String measured:
 * {"KEY":"value",…}". So quotes, colons, commas and the escaping of a value that is itself JSON
 * (every `"` becomes `\"`) all count. The fleet config is not in it: it ships in each function's code
 * asset (FLEET_CONFIG_FILE names the file), so the environment does not grow with the fleet.
 */
export const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;

/**
 * Budget for a value only known at deploy time. A Lambda function name (what `Ref` of a function
 * gives) is at most 64 characters; everything else we pass (a CloudFormation-generated table name,
 * at most 255 for DynamoDB; a state machine ARN, well under) gets 255.
 */
const DEPLOY_TIME_BUDGET_BYTES: Readonly<Record<string, number>> = { 'AWS::Lambda::Function': 64 };
const DEFAULT_DEPLOY_TIME_BUDGET_BYTES = 255;

/** A stand-in of `bytes` characters that JSON does not escape, for a value not known at synth. */
const standIn = (bytes: number): string => 'x'.repeat(bytes);

/**
 * UTF-8 size of an environment as Lambda counts it: the JSON of the whole map. A value that is still
 * a CDK token counts as {@link DEFAULT_DEPLOY_TIME_BUDGET_BYTES}.
 */
export const environmentSize = (environment: Readonly<Record<string, string>>): number =>
  Buffer.byteLength(
    JSON.stringify(
      Object.fromEntries(
        Object.entries(environment).map(([key, value]) => [
          key,
          Token.isUnresolved(value) ? standIn(DEFAULT_DEPLOY_TIME_BUDGET_BYTES) : value,
        ]),
      ),
    ),
    'utf8',
  );

/** The CloudFormation type of the resource a logical id names in `stack`, if it is one of its resources. */
const resourceTypeOf = (stack: Stack, logicalId: string): string | undefined => {
  for (const child of stack.node.findAll()) {
    const element = child as Partial<CfnElement> & { cfnResourceType?: string };
    if (element.cfnResourceType !== undefined && stack.getLogicalId(child as CfnElement) === logicalId) {
      return element.cfnResourceType;
    }
  }
  return undefined;
};

/**
 * A function's variables exactly as the template will hold them (whatever CDK or anyone added after
 * the function was created), each value that CloudFormation fills at deploy time replaced by a
 * stand-in of its budget.
 */
export const finalEnvironment = (fn: lambda.Function): Record<string, string> => {
  const stack = Stack.of(fn);
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const resolved = stack.resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined;
  return Object.fromEntries(
    Object.entries(resolved?.variables ?? {}).map(([key, value]) => {
      if (typeof value === 'string') return [key, value];
      const ref = (value as { Ref?: unknown } | null)?.Ref;
      const type = typeof ref === 'string' ? resourceTypeOf(stack, ref) : undefined;
      const budget =
        (type === undefined ? undefined : DEPLOY_TIME_BUDGET_BYTES[type]) ?? DEFAULT_DEPLOY_TIME_BUDGET_BYTES;
      return [key, standIn(budget)];
    }),
  );
};

/**
 * Fails synth when `fn`'s final environment would be refused by Lambda, naming the function, its
 * size and its largest variables. A validation rather than a check at creation: variables can still
 * be added to a function after it is created (by us or by CDK), and only what is synthesized counts.
 */
export const checkEnvironmentAtSynth = (fn: lambda.Function, name: string): void => {
  fn.node.addValidation({
    validate: () => {
      const environment = finalEnvironment(fn);
      const size = environmentSize(environment);
      if (size <= LAMBDA_ENVIRONMENT_LIMIT_BYTES) return [];
      const largest = Object.entries(environment)
        .map(([key, value]) => [key, Buffer.byteLength(JSON.stringify(value), 'utf8')] as const)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([key, bytes]) => `${key} ${bytes}`)
        .join(', ');
      return [
        `the environment of function ${name} (${pathOf(fn)}) is ${size} bytes as Lambda measures it ` +
          `(the JSON of all its variables), over Lambda's limit of ${LAMBDA_ENVIRONMENT_LIMIT_BYTES} bytes; ` +
          `largest: ${largest}. The fleet config is not in it (it ships in the function's code asset): ` +
          'shorten or drop the variables added to the function',
      ];
    },
  });
};

const pathOf = (construct: IConstruct): string => construct.node.path;
