/** Where an operator follows an execution: the Step Functions console and `clustershift watch`. */

const EXECUTION_ARN = /^arn:(aws[a-z-]*):states:([a-z0-9-]+):\d{12}:execution:[^:]+:([^:]+)$/;

/** The console's host per partition (China and GovCloud have their own consoles). */
const CONSOLE_HOSTS: Readonly<Record<string, (region: string) => string>> = {
  aws: (region) => `${region}.console.aws.amazon.com`,
  'aws-cn': (region) => `${region}.console.amazonaws.cn`,
  'aws-us-gov': (region) => `${region}.console.amazonaws-us-gov.com`,
};

export interface ExecutionLinks {
  /** The execution's name (the last part of its ARN), or the id as given when it is no ARN. */
  readonly name: string;
  /** Absent when the id is no execution ARN (or names an unknown partition). */
  readonly consoleUrl?: string;
  readonly watchCommand: string;
}

export const executionLinks = (executionId: string): ExecutionLinks => {
  const match = EXECUTION_ARN.exec(executionId);
  const name = match?.[3] ?? executionId;
  const watchCommand = `clustershift watch ${name}`;
  const [, partition = '', region = ''] = match ?? [];
  const host = CONSOLE_HOSTS[partition]?.(region);
  if (host === undefined) return { name, watchCommand };
  return {
    name,
    consoleUrl: `https://${host}/states/home?region=${region}#/v2/executions/details/${executionId}`,
    watchCommand,
  };
};
