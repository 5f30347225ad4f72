import type { Context } from 'aws-lambda';

/** A function the twin can run: what the template says about it, resolved. */
export interface DeployedFunction {
  readonly name: string;
  readonly arn: string;
  /** `<module path>.<export>`, as Lambda's `Handler` property: `index.handler`. */
  readonly handler: string;
  /** Absolute directory holding the code (the CDK asset folder with the esbuild bundle). */
  readonly codeDir: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Where Lambda would write its logs; `/aws/lambda/<name>` unless the template names a log group. */
  readonly logGroupName?: string;
  /** The execution role's ARN (the template's `Role`): the identity the function's own calls have. */
  readonly roleArn?: string;
  /** The template's logical id, when the function came from a template (tests map it to source). */
  readonly logicalId?: string;
}

/** Lambda's context object, as @types/aws-lambda describes it. */
export type LambdaContext = Context;

export type LambdaCallback = (error?: unknown, result?: unknown) => void;

/** A Node.js Lambda handler: async (event, context), or the older callback style. */
export type LambdaHandler = (event: unknown, context: LambdaContext, callback: LambdaCallback) => unknown;
