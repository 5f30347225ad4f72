import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { discoverRoutesWith } from '../aws/elbv2';
import { PlanningStore } from '../aws/store';
import type { FleetConfig } from '../core/config';
import { parseFleetConfig } from '../core/config-yaml';
import { DEMO_CONFIG_FILE } from '../local/demo';
import { ALB_RULES_PER_LOAD_BALANCER, ALB_TARGET_GROUPS_PER_LOAD_BALANCER } from '../local/limits';
import { REPO_ROOT, type SynthResult, synthesizeFleet } from '../local/synth';

/**
 * Routes per load balancer in the bench fleets: its listener's default action and 49 rules. Each route
 * forwards to 2 target groups (blue's and green's), and AWS allows 100 distinct target groups per
 * Application Load Balancer (not adjustable), so 50 routes fill one; 49 rules are well under its 100
 * rules. The twin enforces both (local/limits.ts). 2,000 routes take 40 load balancers.
 */
export const BENCH_ROUTES_PER_LOAD_BALANCER = 50;

/** Target groups per bench route: one per cluster, blue and green. */
const TARGET_GROUPS_PER_ROUTE = 2;

/** The first is the demo's load balancer, so a fleet of up to 50 routes still matches the demo config. */
export const benchLoadBalancerName = (index: number): string =>
  index === 0 ? 'demo-public' : `lb-${index + 1}`;

/** Load balancers a bench fleet of `routes` routes spreads them over. */
export const benchLoadBalancers = (routes: number): number =>
  Math.max(1, Math.ceil(routes / BENCH_ROUTES_PER_LOAD_BALANCER));

/**
 * An ELBv2 seed (local/elbv2/seed.ts format) with `routes` forwards spread over load balancers of
 * BENCH_ROUTES_PER_LOAD_BALANCER routes: each one's listener default action and host rules, each 50/50
 * over a blue and a green target group of 3 targets. The first load balancer has the demo's name, so
 * the demo stack's config matches a fleet of one; a larger one needs benchFleetConfig's.
 */
export const benchSeed = (routes: number) => {
  const perLb = BENCH_ROUTES_PER_LOAD_BALANCER;
  if (perLb - 1 > ALB_RULES_PER_LOAD_BALANCER) throw new Error('bench load balancers exceed the rules quota');
  if (perLb * TARGET_GROUPS_PER_ROUTE > ALB_TARGET_GROUPS_PER_LOAD_BALANCER)
    throw new Error('bench load balancers exceed the target groups quota');
  const group = (cluster: string, app: string, subnet: number) => ({
    name: `${cluster}-${app}`,
    port: 8080,
    tags: { 'clustershift:cluster': cluster, app },
    targets: [1, 2, 3].map((host) => ({ id: `10.${subnet >> 8}.${subnet & 255}.${10 + host}` })),
  });
  const lbCount = benchLoadBalancers(routes);
  const appsOf = (lb: number): { defaultApp: string; services: string[] } => {
    const first = lb * perLb;
    const count = Math.min(perLb, routes - first);
    // The first load balancer's default is `default` and its rules r001…, as before the spread.
    const name = (i: number) => (i === 0 ? 'default' : `r${String(i).padStart(3, '0')}`);
    return {
      defaultApp: name(first),
      services: Array.from({ length: Math.max(0, count - 1) }, (_, i) => name(first + i + 1)),
    };
  };
  const lbs = Array.from({ length: lbCount }, (_, lb) => appsOf(lb));
  const apps = lbs.flatMap(({ defaultApp, services }) => [defaultApp, ...services]);
  return {
    targetGroups: apps.flatMap((app, i) => [
      group('blue', app, 2 * i + 256),
      group('green', app, 2 * i + 257),
    ]),
    loadBalancers: lbs.map(({ defaultApp, services }, lb) => ({
      name: benchLoadBalancerName(lb),
      scheme: 'internet-facing',
      listeners: [
        {
          port: 443,
          protocol: 'HTTPS',
          certificateArn:
            'arn:aws:acm:us-east-1:000000000000:certificate/0d2f6a3e-demo-4c1b-9a77-5e0c1e2d3f40',
          defaultForward: { weights: { [`blue-${defaultApp}`]: 50, [`green-${defaultApp}`]: 50 } },
          rules: services.map((app, i) => ({
            priority: i + 1,
            hosts: [`${app}.bench.example.com`],
            forward: { weights: { [`blue-${app}`]: 50, [`green-${app}`]: 50 } },
          })),
        },
      ],
    })),
  };
};

/**
 * The demo config with the bench fleet's load balancers (their ARNs, as the twin's seed made them),
 * without chat and Slack: the bench measures shifts, not chat or webhooks, so it deploys neither their
 * functions nor their secrets (which also keeps its figures comparable with earlier runs). The config
 * travels in each function's code asset, so it may name any number of load balancers.
 */
export const benchFleetConfig = (loadBalancerArns: readonly string[]): string => {
  const demo = readFileSync(DEMO_CONFIG_FILE, 'utf8');
  const start = demo.indexOf('\nloadBalancers:\n');
  const end = demo.indexOf('\n\n', start + 1);
  const chat = demo.indexOf('\nchatops:\n');
  if (start < 0 || end < 0 || chat < end) throw new Error(`unexpected layout of ${DEMO_CONFIG_FILE}`);
  const block = ['', 'loadBalancers:', ...loadBalancerArns.map((arn) => `  - arn: ${arn}`)].join('\n');
  const rest = demo
    .slice(end, chat)
    .replace(/\n {2}# The twin puts its Slack[^\n]*\n {2}slack:\n {4}webhookUrlSecret:[^\n]*/, '');
  return `${demo.slice(0, start)}${block}${rest}\nchatops:\n  enabled: false\n`;
};

/**
 * Writes benchFleetConfig's config and synthesizes the stack for it (cached per fleet, like the
 * demo's): its IAM policies name every load balancer of the fleet, as a real deployment's would.
 */
export const synthesizeBenchFleet = async (
  loadBalancerArns: readonly string[],
): Promise<SynthResult & { readonly config: FleetConfig; readonly configFile: string }> => {
  const dir = join(REPO_ROOT, '.clustershift', 'bench', `fleet-${loadBalancerArns.length}-lbs`);
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, 'clustershift.yaml');
  const text = benchFleetConfig(loadBalancerArns);
  writeFileSync(configFile, text);
  const synth = await synthesizeFleet(configFile, join(dir, 'cdk.out'));
  return { ...synth, config: parseFleetConfig(text, configFile), configFile };
};

/**
 * The tag inventory an earlier plan, shift or status of the last 30 days leaves in the table
 * (core/tag-inventory.ts), written the way Prepare writes it, from a discovery made here: the
 * failover's functions stay cold (a dry run through the workflow would load them first).
 */
export const seedTagInventory = async (
  twin: { readonly endpoint: string; readonly region: string; readonly clock: { now(): number } },
  config: FleetConfig,
  tableName: string,
): Promise<number> => {
  const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
  const elbv2 = new ElasticLoadBalancingV2Client({
    endpoint: twin.endpoint,
    region: twin.region,
    credentials,
  });
  const dynamodb = new DynamoDBClient({ endpoint: twin.endpoint, region: twin.region, credentials });
  try {
    const { tagsRead } = await discoverRoutesWith(config, elbv2);
    const store = new PlanningStore({ tableName, fleet: config.fleet, client: dynamodb });
    await store.saveTagInventory('bench-earlier-plan', tagsRead, new Date(twin.clock.now()));
    return tagsRead.size;
  } finally {
    elbv2.destroy();
    dynamodb.destroy();
  }
};
