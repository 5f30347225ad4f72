import { TwinError } from '../errors';
import { partitionOf } from '../partition';

/**
 * Step Functions names and ARNs: `arn:aws:states:<region>:<account>:stateMachine:<name>` and
 * `…:execution:<state machine name>:<execution name>`, with the service's naming rules and errors.
 */
const MAX_NAME_LENGTH = 80;
// Whitespace, brackets, wildcards, the listed specials and control characters, as the API reference lists them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is forbidden.
const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

export const checkName = (name: string): void => {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH || FORBIDDEN.test(name)) {
    throw new TwinError('InvalidName', `Invalid Name: '${name.slice(0, 200)}'`);
  }
};

export const stateMachineArnOf = (region: string, accountId: string, name: string): string =>
  `arn:${partitionOf(region)}:states:${region}:${accountId}:stateMachine:${name}`;

export const executionArnOf = (stateMachineArn: string, name: string): string =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

const ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:[0-9]{12}:(stateMachine|execution):([^:]+)(?::([^:]+))?$/;

const invalidArn = (arn: string): TwinError =>
  new TwinError('InvalidArn', `Invalid Arn: '${arn.slice(0, 300)}'`);

/** Checks a state machine ARN's shape (a version or alias ARN is well-formed, the twin just has none). */
export const checkStateMachineArn = (arn: string): void => {
  if (ARN.exec(arn)?.[1] !== 'stateMachine') throw invalidArn(arn);
};

export const checkExecutionArn = (arn: string): void => {
  const match = ARN.exec(arn);
  if (match?.[1] !== 'execution' || match[3] === undefined) throw invalidArn(arn);
};

/** A role ARN as CreateStateMachine takes it. */
export const checkRoleArn = (arn: string): void => {
  if (!/^arn:aws[a-z-]*:iam::[0-9]{12}:role\/.+$/.test(arn)) throw invalidArn(arn);
};
