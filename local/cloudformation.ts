import { TwinError } from './errors';
import { optionalString } from './protocol/scalars';
import type { TwinService } from './service';

/** A stack the twin has "deployed" from a synthesized template. */
export interface DeployedStack {
  readonly stackName: string;
  readonly stackId: string;
  readonly outputs: Readonly<Record<string, string>>;
  readonly createdAt: Date;
}

/**
 * CloudFormation's DescribeStacks (awsQuery), for what the twin has deployed: the CLI finds the state
 * machine and table through the stack's outputs on the twin exactly as it does on AWS.
 */
export class CloudFormationTwin implements TwinService {
  private readonly stacks = new Map<string, DeployedStack>();

  readonly operations = {
    DescribeStacks: (input: Record<string, unknown>) => {
      const name = optionalString(input.StackName, 'StackName');
      const stacks = name === undefined ? [...this.stacks.values()] : [this.find(name)];
      return {
        Stacks: stacks.map((stack) => ({
          StackName: stack.stackName,
          StackId: stack.stackId,
          CreationTime: stack.createdAt,
          StackStatus: 'CREATE_COMPLETE',
          Outputs: Object.entries(stack.outputs).map(([OutputKey, OutputValue]) => ({
            OutputKey,
            OutputValue,
          })),
        })),
      };
    },
  };

  register(stack: DeployedStack): void {
    this.stacks.set(stack.stackName, stack);
  }

  list(): DeployedStack[] {
    return [...this.stacks.values()];
  }

  private find(nameOrId: string): DeployedStack {
    const stack = this.stacks.get(nameOrId) ?? [...this.stacks.values()].find((s) => s.stackId === nameOrId);
    if (stack === undefined)
      throw new TwinError('ValidationError', `Stack with id ${nameOrId} does not exist`);
    return stack;
  }
}
