import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudWatchClient, SetAlarmStateCommand, type StateValue } from '@aws-sdk/client-cloudwatch';
import {
  type Action,
  DescribeListenersCommand,
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
  ModifyRuleCommand,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ListStateMachinesCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import type { HistoryRecord } from '../../aws/store';
import { run } from '../../cli/main';
import { startTwinProcess, type TwinProcess, twinClientConfig } from './twin-process';

/**
 * End-to-end tests on the twin: the demo fleet deployed from the synthesized template, the real CLI
 * in-process, and raw SDK clients standing in for "another client" (an operator's console, a
 * CloudWatch alarm, a second tool editing weights). Nothing here is mocked.
 */
const ROOT = join(__dirname, '..', '..');
export const DEMO_CONFIG = join(ROOT, 'local', 'demo', 'clustershift.demo.yaml');
const DEMO_SEED = join(ROOT, 'local', 'demo', 'seed.json');
const DEMO_LB_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/demo-public/19ed2effb6da7a13';

/** The route of the listener's default action, as keyed in `RouteWeights`. */
export const DEFAULT_ROUTE = 'default';
/** The one route only on blue: a forced drain holds it. */
export const BLUE_ONLY_ROUTE = 'reports.demo.example.com';

/** Weight per target group name, per route (host name, or `default`). */
export type RouteWeights = Record<string, Record<string, number>>;

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

interface SeedForward {
  readonly weights: Record<string, number>;
}
interface SeedListener {
  readonly defaultForward: SeedForward;
  readonly rules: readonly { hosts: readonly string[]; forward: SeedForward }[];
}
interface Seed {
  readonly loadBalancers: readonly { listeners: readonly SeedListener[] }[];
}

/** The weights the demo seed starts with: what every scenario must leave behind. */
export const seedWeights = (): RouteWeights => {
  const seed = JSON.parse(readFileSync(DEMO_SEED, 'utf8')) as Seed;
  const weights: RouteWeights = {};
  for (const listener of seed.loadBalancers.flatMap((lb) => lb.listeners)) {
    weights[DEFAULT_ROUTE] = { ...listener.defaultForward.weights };
    for (const rule of listener.rules) weights[rule.hosts.join(',')] = { ...rule.forward.weights };
  }
  return weights;
};

const targetGroupName = (arn: string): string => arn.split(':targetgroup/')[1]?.split('/')[0] ?? arn;

const routeName = (rule: Rule): string => {
  if (rule.IsDefault === true) return DEFAULT_ROUTE;
  const host = rule.Conditions?.find((c) => c.Field === 'host-header');
  return (host?.HostHeaderConfig?.Values ?? host?.Values ?? []).join(',');
};

const forwardWeights = (actions: readonly Action[] | undefined): Record<string, number> => {
  const forward = actions?.find((a) => a.Type === 'forward');
  return Object.fromEntries(
    (forward?.ForwardConfig?.TargetGroups ?? []).map((tg) => [
      targetGroupName(tg.TargetGroupArn ?? ''),
      tg.Weight ?? 1,
    ]),
  );
};

/** One cluster's total weight on a route: `clusterWeight(weights['svc-a…'], 'blue')`. */
export const clusterWeight = (route: Record<string, number> | undefined, cluster: string): number =>
  Object.entries(route ?? {})
    .filter(([name]) => name.startsWith(`${cluster}-`))
    .reduce((sum, [, weight]) => sum + weight, 0);

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class E2eTwin {
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly cloudwatch: CloudWatchClient;
  readonly sfn: SFNClient;
  private listenerArn?: string;

  private constructor(readonly twin: TwinProcess) {
    const config = twinClientConfig(twin.endpoint);
    this.elbv2 = new ElasticLoadBalancingV2Client(config);
    this.cloudwatch = new CloudWatchClient(config);
    this.sfn = new SFNClient(config);
  }

  /** The demo twin at time scale 60: a 120 s bake takes 2 s, a 30 s gate check interval 0.5 s. */
  static async start(options: { readonly args?: readonly string[] } = {}): Promise<E2eTwin> {
    return new E2eTwin(await startTwinProcess({ timeScale: 60, demo: true, ...options }));
  }

  async close(): Promise<void> {
    for (const client of [this.elbv2, this.cloudwatch, this.sfn]) client.destroy();
    await this.twin.close();
  }

  /** The twin's log, for failure messages. */
  log(): string {
    return `\n--- twin log ---\n${this.twin.log()}`;
  }

  /** `clustershift <argv>` in-process against the twin, with the demo fleet's config. */
  async cli(argv: readonly string[]): Promise<CliResult> {
    let stdout = '';
    let stderr = '';
    const code = await run(argv, {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: { ...process.env, AWS_ENDPOINT_URL: this.twin.endpoint, CLUSTERSHIFT_CONFIG: DEMO_CONFIG },
      cwd: ROOT,
    });
    return { code, stdout, stderr };
  }

  /** Like `cli`, for a `--json` command that prints one document: parsed, or a failure with the output. */
  async cliJson<T>(argv: readonly string[]): Promise<{ code: number; data: T; stderr: string }> {
    const result = await this.cli([...argv, '--json']);
    try {
      return { code: result.code, data: JSON.parse(result.stdout) as T, stderr: result.stderr };
    } catch {
      throw new Error(
        `clustershift ${argv.join(' ')} --json printed no JSON document (exit ${result.code}):\n` +
          `stdout: ${result.stdout}\nstderr: ${result.stderr}`,
      );
    }
  }

  /** Every route's weights as a raw DescribeRules reads them (another client's view, not the CLI's). */
  async routeWeights(): Promise<RouteWeights> {
    const listenerArn = await this.listener();
    const weights: RouteWeights = {};
    let marker: string | undefined;
    do {
      const page = await this.elbv2.send(
        new DescribeRulesCommand({ ListenerArn: listenerArn, ...(marker ? { Marker: marker } : {}) }),
      );
      for (const rule of page.Rules ?? []) weights[routeName(rule)] = forwardWeights(rule.Actions);
      marker = page.NextMarker;
    } while (marker !== undefined);
    return weights;
  }

  /** Another client sets a rule's forward weights (by target group name), keeping its other actions. */
  async setRouteWeights(route: string, weights: Record<string, number>): Promise<void> {
    const rules = await this.elbv2.send(new DescribeRulesCommand({ ListenerArn: await this.listener() }));
    const rule = rules.Rules?.find((r) => routeName(r) === route);
    if (rule?.RuleArn === undefined) throw new Error(`no rule for ${route}`);
    const actions = (rule.Actions ?? []).map((action) => {
      if (action.Type !== 'forward') return action;
      const targetGroups = (action.ForwardConfig?.TargetGroups ?? []).map((tg) => ({
        TargetGroupArn: tg.TargetGroupArn,
        Weight: weights[targetGroupName(tg.TargetGroupArn ?? '')] ?? tg.Weight,
      }));
      return {
        Type: action.Type,
        Order: action.Order,
        ForwardConfig: { ...action.ForwardConfig, TargetGroups: targetGroups },
      };
    });
    await this.elbv2.send(new ModifyRuleCommand({ RuleArn: rule.RuleArn, Actions: actions }));
  }

  async setAlarm(name: string, state: StateValue): Promise<void> {
    await this.cloudwatch.send(
      new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: 'set by the e2e test' }),
    );
  }

  async stateMachineArn(): Promise<string> {
    const machines = await this.sfn.send(new ListStateMachinesCommand({}));
    const arn = machines.stateMachines?.[0]?.stateMachineArn;
    if (arn === undefined) throw new Error(`the twin has no state machine${this.log()}`);
    return arn;
  }

  async execution(executionArn: string): Promise<DescribeExecutionCommandOutput> {
    return this.sfn.send(new DescribeExecutionCommand({ executionArn }));
  }

  /** Polls until the execution has ended; fails with the twin's log if it has not within `timeoutMs`. */
  async ended(executionArn: string, timeoutMs = 45_000): Promise<DescribeExecutionCommandOutput> {
    let last: DescribeExecutionCommandOutput | undefined;
    await this.until(
      `${executionArn} to end`,
      async () => {
        last = await this.execution(executionArn);
        return last.status !== 'RUNNING';
      },
      timeoutMs,
    );
    return last as DescribeExecutionCommandOutput;
  }

  /** Polls `check` every 150 ms until it holds; fails naming `what`, with the twin's log. */
  async until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${this.log()}`);
      await sleep(150);
    }
  }

  /**
   * Waits until the first step is written on every route blue shares with green (blue's weight below
   * the seed's on each): from then on the drain is baking, and the lock is held.
   */
  async firstStepWritten(): Promise<void> {
    const shared = Object.entries(seedWeights()).filter(([, weights]) => clusterWeight(weights, 'green') > 0);
    await this.until('the first step to be written on every shared route', async () => {
      const now = await this.routeWeights();
      return shared.every(
        ([route, weights]) => clusterWeight(now[route], 'blue') < clusterWeight(weights, 'blue'),
      );
    });
  }

  /** The fleet's shift history, newest first, read through `clustershift history --json`. */
  async history(): Promise<HistoryRecord[]> {
    const { code, data, stderr } = await this.cliJson<HistoryRecord[]>(['history']);
    if (code !== 0) throw new Error(`clustershift history failed: ${stderr}`);
    return data;
  }

  private async listener(): Promise<string> {
    if (this.listenerArn !== undefined) return this.listenerArn;
    const listeners = await this.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: DEMO_LB_ARN }));
    const arn = listeners.Listeners?.[0]?.ListenerArn;
    if (arn === undefined) throw new Error(`the demo load balancer has no listener${this.log()}`);
    this.listenerArn = arn;
    return arn;
  }
}

/**
 * Exit code with the output beside it: `expect(outcome(result)).toMatchObject({ code: 0 })` shows
 * what the CLI printed when the code is not the one expected.
 */
export const outcome = (result: CliResult) => ({
  code: result.code,
  output: `${result.stdout}\n${result.stderr}`,
});

/** The execution ARN a `drain … --json` (without --wait) printed. */
export const startedArn = (result: CliResult): string => {
  const arn = (JSON.parse(result.stdout) as { executionArn?: string }).executionArn;
  if (arn === undefined) throw new Error(`no executionArn in ${result.stdout}\n${result.stderr}`);
  return arn;
};
