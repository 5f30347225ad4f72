import type { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { FleetConfig } from '../core/config';
import { baseDimensions, type METRIC, METRICS_NAMESPACE } from '../core/metrics';
import {
  ALB_NAMESPACE,
  type AlbTargetGroupMetric,
  loadBalancerDimension,
  targetGroupDimension,
} from '../core/metrics-alb';

/** How a cluster's target groups combine into its line: counts add up, per-target figures average. */
const COMBINE: Readonly<Record<AlbTargetGroupMetric, (ids: string) => string>> = {
  // A target group not behind one of the load balancers has no data for that pair: filling with 0
  // keeps the sum (and a drained cluster's line at 0 rather than a gap).
  RequestCount: (ids) => `SUM(FILL([${ids}], 0))`,
  HTTPCode_Target_5XX_Count: (ids) => `SUM(FILL([${ids}], 0))`,
  // Not filled: a pair with no data is no target group with zero requests per target.
  RequestCountPerTarget: (ids) => `AVG([${ids}])`,
};

/**
 * One line per cluster that lists its target groups: metric math over each (target group, load
 * balancer) pair of the fleet, since which load balancers a target group is behind is only known at
 * run time. Labelled with the cluster.
 */
export const explicitClusterLines = (
  config: Pick<FleetConfig, 'clusters' | 'loadBalancers'>,
  metricName: AlbTargetGroupMetric,
  period: Duration,
): cloudwatch.IMetric[] =>
  config.clusters.flatMap((cluster, clusterIndex) => {
    if (cluster.targetGroups === undefined) return [];
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    cluster.targetGroups.forEach((targetGroupArn, tgIndex) => {
      config.loadBalancers.forEach((lb, lbIndex) => {
        usingMetrics[`c${clusterIndex}t${tgIndex}l${lbIndex}`] = new cloudwatch.Metric({
          namespace: ALB_NAMESPACE,
          metricName,
          dimensionsMap: {
            TargetGroup: targetGroupDimension(targetGroupArn),
            LoadBalancer: loadBalancerDimension(lb.arn),
          },
          statistic: cloudwatch.Stats.SUM,
          period,
        });
      });
    });
    return [
      new cloudwatch.MathExpression({
        expression: COMBINE[metricName](Object.keys(usingMetrics).join(', ')),
        usingMetrics,
        label: cluster.name,
        period,
      }),
    ];
  });

/** CloudWatch's dynamic label: each series of a SEARCH is named by its TargetGroup dimension. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudWatch dynamic label, not a JavaScript template
export const TARGET_GROUP_LABEL = "${PROP('Dim.TargetGroup')}";

/**
 * For clusters that own their target groups by tag, which the template cannot know: a SEARCH per load
 * balancer, one line per target group (labelled with its name; name target groups after their cluster
 * to read them at a glance). Empty when every cluster lists its target groups.
 */
export const taggedClusterSearches = (
  config: Pick<FleetConfig, 'clusters' | 'loadBalancers'>,
  metricName: AlbTargetGroupMetric,
  period: Duration,
): cloudwatch.IMetric[] => {
  if (config.clusters.every((cluster) => cluster.targetGroups !== undefined)) return [];
  return config.loadBalancers.map(
    (lb) =>
      new cloudwatch.MathExpression({
        expression:
          `SEARCH('{${ALB_NAMESPACE},LoadBalancer,TargetGroup} MetricName="${metricName}" ` +
          `LoadBalancer="${loadBalancerDimension(lb.arn)}"', 'Sum', ${period.toSeconds()})`,
        usingMetrics: {},
        label: TARGET_GROUP_LABEL,
        period,
      }),
  );
};

/** A clustershift EMF metric of this fleet, with its own extra dimensions. */
export const fleetMetric = (
  fleet: string,
  metricName: (typeof METRIC)[keyof typeof METRIC],
  options: {
    readonly dimensions?: Readonly<Record<string, string>>;
    readonly statistic: string;
    readonly label: string;
    readonly period: Duration;
  },
): cloudwatch.Metric =>
  new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { ...baseDimensions(fleet), ...options.dimensions },
    statistic: options.statistic,
    label: options.label,
    period: options.period,
  });
