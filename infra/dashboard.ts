import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FleetConfig } from '../core/config';
import { GUARDRAIL_NAMES } from '../core/guardrail-names';
import { METRIC, ROLLBACK_MODES } from '../core/metrics';
import type { AlbTargetGroupMetric } from '../core/metrics-alb';
import { explicitClusterLines, fleetMetric, taggedClusterSearches } from './dashboard-metrics';

export interface ShiftDashboardProps {
  /** The validated fleet config: its clusters, target groups, load balancers and alarms. */
  readonly config: FleetConfig;

  /** The shift workflow, for its executions (AWS/States). */
  readonly stateMachine: sfn.IStateMachine;

  /**
   * The dashboard's name.
   * @default `clustershift-<fleet>`
   */
  readonly dashboardName?: string;

  /**
   * Period of every chart (ALB metrics are per minute).
   * @default Duration.minutes(1)
   */
  readonly period?: Duration;
}

const FULL_WIDTH = 24;
const HALF = 12;
const THIRD = 8;
const CHART_HEIGHT = 6;

/**
 * The CloudWatch dashboard on-call watches during a shift: requests per cluster (the chart that shows
 * traffic moving), requests per target and 5xx per cluster, each cluster's share from clustershift's
 * own metrics, the clusters' health alarms and the gate alarms, the workflow's executions, and
 * clustershift's steps, rollbacks, guardrail refusals and failover latency.
 *
 * Limitation: a cluster that owns its target groups by tag (no `targetGroups` list) cannot have a
 * line of its own in the ALB charts, because the template cannot know its target groups. Those charts
 * then show a SEARCH per load balancer, one line per target group (label: the target group's name),
 * and the `ClusterShare` chart is the per-cluster view. List `targetGroups` for per-cluster ALB lines.
 */
export class ShiftDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ShiftDashboardProps) {
    super(scope, id);
    const { config, stateMachine } = props;
    const period = props.period ?? Duration.minutes(1);
    const fleet = config.fleet;

    const albChart = (title: string, metricName: AlbTargetGroupMetric) =>
      new cloudwatch.GraphWidget({
        title,
        width: HALF,
        height: CHART_HEIGHT,
        period,
        left: [
          ...explicitClusterLines(config, metricName, period),
          ...taggedClusterSearches(config, metricName, period),
        ],
      });

    const clusterShare = new cloudwatch.GraphWidget({
      title: 'Cluster share after each step (%)',
      width: HALF,
      height: CHART_HEIGHT,
      period,
      leftYAxis: { min: 0, max: 100, showUnits: false },
      left: config.clusters.map((cluster) =>
        fleetMetric(fleet, METRIC.clusterShare, {
          dimensions: { cluster: cluster.name },
          statistic: cloudwatch.Stats.AVERAGE,
          label: cluster.name,
          period,
        }),
      ),
    });

    const executions = new cloudwatch.GraphWidget({
      title: 'Shift executions',
      width: THIRD,
      height: CHART_HEIGHT,
      period,
      left: [
        stateMachine.metricStarted({ period, label: 'started' }),
        stateMachine.metricSucceeded({ period, label: 'succeeded' }),
        stateMachine.metricFailed({ period, label: 'failed' }),
        stateMachine.metricAborted({ period, label: 'aborted' }),
        stateMachine.metricTimedOut({ period, label: 'timed out' }),
      ],
    });

    const count = (metricName: (typeof METRIC)[keyof typeof METRIC], label: string, dimensions = {}) =>
      fleetMetric(fleet, metricName, { dimensions, statistic: cloudwatch.Stats.SUM, label, period });

    const steps = new cloudwatch.GraphWidget({
      title: 'Steps, routes written, rollbacks',
      width: THIRD,
      height: CHART_HEIGHT,
      period,
      left: [count(METRIC.stepsApplied, 'steps applied'), count(METRIC.routesWritten, 'routes written')],
      right: ROLLBACK_MODES.map((mode) => count(METRIC.rollbacks, `rollback: ${mode}`, { mode })),
    });

    const refusals = new cloudwatch.GraphWidget({
      title: 'Guardrail refusals',
      width: THIRD,
      height: CHART_HEIGHT,
      period,
      left: GUARDRAIL_NAMES.map((guardrail) => count(METRIC.guardrailRefusals, guardrail, { guardrail })),
    });

    const latency = (statistic: string, label: string) =>
      fleetMetric(fleet, METRIC.failoverLatency, { statistic, label, period });
    const failoverLatency = new cloudwatch.GraphWidget({
      title: 'Failover latency: alarm event to last weight written (ms)',
      width: HALF,
      height: CHART_HEIGHT,
      period,
      left: [latency(cloudwatch.Stats.p(50), 'p50'), latency(cloudwatch.Stats.MAXIMUM, 'max')],
    });

    const rows: cloudwatch.IWidget[][] = [
      [
        albChart('Requests per cluster (RequestCount)', 'RequestCount'),
        albChart('Requests per target (RequestCountPerTarget)', 'RequestCountPerTarget'),
      ],
      [
        albChart('Target 5xx per cluster (HTTPCode_Target_5XX_Count)', 'HTTPCode_Target_5XX_Count'),
        clusterShare,
      ],
    ];
    const alarms = this.alarmStatus(config);
    if (alarms !== undefined) rows.push([alarms]);
    rows.push([executions, steps, refusals], [failoverLatency]);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? `clustershift-${fleet}`,
      defaultInterval: Duration.hours(3),
      widgets: rows,
    });
  }

  /** Every cluster's health alarms and the gate alarms (each once); undefined when none is configured. */
  private alarmStatus(config: FleetConfig): cloudwatch.AlarmStatusWidget | undefined {
    const names = [...new Set([...config.clusters.flatMap((c) => c.healthAlarms), ...config.gateAlarms])];
    if (names.length === 0) return undefined;
    const stack = Stack.of(this);
    // Only the ARN is used; index ids, since an alarm name may hold characters a construct id may not.
    const alarms = names.map((name, index) =>
      cloudwatch.Alarm.fromAlarmArn(
        this,
        `Alarm${index}`,
        stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: name,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ),
    );
    return new cloudwatch.AlarmStatusWidget({
      title: 'Cluster health alarms and gate alarms',
      width: FULL_WIDTH,
      // A row per few alarms, so that none is cut off.
      height: 2 + Math.ceil(names.length / 4),
      alarms,
    });
  }
}
