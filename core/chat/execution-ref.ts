import { EXECUTION_ARN, EXECUTION_NAME } from './patterns';

/**
 * The ARN of an execution of this state machine, from a name or an ARN typed in chat or carried by
 * a button; undefined when it is neither, or an execution of another state machine (a request
 * must not reach executions clustershift did not start).
 */
export const executionArnFor = (stateMachineArn: string, nameOrArn: string): string | undefined => {
  const prefix = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:`;
  if (EXECUTION_ARN.test(nameOrArn)) return nameOrArn.startsWith(prefix) ? nameOrArn : undefined;
  return EXECUTION_NAME.test(nameOrArn) ? `${prefix}${nameOrArn}` : undefined;
};
