import { TwinError } from '../errors';
import { InvalidInputTransformerError, validateInputTransformer } from '../events/input-transformer';
import { compilePattern } from '../events/rules';
import { templateError } from './errors';
import type { Json } from './intrinsics';
import type { RulePlan, RuleTargetPlan } from './plan';
import { parseProperties, ruleProperties } from './properties';
import type { ResourceKind, StackEnvironment } from './resource-types';

const MAX_TARGETS = 5;

/**
 * An AWS::Events::Rule → what the twin's EventBridge registers: the pattern (checked with the
 * twin's matcher, so a pattern EventBridge would refuse fails the load naming the rule), the
 * targets with their input, retry policy and dead-letter queue. Scheduled rules are accepted and
 * ignored (the twin has no scheduler); rules of other buses fail (the twin has the default bus only).
 */
export const rulePlan = (
  logicalId: string,
  resource: { readonly Type: string },
  name: string,
  properties: Json,
  env: StackEnvironment,
  kind: ResourceKind,
): RulePlan | { ignored: string } => {
  const where = `${logicalId} (${resource.Type})`;
  const props = parseProperties(ruleProperties, properties, logicalId, resource.Type);
  const bus = props.EventBusName;
  const defaultBusArn = `arn:${env.partition}:events:${env.region}:${env.accountId}:event-bus/default`;
  if (bus !== undefined && bus !== 'default' && bus !== defaultBusArn) {
    throw templateError(
      'UnsupportedProperty',
      `${where} EventBusName ${bus}; the twin has the default event bus only`,
    );
  }
  if (props.EventPattern === undefined) {
    if (props.ScheduleExpression !== undefined)
      return { ignored: `scheduled rule (${props.ScheduleExpression}): the twin has no scheduler` };
    throw templateError('InvalidProperties', `${where} has neither EventPattern nor ScheduleExpression`);
  }
  let eventPattern: unknown;
  try {
    const { text } = compilePattern(props.EventPattern);
    eventPattern = JSON.parse(text);
  } catch (error) {
    if (error instanceof TwinError) throw templateError('InvalidEventPattern', `${where}: ${error.message}`);
    throw error;
  }
  if (props.Targets.length > MAX_TARGETS)
    throw templateError(
      'InvalidProperties',
      `${where} has ${props.Targets.length} targets; a rule has at most ${MAX_TARGETS}`,
    );
  const ids = new Set<string>();
  const targets = props.Targets.map((target): RuleTargetPlan => {
    if (ids.has(target.Id))
      throw templateError('InvalidProperties', `${where}: two targets have the Id ${target.Id}`);
    ids.add(target.Id);
    const inputs = [target.Input, target.InputPath, target.InputTransformer].filter(
      (item) => item !== undefined,
    );
    if (inputs.length > 1)
      throw templateError(
        'InvalidProperties',
        `${where} target ${target.Id}: only one of Input, InputPath and InputTransformer may be given`,
      );
    if (target.InputTransformer !== undefined) {
      try {
        validateInputTransformer(target.InputTransformer);
      } catch (error) {
        if (error instanceof InvalidInputTransformerError)
          throw templateError('InvalidInputTransformer', `${where} target ${target.Id}: ${error.message}`);
        throw error;
      }
    }
    return {
      Id: target.Id,
      Arn: target.Arn,
      ...(target.Input === undefined ? {} : { Input: target.Input }),
      ...(target.InputPath === undefined ? {} : { InputPath: target.InputPath }),
      ...(target.InputTransformer === undefined
        ? {}
        : {
            InputTransformer: {
              ...(target.InputTransformer.InputPathsMap === undefined
                ? {}
                : { InputPathsMap: target.InputTransformer.InputPathsMap }),
              InputTemplate: target.InputTransformer.InputTemplate,
            },
          }),
      ...(target.RetryPolicy === undefined
        ? {}
        : {
            RetryPolicy: {
              ...(target.RetryPolicy.MaximumRetryAttempts === undefined
                ? {}
                : { MaximumRetryAttempts: target.RetryPolicy.MaximumRetryAttempts }),
              ...(target.RetryPolicy.MaximumEventAgeInSeconds === undefined
                ? {}
                : { MaximumEventAgeInSeconds: target.RetryPolicy.MaximumEventAgeInSeconds }),
            },
          }),
      ...(target.DeadLetterConfig === undefined
        ? {}
        : {
            DeadLetterConfig:
              target.DeadLetterConfig.Arn === undefined ? {} : { Arn: target.DeadLetterConfig.Arn },
          }),
      ...(target.RoleArn === undefined ? {} : { RoleArn: target.RoleArn }),
    };
  });
  return {
    logicalId,
    name,
    arn: kind.attributes.Arn?.(name, env) ?? name,
    eventPattern,
    state: props.State,
    ...(props.Description === undefined ? {} : { description: props.Description }),
    targets,
  };
};
