import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FleetConfig } from '../../core/config';
import { validateShiftRequest } from '../../core/request';
import { loadFleetConfigFile } from '../../infra/config-file';
import { type InputTransformer, transformInput } from '../../local/events/input-transformer';
import { compileEventPattern, matchesEventPattern } from '../../local/events/pattern';
import { REPO_ROOT, synthFleet } from './helpers';

interface RuleProps {
  Name: string;
  EventPattern: unknown;
  Targets: {
    RoleArn: unknown;
    DeadLetterConfig?: { Arn: unknown };
    RetryPolicy?: unknown;
    InputTransformer?: InputTransformer;
  }[];
}

const exampleConfig = (autoRestore?: { enabled: boolean; afterOkSeconds: number }): FleetConfig => {
  const config = loadFleetConfigFile({
    path: resolve(REPO_ROOT, 'clustershift.example.yaml'),
    source: 'context',
  });
  return autoRestore === undefined ? config : { ...config, failover: { ...config.failover, autoRestore } };
};

const rulesOf = (config: FleetConfig): RuleProps[] =>
  Object.values(synthFleet(config).template.findResources('AWS::Events::Rule')).map(
    (resource) => resource.Properties as RuleProps,
  );

const okEvent = () =>
  JSON.parse(readFileSync(resolve(REPO_ROOT, 'events', 'alarm-alarm-to-ok.json'), 'utf8')) as {
    time: string;
    detail: { state: { reason: string } };
  };

describe('auto-restore rules', () => {
  it('are not in the template when auto-restore is off (the example config)', () => {
    // Prepare
    const config = exampleConfig();

    // Act
    const names = rulesOf(config).map((rule) => rule.Name);

    // Assert
    expect(config.failover.autoRestore.enabled).toBe(false);
    expect(names.filter((name) => name.includes('auto-restore'))).toEqual([]);
  });

  describe('when enabled', () => {
    let config: FleetConfig;
    let rules: RuleProps[];
    beforeAll(() => {
      config = exampleConfig({ enabled: true, afterOkSeconds: 1_200 });
      rules = rulesOf(config);
    });
    const rule = (name: string): RuleProps => {
      const found = rules.find((r) => r.Name === name);
      if (found === undefined) throw new Error(`no rule ${name}`);
      return found;
    };

    it('add one rule per cluster with health alarms, on its health alarms returning to OK', () => {
      // Prepare
      const clusters = config.clusters.filter((c) => c.healthAlarms.length > 0);

      // Act
      const patterns = clusters.map((c) => rule(`ClusterShift-prod-eu-auto-restore-${c.name}`).EventPattern);

      // Assert
      expect(clusters.length).toBeGreaterThan(0);
      expect(patterns).toEqual(
        clusters.map((c) => ({
          source: ['aws.cloudwatch'],
          'detail-type': ['CloudWatch Alarm State Change'],
          detail: { alarmName: c.healthAlarms, state: { value: ['OK'] } },
        })),
      );
    });

    it("target the workflow with the failover rules' role, dead-letter queue and retry policy", () => {
      // Prepare
      const failover = rule('ClusterShift-prod-eu-failover-blue').Targets[0];

      // Act
      const target = rule('ClusterShift-prod-eu-auto-restore-blue').Targets[0];

      // Assert
      expect(target?.RoleArn).toEqual(failover?.RoleArn);
      expect(target?.DeadLetterConfig).toEqual(failover?.DeadLetterConfig);
      expect(target?.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 1_800, MaximumRetryAttempts: 10 });
    });

    it('match the sample ALARM→OK event only on the rule of its own cluster', () => {
      // Prepare
      const event = okEvent();

      // Act: the alarm rules (the execution-ended rule's pattern holds the workflow's Ref)
      const matched = rules
        .filter((r) => !r.Name.endsWith('execution-ended'))
        .filter((r) => matchesEventPattern(compileEventPattern(r.EventPattern), event))
        .map((r) => r.Name);

      // Assert
      expect(matched).toEqual(['ClusterShift-prod-eu-auto-restore-blue']);
    });

    it('turn the sample OK event into a valid auto-restore request that holds afterOkSeconds', () => {
      // Prepare
      const event = okEvent();
      const transformer = rule('ClusterShift-prod-eu-auto-restore-blue').Targets[0]?.InputTransformer;
      if (transformer === undefined) throw new Error('no input transformer');

      // Act
      const input = transformInput(transformer, event, {
        ruleArn: 'arn:aws:events:eu-west-1:123456789012:rule/ClusterShift-prod-eu-auto-restore-blue',
        ruleName: 'ClusterShift-prod-eu-auto-restore-blue',
        ingestionTime: new Date('2025-03-04T10:41:13Z'),
      });
      const request = validateShiftRequest(JSON.parse(input), config);

      // Assert
      expect(request).toMatchObject({
        action: 'restore',
        cluster: 'blue',
        reason: 'eks-blue-5xx-rate is OK',
        requestedBy: 'auto-restore:eks-blue-5xx-rate',
        holdSeconds: 1_200,
        trigger: {
          alarmName: 'eks-blue-5xx-rate',
          alarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:eks-blue-5xx-rate',
          stateReason: event.detail.state.reason,
          time: event.time,
        },
      });
    });
  });
});
