import type { FleetConfig } from '../../core/config';
import type { Twin } from '../server';

/** Requests per minute answered 5xx above which a demo cluster counts as sick. */
export const DEMO_5XX_PER_MINUTE = 100;

/** The part of a target group ARN CloudWatch uses as its dimension: `targetgroup/<name>/<id>`. */
const targetGroupDimension = (arn: string): string => arn.slice(arn.indexOf('targetgroup/'));
const loadBalancerDimension = (arn: string): string =>
  arn.slice(arn.indexOf('loadbalancer/') + 'loadbalancer/'.length);

/**
 * The demo fleet's alarms as real alarms over the traffic model's metrics, so that a sick cluster
 * trips its own alarm the way it would on AWS:
 * - per target group, a metric alarm `<health alarm>/<target group name>` on HTTPCode_Target_5XX_Count
 *   above DEMO_5XX_PER_MINUTE for 1 of 1 minutes;
 * - each cluster's health alarm (`*-5xx`): a composite alarm, ALARM when any of its cluster's target
 *   group alarms is (a PutMetricAlarm takes at most 10 metrics, fewer than a cluster's target groups);
 * - the gate alarm: the same metric over the whole load balancer.
 * Other alarm names in the config are created as plain alarms. All start OK (a healthy fleet).
 */
export const createDemoAlarms = (twin: Twin, config: FleetConfig): string[] => {
  const loadBalancerArn = config.loadBalancers[0]?.arn ?? '';
  const groups = twin.elbv2.targetGroups();
  const tagKey = config.clusterTagKey;
  const put = (name: string, description: string, metrics: Record<string, unknown>[]): void => {
    const operation = twin.cloudwatch.operations.PutMetricAlarm;
    if (operation === undefined) throw new Error('the CloudWatch twin has no PutMetricAlarm');
    operation({
      AlarmName: name,
      AlarmDescription: description,
      Metrics: metrics,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: DEMO_5XX_PER_MINUTE,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
    });
  };
  const fiveXx = (id: string, dimensions: { Name: string; Value: string }[]) => ({
    Id: id,
    ReturnData: false,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Dimensions: dimensions,
      },
      Period: 60,
      Stat: 'Sum',
    },
  });
  const names: string[] = [];
  for (const cluster of config.clusters) {
    const arns = groups.filter((group) => group.tags[tagKey] === cluster.name).map((group) => group.arn);
    for (const name of cluster.healthAlarms) {
      if (!name.endsWith('-5xx') || arns.length === 0) {
        twin.cloudwatch.ensureAlarm(name);
      } else {
        const children = arns.map((arn) => {
          const child = `${name}/${targetGroupDimension(arn).split('/')[1] ?? arn}`;
          put(child, `${cluster.name}: target 5xx per minute of one target group`, [
            {
              ...fiveXx('m0', [
                { Name: 'LoadBalancer', Value: loadBalancerDimension(loadBalancerArn) },
                { Name: 'TargetGroup', Value: targetGroupDimension(arn) },
              ]),
              ReturnData: true,
            },
          ]);
          twin.cloudwatch.setAlarmState(child, 'OK', 'demo fleet starts healthy');
          return child;
        });
        const composite = twin.cloudwatch.operations.PutCompositeAlarm;
        if (composite === undefined) throw new Error('the CloudWatch twin has no PutCompositeAlarm');
        composite({
          AlarmName: name,
          AlarmDescription: `${cluster.name} is sick: any of its target groups answers 5xx`,
          AlarmRule: children.map((child) => `ALARM("${child}")`).join(' OR '),
        });
      }
      names.push(name);
    }
  }
  for (const name of config.gateAlarms) {
    put(name, 'load balancer: target 5xx per minute', [
      {
        ...fiveXx('m0', [{ Name: 'LoadBalancer', Value: loadBalancerDimension(loadBalancerArn) }]),
        ReturnData: true,
      },
    ]);
    names.push(name);
  }
  for (const name of names) twin.cloudwatch.setAlarmState(name, 'OK', 'demo fleet starts healthy');
  return names;
};
