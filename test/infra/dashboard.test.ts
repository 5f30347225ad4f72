import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { FleetConfig } from '../../core/config';
import { ShiftDashboard, type ShiftDashboardProps } from '../../infra/dashboard';
import { fleet, LB_ARN } from './helpers';

const ACCOUNT = '123456789012';
const LB2_ARN = `arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:loadbalancer/app/second/fedcba9876543210`;
const tg = (name: string, id = '0123456789abcdef') =>
  `arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:targetgroup/${name}/${id}`;
/** Where the body had a CloudFormation token (the state machine's ARN). */
const TOKEN = '<token>';

interface Widget {
  readonly type: string;
  readonly width: number;
  readonly height: number;
  readonly properties: {
    readonly title?: string;
    readonly markdown?: string;
    readonly alarms?: readonly string[];
    readonly metrics?: readonly (readonly unknown[])[];
    readonly period?: number;
  };
}

/** A stack holding only the dashboard and a one-state workflow (no functions: fast to synthesize). */
const synthDashboard = (config: FleetConfig, props: Partial<ShiftDashboardProps> = {}) => {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: ACCOUNT, region: 'eu-west-1' } });
  const stateMachine = new sfn.StateMachine(stack, 'Workflow', {
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Nothing')),
  });
  new ShiftDashboard(stack, 'Dashboard', { config, stateMachine, ...props });
  return { app, stack, template: Template.fromStack(stack) };
};

/** The dashboard body, its Fn::Join resolved with {@link TOKEN} for every token. */
const bodyOf = (template: Template): string => {
  const [resource] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  if (resource === undefined) throw new Error('no dashboard in the template');
  const body = (resource.Properties as { DashboardBody: unknown }).DashboardBody;
  if (typeof body === 'string') return body;
  const [separator, parts] = (body as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return parts.map((part) => (typeof part === 'string' ? part : TOKEN)).join(separator);
};

const widgetsOf = (template: Template): Widget[] =>
  (JSON.parse(bodyOf(template)) as { widgets: Widget[] }).widgets;

const widget = (widgets: readonly Widget[], title: string): Widget => {
  const found = widgets.find((w) => w.properties.title === title);
  if (found === undefined)
    throw new Error(`no widget "${title}" in ${widgets.map((w) => w.properties.title)}`);
  return found;
};

/** A metric row's options (its last element when that is an object). */
const optionsOf = (row: readonly unknown[]) => {
  const last = row[row.length - 1];
  return (typeof last === 'object' && last !== null ? last : {}) as Record<string, unknown>;
};

const expressionsOf = (w: Widget) =>
  (w.properties.metrics ?? []).map(optionsOf).filter((options) => typeof options.expression === 'string') as {
    expression: string;
    label?: string;
    id?: string;
  }[];

interface MetricRow {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Record<string, string>;
  readonly options: Record<string, unknown>;
}

/** Metric rows (not expressions): `[namespace, name, dimension, value, …, options]`. */
const metricRowsOf = (w: Widget): MetricRow[] =>
  (w.properties.metrics ?? [])
    .filter((row) => typeof optionsOf(row).expression !== 'string')
    .map((row) => {
      const [namespace, name, ...pairs] = row.filter((cell): cell is string => typeof cell === 'string');
      const dimensions: Record<string, string> = {};
      for (let i = 0; i + 1 < pairs.length; i += 2) dimensions[pairs[i] as string] = pairs[i + 1] as string;
      return { namespace: namespace ?? '', name: name ?? '', dimensions, options: optionsOf(row) };
    });

const explicitFleet = () =>
  fleet({
    loadBalancers: [{ arn: LB_ARN }, { arn: LB2_ARN }],
    clusters: [
      { name: 'blue', healthAlarms: ['blue-5xx'], targetGroups: [tg('api-blue'), tg('web-blue')] },
      { name: 'green', healthAlarms: ['green-5xx'], targetGroups: [tg('api-green')] },
    ],
  });

describe('ShiftDashboard', () => {
  it('is named after the fleet unless told otherwise', () => {
    expect(() =>
      synthDashboard(fleet()).template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
        DashboardName: 'clustershift-demo',
      }),
    ).not.toThrow();
    expect(() =>
      synthDashboard(fleet(), { dashboardName: 'on-call' }).template.hasResourceProperties(
        'AWS::CloudWatch::Dashboard',
        { DashboardName: 'on-call' },
      ),
    ).not.toThrow();
  });

  describe('ALB charts for clusters that list their target groups', () => {
    const widgets = widgetsOf(synthDashboard(explicitFleet()).template);

    it('draws one RequestCount line per cluster, summing its target groups behind every load balancer', () => {
      const chart = widget(widgets, 'Requests per cluster (RequestCount)');
      expect(expressionsOf(chart)).toEqual([
        expect.objectContaining({
          expression: 'SUM(FILL([c0t0l0, c0t0l1, c0t1l0, c0t1l1], 0))',
          label: 'blue',
        }),
        expect.objectContaining({ expression: 'SUM(FILL([c1t0l0, c1t0l1], 0))', label: 'green' }),
      ]);
      const rows = metricRowsOf(chart);
      expect(rows).toContainEqual({
        namespace: 'AWS/ApplicationELB',
        name: 'RequestCount',
        dimensions: {
          TargetGroup: 'targetgroup/web-blue/0123456789abcdef',
          LoadBalancer: 'app/second/fedcba9876543210',
        },
        options: expect.objectContaining({ id: 'c0t1l1', stat: 'Sum', visible: false }),
      });
      expect(rows).toHaveLength(6);
      expect(expressionsOf(chart).some((e) => e.expression.startsWith('SEARCH'))).toBe(false);
    });

    it('averages RequestCountPerTarget and sums target 5xx the same way, per cluster', () => {
      expect(
        expressionsOf(widget(widgets, 'Requests per target (RequestCountPerTarget)')).map((e) => [
          e.label,
          e.expression,
        ]),
      ).toEqual([
        ['blue', 'AVG([c0t0l0, c0t0l1, c0t1l0, c0t1l1])'],
        ['green', 'AVG([c1t0l0, c1t0l1])'],
      ]);
      const errors = widget(widgets, 'Target 5xx per cluster (HTTPCode_Target_5XX_Count)');
      expect(expressionsOf(errors).map((e) => e.label)).toEqual(['blue', 'green']);
      expect(metricRowsOf(errors).every((m) => m.name === 'HTTPCode_Target_5XX_Count')).toBe(true);
    });
  });

  describe('ALB charts for clusters found by tag', () => {
    it('searches each load balancer for its target groups, and charts the share per cluster', () => {
      const config = fleet({
        loadBalancers: [{ arn: LB_ARN }, { arn: LB2_ARN }],
        clusters: [
          { name: 'blue', targetGroups: [tg('api-blue')] },
          { name: 'green' }, // by tag
        ],
      });
      const widgets = widgetsOf(synthDashboard(config).template);

      const expressions = expressionsOf(widget(widgets, 'Requests per cluster (RequestCount)'));
      expect(expressions.map((e) => e.expression)).toEqual([
        'SUM(FILL([c0t0l0, c0t0l1], 0))',
        `SEARCH('{AWS/ApplicationELB,LoadBalancer,TargetGroup} MetricName="RequestCount" LoadBalancer="app/main/0123456789abcdef"', 'Sum', 60)`,
        `SEARCH('{AWS/ApplicationELB,LoadBalancer,TargetGroup} MetricName="RequestCount" LoadBalancer="app/second/fedcba9876543210"', 'Sum', 60)`,
      ]);
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudWatch dynamic label, not a JavaScript template
      expect(expressions[1]?.label).toBe("${PROP('Dim.TargetGroup')}");
      expect(
        expressionsOf(widget(widgets, 'Target 5xx per cluster (HTTPCode_Target_5XX_Count)'))[1]?.expression,
      ).toContain('MetricName="HTTPCode_Target_5XX_Count"');

      const share = metricRowsOf(widget(widgets, 'Cluster share after each step (%)'));
      expect(share.map(({ namespace, name, dimensions }) => [namespace, name, dimensions])).toEqual(
        ['blue', 'green'].map((cluster) => [
          'Clustershift',
          'ClusterShare',
          { service: 'clustershift', fleet: 'demo', cluster },
        ]),
      );
    });
  });

  it("shows every cluster's health alarms and the gate alarms, each once, by ARN", () => {
    const config = fleet({
      clusters: [
        { name: 'blue', healthAlarms: ['blue-5xx', 'shared-latency'] },
        { name: 'green', healthAlarms: ['green-5xx'] },
      ],
      gateAlarms: ['shared-latency', 'fleet-p99-latency'],
    });
    const widgets = widgetsOf(synthDashboard(config).template);

    const alarms = widgets.find((w) => w.type === 'alarm');
    // The partition stays a token (AWS::Partition) even in a stack with an account and region.
    const arn = (name: string) => `arn:${TOKEN}:cloudwatch:eu-west-1:${ACCOUNT}:alarm:${name}`;
    expect(alarms?.properties.alarms).toEqual([
      arn('blue-5xx'),
      arn('shared-latency'),
      arn('green-5xx'),
      arn('fleet-p99-latency'),
    ]);
  });

  it('leaves the alarm widget out when no alarm is configured', () => {
    const config = fleet({ clusters: [{ name: 'blue' }, { name: 'green' }], gateAlarms: [] });
    expect(widgetsOf(synthDashboard(config).template).some((w) => w.type === 'alarm')).toBe(false);
  });

  it("charts the workflow's executions from AWS/States", () => {
    const rows = metricRowsOf(widget(widgetsOf(synthDashboard(fleet()).template), 'Shift executions'));
    expect(rows.map(({ namespace, name, dimensions }) => [namespace, name, dimensions])).toEqual(
      [
        'ExecutionsStarted',
        'ExecutionsSucceeded',
        'ExecutionsFailed',
        'ExecutionsAborted',
        'ExecutionsTimedOut',
      ].map((name) => ['AWS/States', name, { StateMachineArn: TOKEN }]),
    );
  });

  it("charts clustershift's own metrics with the dimensions the functions publish", () => {
    const widgets = widgetsOf(synthDashboard(fleet(), { period: Duration.minutes(5) }).template);
    const fleetDimensions = { service: 'clustershift', fleet: 'demo' };
    const described = (rows: readonly MetricRow[]) =>
      rows.map(({ namespace, name, dimensions }) => [namespace, name, dimensions]);

    const steps = metricRowsOf(widget(widgets, 'Steps, routes written, rollbacks'));
    expect(described(steps)).toEqual([
      ['Clustershift', 'StepsApplied', fleetDimensions],
      ['Clustershift', 'RoutesWritten', fleetDimensions],
      ...['rollback', 'hold', 'skipped', 'nothing-written'].map((mode) => [
        'Clustershift',
        'Rollbacks',
        { ...fleetDimensions, mode },
      ]),
    ]);
    expect(steps.map(({ options }) => options.stat)).toEqual(steps.map(() => 'Sum'));
    expect(widget(widgets, 'Steps, routes written, rollbacks').properties.period).toBe(300);

    const refusals = described(metricRowsOf(widget(widgets, 'Guardrail refusals')));
    expect(refusals).toContainEqual([
      'Clustershift',
      'GuardrailRefusals',
      { ...fleetDimensions, guardrail: 'last-cluster' },
    ]);
    expect(refusals).toHaveLength(8);

    const latency = metricRowsOf(
      widget(widgets, 'Failover latency: alarm event to last weight written (ms)'),
    ).map(({ options }) => [options.label, options.stat]);
    expect(latency).toEqual([
      ['p50', 'p50'],
      ['max', 'Maximum'],
    ]);
  });

  it('keeps the body small for five clusters with explicit target groups behind two load balancers', () => {
    const config = fleet({
      loadBalancers: [{ arn: LB_ARN }, { arn: LB2_ARN }],
      clusters: ['a', 'b', 'c', 'd', 'e'].map((name) => ({
        name,
        healthAlarms: [`${name}-5xx`, `${name}-unhealthy-hosts`],
        targetGroups: [tg(`api-${name}`), tg(`web-${name}`), tg(`admin-${name}`)],
      })),
    });

    const body = bodyOf(synthDashboard(config).template);

    expect(Buffer.byteLength(body, 'utf8')).toBeLessThan(40_000);
  });

  it('adds no cdk-nag finding of its own', () => {
    const { app } = synthDashboard(explicitFleet());
    const findings = new AwsSolutionsChecks()
      .validateScope(app)
      .violations.flatMap((violation) =>
        violation.violatingResources.map((resource) => `${violation.ruleName} ${resource.constructPath}`),
      );
    expect(findings.filter((finding) => finding.includes('/Dashboard'))).toEqual([]);
  });
});
