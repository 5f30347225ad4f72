import { randomUUID } from 'node:crypto';
import type { TwinClock } from '../clock';
import { TwinError } from '../errors';
import type { ActionRequest } from '../iam/actions';
import { type PrincipalRef, runAs } from '../iam/identity';
import { LambdaInvokeError } from '../lambda/errors';
import type { LambdaRuntime } from '../lambda/runtime';
import type { StepFunctionsTwin } from '../sfn';
import type { ActivityLog, DeliveryRecord } from './activity-log';
import type { DeadLetters } from './dead-letters';
import type { EventEnvelope } from './envelope';
import { InvalidInputTransformerError, inputPathValue, transformInput } from './input-transformer';
import type { RuleTarget, StoredRule } from './rules';

/**
 * Delivering one event to one rule target, as EventBridge does: the target's input (Input,
 * InputPath, InputTransformer, else the whole event), the call (a state machine's StartExecution,
 * or a Lambda function invoked in-process), retries with exponential backoff on the twin clock
 * within the target's RetryPolicy, then the dead-letter queue.
 *
 * Lambda targets: EventBridge hands the event to Lambda's asynchronous queue, which has retries and
 * a dead-letter queue of its own. The twin folds both into the rule target's: a handler that throws
 * is retried per RetryPolicy and ends in the target's DLQ, so a failing handler is visible.
 */
export interface DeliveryContext {
  readonly clock: TwinClock;
  readonly sfn: StepFunctionsTwin;
  readonly lambda: LambdaRuntime;
  readonly log: ActivityLog;
  readonly deadLetters: DeadLetters;
  /** Twin ms before the first retry; doubles each retry up to MAX_BACKOFF_MS. */
  readonly retryBaseMs: number;
  /** Runs before each call to a target's service (the twin's fault injection). */
  readonly beforeCall?: (service: 'sfn' | 'lambda', operation: string) => Promise<void>;
  /**
   * IAM: checks that the target's role (RoleArn, assumed in a session named after the rule) may make
   * the call; throws the denial, which fails the delivery like any other error of the target's API.
   */
  readonly authorize?: (principal: PrincipalRef, request: ActionRequest) => void;
  readonly signal: AbortSignal;
}

/** EventBridge's defaults: 185 retries over at most 24 hours. */
export const DEFAULT_RETRY_ATTEMPTS = 185;
export const DEFAULT_EVENT_AGE_SECONDS = 86_400;
const MAX_BACKOFF_MS = 5 * 60_000;

const STATE_MACHINE_ARN = /^arn:[^:]+:states:[^:]+:[0-9]{12}:stateMachine:[^:]+$/;
const FUNCTION_ARN = /^arn:[^:]+:lambda:[^:]+:[0-9]{12}:function:[^:]+(:[^:]+)?$/;

class DeliveryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retriable: boolean,
  ) {
    super(message);
  }
}

const RETRIABLE_CODES =
  /Throttl|TooManyRequests|ServiceUnavailable|InternalFailure|InternalServerError|RequestLimitExceeded/;

/** What a target call's failure is, and whether EventBridge would try again. */
const classify = (error: unknown): DeliveryError => {
  if (error instanceof DeliveryError) return error;
  if (error instanceof TwinError)
    return new DeliveryError(
      error.code,
      error.message,
      error.status >= 500 || RETRIABLE_CODES.test(error.code),
    );
  if (error instanceof LambdaInvokeError) return new DeliveryError(error.errorType, error.message, true);
  if (error instanceof InvalidInputTransformerError)
    return new DeliveryError('InvalidInputTransformer', error.message, false);
  return new DeliveryError('InternalFailure', error instanceof Error ? error.message : String(error), true);
};

/** The text the target receives. */
export const targetInput = (
  rule: StoredRule,
  target: RuleTarget,
  event: EventEnvelope,
  ingestionTime: Date,
): string => {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) return JSON.stringify(inputPathValue(target.InputPath, event) ?? null);
  if (target.InputTransformer !== undefined)
    return transformInput(target.InputTransformer, event, {
      ruleArn: rule.arn,
      ruleName: rule.name,
      ingestionTime,
    });
  return JSON.stringify(event);
};

const callTarget = async (
  rule: StoredRule,
  target: RuleTarget,
  input: string,
  context: DeliveryContext,
  record: DeliveryRecord,
): Promise<void> => {
  if (STATE_MACHINE_ARN.test(target.Arn)) {
    await context.beforeCall?.('sfn', 'StartExecution');
    if (target.RoleArn !== undefined) {
      context.authorize?.(
        { roleArn: target.RoleArn, sessionName: rule.name },
        { action: 'states:StartExecution', resource: target.Arn },
      );
    }
    const start = context.sfn.operations.StartExecution;
    if (start === undefined)
      throw new DeliveryError('InternalFailure', 'Step Functions has no StartExecution', false);
    // As no principal of the twin's: the event may have been raised inside an execution or a function.
    const started = (await runAs(undefined, () => start({ stateMachineArn: target.Arn, input }))) as {
      executionArn: string;
    };
    record.executionArn = started.executionArn;
    return;
  }
  if (FUNCTION_ARN.test(target.Arn)) {
    await context.beforeCall?.('lambda', 'Invoke');
    let payload: unknown = input;
    try {
      payload = JSON.parse(input);
    } catch {
      // Not JSON (a transformer's plain text): the function receives the text, as on AWS.
    }
    // Lambda targets are authorized by the function's resource policy, which the twin does not
    // evaluate: invoked as no principal, not as whoever raised the event.
    await runAs(undefined, () => context.lambda.invoke(target.Arn, payload, { signal: context.signal }));
    return;
  }
  throw new DeliveryError(
    'UnsupportedTarget',
    `the twin delivers to Step Functions state machines and Lambda functions only, not ${target.Arn}`,
    false,
  );
};

export const deliver = async (
  rule: StoredRule,
  target: RuleTarget,
  event: EventEnvelope,
  ingestionTime: Date,
  context: DeliveryContext,
): Promise<DeliveryRecord> => {
  const { clock } = context;
  const now = (): string => clock.date().toISOString();
  const record = context.log.addDelivery({
    eventId: event.id,
    rule: rule.name,
    ruleArn: rule.arn,
    targetId: target.Id,
    targetArn: target.Arn,
    status: 'pending',
    attempts: 0,
    startedAt: now(),
    updatedAt: now(),
  });
  const maxRetries = target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_RETRY_ATTEMPTS;
  const maxAgeMs = (target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_EVENT_AGE_SECONDS) * 1000;
  let failure: DeliveryError;
  let exhausted: string | undefined;
  for (;;) {
    record.attempts += 1;
    try {
      const input = targetInput(rule, target, event, ingestionTime);
      await callTarget(rule, target, input, context, record);
      record.status = 'delivered';
      delete record.error;
      record.updatedAt = now();
      return record;
    } catch (error) {
      if (context.signal.aborted) {
        record.status = 'abandoned';
        record.updatedAt = now();
        return record;
      }
      failure = classify(error);
      record.error = `${failure.code}: ${failure.message}`;
      record.updatedAt = now();
    }
    if (!failure.retriable) break;
    const retries = record.attempts - 1;
    if (retries >= maxRetries) {
      exhausted = 'MaximumRetryAttempts';
      break;
    }
    const delay = Math.min(MAX_BACKOFF_MS, context.retryBaseMs * 2 ** retries);
    if (clock.now() + delay - ingestionTime.getTime() > maxAgeMs) {
      exhausted = 'MaximumEventAgeInSeconds';
      break;
    }
    record.status = 'retrying';
    await clock.sleep(delay, context.signal);
    if (context.signal.aborted) {
      record.status = 'abandoned';
      record.updatedAt = now();
      return record;
    }
  }
  const queueArn = target.DeadLetterConfig?.Arn;
  if (queueArn === undefined) {
    record.status = 'failed';
    return record;
  }
  context.deadLetters.send(queueArn, {
    messageId: randomUUID(),
    body: JSON.stringify(event),
    attributes: {
      RULE_ARN: rule.arn,
      TARGET_ARN: target.Arn,
      ERROR_CODE: failure.code,
      ERROR_MESSAGE: failure.message,
      ...(exhausted === undefined ? {} : { EXHAUSTED_RETRY_CONDITION: exhausted }),
      RETRY_ATTEMPTS: String(record.attempts - 1),
    },
    sentAt: now(),
  });
  record.status = 'dead-lettered';
  record.deadLetterQueueArn = queueArn;
  record.updatedAt = now();
  return record;
};
