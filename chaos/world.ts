import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteItemCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyRuleCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ShiftStore } from '../aws/store';
import type { FleetConfig } from '../core/config';
import { parseFleetConfig } from '../core/config-yaml';
import type { DeployedFunction, LambdaHandler } from '../local/lambda/function';
import { startTwin, type Twin } from '../local/server';
import { REPO_ROOT, synthesizeFleet } from '../local/synth';
import { CHAOS_CONFIG_FILE, chaosSeed, GATE_ALARM, healthAlarmOf, targetGroupName } from './fleet';

/** The signing secret the chaos stack's chat function reads (twin only). */
export const CHAOS_SIGNING_SECRET = 'chaos-slack-signing-secret-twin-only';
const CHAOS_OUTDIR = join(REPO_ROOT, '.clustershift', 'chaos', 'cdk.out');

export interface ChaosWorldOptions {
  /** Twin seconds per real second: a 20 s bake takes 20 / timeScale s. */
  readonly timeScale: number;
  /** Default: the synthesized bundles; tests pass the source handlers (jest cannot load ESM bundles). */
  readonly loadHandler?: (fn: DeployedFunction) => Promise<LambdaHandler>;
}

/**
 * The twin with the chaos fleet deployed (its stack synthesized from chaos/clustershift.chaos.yaml),
 * and what a chaos run needs around it: a reset to the seeded state between runs, and readers of
 * the table the handlers write.
 */
export class ChaosWorld {
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly store: ShiftStore;
  private readonly dynamodb: DynamoDBClient;
  /** Each forward as seeded: its key (rule or listener ARN) and the actions a reset puts back. */
  private seeded: { key: string; isDefault: boolean; actions: unknown[] }[] = [];

  private constructor(
    readonly twin: Twin,
    readonly config: FleetConfig,
    readonly tableName: string,
    readonly stateMachineArn: string,
  ) {
    const clientConfig = {
      endpoint: twin.endpoint,
      region: twin.region,
      credentials: { accessKeyId: 'chaos', secretAccessKey: 'chaos' },
      // The driver's own reads and edits: a kept-alive socket the twin has closed is retried, as
      // any client would.
      maxAttempts: 3,
    };
    this.elbv2 = new ElasticLoadBalancingV2Client(clientConfig);
    this.dynamodb = new DynamoDBClient(clientConfig);
    this.store = new ShiftStore({ tableName, fleet: config.fleet, client: this.dynamodb });
  }

  static async start(options: ChaosWorldOptions): Promise<ChaosWorld> {
    const config = parseFleetConfig(readFileSync(CHAOS_CONFIG_FILE, 'utf8'), CHAOS_CONFIG_FILE);
    const { templateFile } = await synthesizeFleet(CHAOS_CONFIG_FILE, CHAOS_OUTDIR);
    const twin = await startTwin({
      port: 0,
      timeScale: options.timeScale,
      ...(options.loadHandler === undefined ? {} : { loadHandler: options.loadHandler }),
    });
    twin.elbv2.seed(chaosSeed());
    for (const name of alarmNames(config)) twin.cloudwatch.ensureAlarm(name);
    if (config.notifications.snsTopicArn !== undefined)
      twin.sns.ensureTopic(config.notifications.snsTopicArn);
    if (config.chatops.signingSecret !== undefined)
      twin.secrets.putSecret(config.chatops.signingSecret, CHAOS_SIGNING_SECRET);
    const deployment = await twin.deploy(templateFile);
    // AWS's rules: the account's ELBv2 buckets are shared with each cluster's Load Balancer Controller.
    twin.startLbControllers({ clusters: config.clusters.map((cluster) => cluster.name) });
    const tableName = deployment.tables[0]?.name;
    if (tableName === undefined) throw new Error('the chaos stack deployed no table');
    const stateMachineArn = deployment.stateMachines[0]?.arn;
    if (stateMachineArn === undefined) throw new Error('the chaos stack deployed no state machine');
    const world = new ChaosWorld(twin, config, tableName, stateMachineArn);
    await world.captureSeed();
    return world;
  }

  /** Every alarm of the fleet: the clusters' health alarms and the gate alarm. */
  alarms(): string[] {
    return alarmNames(this.config);
  }

  /**
   * Back to the seeded fleet: faults cleared and reseeded, alarms OK, every route at its seeded
   * weights, the table empty, and the clock two hours on (past every lease and cooldown). Nothing
   * of the last run goes on into this one: queued invocations (a chat worker) end first, and an
   * execution still running (a run that did not settle) is stopped, so no writer the next run does
   * not know of is left to move weights during it.
   */
  async reset(seed: number): Promise<void> {
    await this.twin.lambdaApi.settled();
    for (const execution of this.twin.sfn.executions().filter((e) => e.status === 'RUNNING')) {
      await this.twin.sfn.operations.StopExecution?.({
        executionArn: execution.executionArn,
        error: 'chaos.Reset',
        cause: 'still running when the next chaos run began',
      });
    }
    await this.twin.events.whenIdle();
    this.twin.faults.clear();
    this.twin.faults.reseed(seed);
    this.twin.lambda.setInvocationFault(undefined);
    for (const name of this.alarms()) this.twin.cloudwatch.setAlarmState(name, 'OK', 'chaos run reset');
    await this.twin.events.whenIdle();
    for (const route of this.seeded) await this.putActions(route, route.actions);
    let startKey: Record<string, never> | undefined;
    do {
      const page = await this.dynamodb.send(
        new ScanCommand({ TableName: this.tableName, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
      );
      for (const item of page.Items ?? []) {
        const key = { pk: item.pk, sk: item.sk } as never;
        await this.dynamodb.send(new DeleteItemCommand({ TableName: this.tableName, Key: key }));
      }
      startKey = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (startKey !== undefined);
    this.twin.clock.advance(2 * 3_600_000);
  }

  /** Route key (rule or listener ARN) → route name (its host, or `default`). */
  routeKeys(): Record<string, string> {
    return Object.fromEntries(
      this.twin.elbv2.routes().map((route) => [route.key, route.hosts.join(',') || 'default']),
    );
  }

  /** Target group ARN → the cluster its tag names. */
  clusterOfTargetGroups(): Record<string, string> {
    return Object.fromEntries(
      this.twin.elbv2.targetGroups().map((group) => [group.arn, group.tags[this.config.clusterTagKey] ?? '']),
    );
  }

  targetGroupArn(cluster: string, route: string): string {
    const name = targetGroupName(cluster, route);
    const group = this.twin.elbv2.targetGroups().find((g) => g.name === name);
    if (group === undefined) throw new Error(`the chaos fleet has no target group ${name}`);
    return group.arn;
  }

  /** A health alarm's state now. */
  alarmState(name: string): string {
    return this.twin.cloudwatch.alarms().find((alarm) => alarm.name === name)?.state ?? 'INSUFFICIENT_DATA';
  }

  /** Another client sets a route's forward weights (by target group ARN), keeping its other actions. */
  async setWeights(key: string, weights: Record<string, number>): Promise<void> {
    const route = this.seeded.find((r) => r.key === key);
    if (route === undefined) throw new Error(`no seeded route ${key}`);
    const actions = (
      route.actions as { Type?: string; ForwardConfig?: { TargetGroups?: { TargetGroupArn?: string }[] } }[]
    ).map((action) =>
      action.Type !== 'forward' || action.ForwardConfig === undefined
        ? action
        : {
            ...action,
            ForwardConfig: {
              ...action.ForwardConfig,
              TargetGroups: (action.ForwardConfig.TargetGroups ?? []).map((tg) => ({
                ...tg,
                Weight: weights[tg.TargetGroupArn ?? ''] ?? 0,
              })),
            },
          },
    );
    await this.putActions(route, actions);
  }

  /** Replaces a route's actions, as another client would: ModifyListener for a default action. */
  private async putActions(route: { key: string; isDefault: boolean }, actions: unknown[]): Promise<void> {
    if (route.isDefault) {
      await this.elbv2.send(
        new ModifyListenerCommand({ ListenerArn: route.key, DefaultActions: actions as never }),
      );
    } else {
      await this.elbv2.send(new ModifyRuleCommand({ RuleArn: route.key, Actions: actions as never }));
    }
  }

  async close(): Promise<void> {
    this.elbv2.destroy();
    this.dynamodb.destroy();
    await this.twin.close();
  }

  private async captureSeed(): Promise<void> {
    const listenerArn = this.twin.elbv2.routes()[0]?.listenerArn;
    if (listenerArn === undefined) throw new Error('the chaos seed has no listener');
    const page = await this.elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn }));
    this.seeded = (page.Rules ?? []).map((rule) => ({
      key: rule.IsDefault === true ? listenerArn : (rule.RuleArn ?? ''),
      isDefault: rule.IsDefault === true,
      actions: (rule.Actions ?? []).map(({ Type, Order, ForwardConfig, TargetGroupArn }) => ({
        Type,
        Order,
        ...(ForwardConfig === undefined ? {} : { ForwardConfig }),
        ...(TargetGroupArn === undefined || ForwardConfig !== undefined ? {} : { TargetGroupArn }),
      })),
    }));
  }
}

const alarmNames = (config: FleetConfig): string[] => [
  ...config.gateAlarms,
  ...config.clusters.flatMap((cluster) => cluster.healthAlarms),
];

export { GATE_ALARM, healthAlarmOf };
