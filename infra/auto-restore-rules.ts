import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FleetConfig } from '../core/config';
import { ALARM_STATE_CHANGE, FAILOVER_RETRY, type FailoverRules } from './failover-rules';
import { pascalCase } from './handlers';
import { ruleNameFor } from './rule-names';

/** The rule pattern of one cluster: any of its health alarms returning to OK. */
export const autoRestorePattern = (healthAlarms: readonly string[]): events.EventPattern => ({
  source: ['aws.cloudwatch'],
  detailType: [ALARM_STATE_CHANGE],
  detail: { alarmName: [...healthAlarms], state: { value: ['OK'] } },
});

/**
 * The workflow input for an auto-restore of `cluster`, built from the alarm event like the failover
 * input (see failoverInput: the free-text reason only as a value of its own, the alarm name checked
 * at synth to need no escaping). `holdSeconds` makes the workflow wait before it plans, so the
 * cluster's alarms must have stayed OK that long.
 */
export const autoRestoreInput = (cluster: string, afterOkSeconds: number): events.RuleTargetInput => {
  const alarmName = events.EventField.fromPath('$.detail.alarmName');
  return events.RuleTargetInput.fromObject({
    action: 'restore',
    cluster,
    reason: `${alarmName} is OK`,
    requestedBy: `auto-restore:${alarmName}`,
    holdSeconds: afterOkSeconds,
    trigger: {
      alarmName,
      alarmArn: events.EventField.fromPath('$.resources[0]'),
      stateReason: events.EventField.fromPath('$.detail.state.reason'),
      time: events.EventField.time,
    },
  });
};

export interface AutoRestoreRulesProps {
  readonly config: FleetConfig;
  readonly stateMachine: sfn.IStateMachine;
  /** Their role, dead-letter queue and retry policy are shared: the same kind of event, the same target. */
  readonly failoverRules: FailoverRules;
}

/**
 * One EventBridge rule per cluster with health alarms, `ClusterShift-<fleet>-auto-restore-<cluster>`:
 * a health alarm returning to OK starts a restore of that cluster, which waits `afterOkSeconds` and
 * then restores only if that is safe (else it ends quietly). Built only when auto-restore is enabled.
 */
export class AutoRestoreRules extends Construct {
  /** By cluster name; clusters without health alarms have none. */
  public readonly rules: Readonly<Record<string, events.Rule>>;

  constructor(scope: Construct, id: string, props: AutoRestoreRulesProps) {
    super(scope, id);
    const { config, stateMachine, failoverRules } = props;
    const { afterOkSeconds } = config.failover.autoRestore;
    const rules: Record<string, events.Rule> = {};
    for (const cluster of config.clusters) {
      if (cluster.healthAlarms.length === 0) continue;
      const rule = new events.Rule(this, pascalCase(cluster.name), {
        ruleName: ruleNameFor(config.fleet, `auto-restore-${cluster.name}`),
        description: `clustershift ${config.fleet}: restore ${cluster.name} once its health alarms have been OK for ${afterOkSeconds} s`,
        eventPattern: autoRestorePattern(cluster.healthAlarms),
      });
      rule.addTarget(
        new targets.SfnStateMachine(stateMachine, {
          input: autoRestoreInput(cluster.name, afterOkSeconds),
          role: failoverRules.role,
          deadLetterQueue: failoverRules.deadLetterQueue,
          ...FAILOVER_RETRY,
        }),
      );
      rules[cluster.name] = rule;
    }
    this.rules = rules;
  }
}
