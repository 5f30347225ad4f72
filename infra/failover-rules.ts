import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FleetConfig } from '../core/config';
import { deadLetterQueue } from './dead-letter-queue';
import { pascalCase } from './handlers';
import { ruleNameFor } from './rule-names';

export const ALARM_STATE_CHANGE = 'CloudWatch Alarm State Change';

/**
 * How long EventBridge keeps retrying to start a failover, and how often. CloudWatch emits an alarm's
 * event once, on the transition: an event that is never delivered is a failover that never happens,
 * so retry for a while; but a failover started half an hour late acts on a stale picture, so after
 * that the event goes to the dead-letter queue for an operator instead.
 */
export const FAILOVER_RETRY = { maxEventAge: Duration.minutes(30), retryAttempts: 10 } as const;

/**
 * The rule pattern of one cluster: any of its health alarms (metric or composite: both send the same
 * detail-type and `detail.alarmName`) entering ALARM. Alarm names are unique per account and region,
 * and the default bus only carries `aws.cloudwatch` events of its own account and region (PutEvents
 * refuses `aws.*` sources), so the name alone identifies the alarm; matching `resources` on the ARN
 * as well would add nothing but a dependency on the partition and account the events are built with.
 */
export const failoverPattern = (healthAlarms: readonly string[]): events.EventPattern => ({
  source: ['aws.cloudwatch'],
  detailType: [ALARM_STATE_CHANGE],
  detail: { alarmName: [...healthAlarms], state: { value: ['ALARM'] } },
});

/** True when JSON would escape something in `text`, which EventBridge would copy into a quoted part unescaped. */
const needsJsonEscape = (text: string): boolean => JSON.stringify(text) !== `"${text}"`;

/**
 * The workflow input for a failover of `cluster`, built from the alarm event. EventBridge inserts a
 * placeholder that stands alone as a JSON value as a JSON string (escaped), but copies a placeholder
 * inside a quoted string as it is. So the alarm's state reason (free text: quotes, newlines) appears
 * only as a value of its own, `trigger.stateReason`; the text around the alarm name (`reason`,
 * `requestedBy`) only ever holds one of the configured alarm names, checked at synth to need no
 * escaping (see {@link assertAlarmNamesInsertable}).
 */
export const failoverInput = (cluster: string): events.RuleTargetInput => {
  const alarmName = events.EventField.fromPath('$.detail.alarmName');
  return events.RuleTargetInput.fromObject({
    action: 'failover',
    cluster,
    reason: `${alarmName} is ALARM`,
    requestedBy: `alarm:${alarmName}`,
    trigger: {
      alarmName,
      alarmArn: events.EventField.fromPath('$.resources[0]'),
      stateReason: events.EventField.fromPath('$.detail.state.reason'),
      time: events.EventField.time,
    },
  });
};

/** Fails synth for a health alarm name the input template could not carry as valid JSON. */
export const assertAlarmNamesInsertable = (config: Pick<FleetConfig, 'clusters'>): void => {
  for (const cluster of config.clusters) {
    for (const alarm of cluster.healthAlarms) {
      if (needsJsonEscape(alarm)) {
        throw new Error(
          `health alarm ${JSON.stringify(alarm)} of cluster ${cluster.name} contains a double quote, a backslash ` +
            'or a control character: EventBridge copies the alarm name into the failover input unescaped, so ' +
            'that input would not be valid JSON. Rename the alarm (or wrap it in a composite alarm with a plain name).',
        );
      }
    }
  }
};

export interface FailoverRulesProps {
  readonly config: FleetConfig;
  readonly stateMachine: sfn.IStateMachine;
}

/**
 * One EventBridge rule per cluster with health alarms, `ClusterShift-<fleet>-failover-<cluster>`:
 * a health alarm entering ALARM starts the workflow with a failover of that cluster. The rules share
 * a role that may start only this state machine, and a dead-letter queue.
 */
export class FailoverRules extends Construct {
  /** By cluster name; clusters without health alarms have none. */
  public readonly rules: Readonly<Record<string, events.Rule>>;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: FailoverRulesProps) {
    super(scope, id);
    const { config, stateMachine } = props;
    assertAlarmNamesInsertable(config);

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: `clustershift ${config.fleet}: lets the failover rules start the workflow`,
    });
    stateMachine.grantStartExecution(this.role);
    this.deadLetterQueue = deadLetterQueue(
      this,
      'DeadLetters',
      `clustershift-${config.fleet}-failover-dlq`,
      'alarm events whose failover EventBridge could not start',
    );

    const rules: Record<string, events.Rule> = {};
    for (const cluster of config.clusters) {
      if (cluster.healthAlarms.length === 0) continue;
      const rule = new events.Rule(this, pascalCase(cluster.name), {
        ruleName: ruleNameFor(config.fleet, `failover-${cluster.name}`),
        description: `clustershift ${config.fleet}: fail over ${cluster.name} when one of its health alarms enters ALARM`,
        eventPattern: failoverPattern(cluster.healthAlarms),
      });
      rule.addTarget(
        new targets.SfnStateMachine(stateMachine, {
          input: failoverInput(cluster.name),
          role: this.role,
          deadLetterQueue: this.deadLetterQueue,
          ...FAILOVER_RETRY,
        }),
      );
      rules[cluster.name] = rule;
    }
    this.rules = rules;
  }
}
