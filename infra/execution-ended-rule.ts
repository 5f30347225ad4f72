import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letter-queue';
import { ruleNameFor } from './rule-names';

export const EXECUTION_STATUS_CHANGE = 'Step Functions Execution Status Change';

/** The statuses of an execution that may have ended without running its own Finish. */
export const ENDED_OUTSIDE_CATCH_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/**
 * Retry policy of the cleanup target. The cleanup is idempotent and still worth doing late (the
 * history record and the notification wait for it; the lock lease would expire on its own), so
 * EventBridge keeps trying for two hours before the event goes to the dead-letter queue.
 */
export const EXECUTION_ENDED_RETRY = { maxEventAge: Duration.hours(2), retryAttempts: 20 } as const;

export const executionEndedPattern = (stateMachineArn: string): events.EventPattern => ({
  source: ['aws.states'],
  detailType: [EXECUTION_STATUS_CHANGE],
  detail: { status: [...ENDED_OUTSIDE_CATCH_STATUSES], stateMachineArn: [stateMachineArn] },
});

export interface ExecutionEndedRuleProps {
  readonly fleet: string;
  readonly stateMachine: sfn.IStateMachine;
  readonly handler: lambda.IFunction;
}

/**
 * `ClusterShift-<fleet>-execution-ended`: an execution of this state machine that failed, timed out
 * or was stopped goes to the execution-ended function, which releases the lock if that execution
 * still holds it, closes its history record and notifies. Executions that ended through their own
 * Finish leave nothing for it to do.
 */
export class ExecutionEndedRule extends Construct {
  public readonly rule: events.Rule;
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: ExecutionEndedRuleProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(
      this,
      'DeadLetters',
      `clustershift-${props.fleet}-execution-ended-dlq`,
      'execution status events EventBridge could not deliver to the execution-ended function',
    );
    this.rule = new events.Rule(this, 'Rule', {
      ruleName: ruleNameFor(props.fleet, 'execution-ended'),
      description: `clustershift ${props.fleet}: clean up after a workflow execution that failed, timed out or was stopped`,
      eventPattern: executionEndedPattern(props.stateMachine.stateMachineArn),
    });
    this.rule.addTarget(
      new targets.LambdaFunction(props.handler, {
        deadLetterQueue: this.deadLetterQueue,
        ...EXECUTION_ENDED_RETRY,
      }),
    );
  }
}
