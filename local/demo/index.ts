import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FleetConfig } from '../../core/config';
import { parseFleetConfig } from '../../core/config-yaml';
import type { Twin } from '../server';
import { REPO_ROOT, type SynthResult, synthesizeFleet } from '../synth';
import { createDemoAlarms } from './alarms';

/** The demo fleet: one ALB, clusters blue and green, nine services, one of them on blue only. */
export const DEMO_CONFIG_FILE = join(REPO_ROOT, 'local', 'demo', 'clustershift.demo.yaml');
export const DEMO_SEED_FILE = join(REPO_ROOT, 'local', 'demo', 'seed.json');
/** Where the demo stack is synthesized (git-ignored, reused while its inputs are unchanged). */
export const DEMO_OUTDIR = join(REPO_ROOT, '.clustershift', 'demo', 'cdk.out');

export const loadDemoConfig = (): FleetConfig =>
  parseFleetConfig(readFileSync(DEMO_CONFIG_FILE, 'utf8'), DEMO_CONFIG_FILE);

export const synthesizeDemo = (): Promise<SynthResult> => synthesizeFleet(DEMO_CONFIG_FILE, DEMO_OUTDIR);

export interface DemoOptions {
  /**
   * `metric` (default): alarms the twin evaluates against the traffic model, so a sick cluster trips
   * its own alarm. `manual`: placeholders that keep whatever state they are set to (SetAlarmState,
   * /_twin/alarms), for tests that drive alarms by hand and must not race the evaluator.
   */
  readonly alarms?: 'metric' | 'manual';
}

/** Every alarm the config names as a placeholder the evaluator leaves alone, OK. */
const createManualAlarms = (twin: Twin, config: FleetConfig): void => {
  for (const name of [...config.gateAlarms, ...config.clusters.flatMap((cluster) => cluster.healthAlarms)]) {
    twin.cloudwatch.ensureAlarm(name);
    twin.cloudwatch.setAlarmState(name, 'OK', 'demo fleet starts healthy');
  }
};

/**
 * The demo's chat secrets. Known values, because the twin is a laptop's sandbox and scripts and tests
 * sign requests with them; a real deployment keeps its own in Secrets Manager.
 */
export const DEMO_SLACK_SIGNING_SECRET = 'demo-slack-signing-secret-twin-only';
export const DEMO_WEBHOOK_SECRET = 'demo-webhook-secret-twin-only';
/** Where the twin's stand-in for Slack keeps what was posted (GET /_twin/slack). */
export const DEMO_SLACK_SINKS = { notifications: 'notifications', responses: 'responses' } as const;

/** The secrets the demo config names, in the twin's Secrets Manager; Slack is the twin's sink. */
const createDemoSecrets = (twin: Twin, config: FleetConfig): void => {
  const { chatops, notifications } = config;
  if (chatops.signingSecret !== undefined)
    twin.secrets.putSecret(chatops.signingSecret, DEMO_SLACK_SIGNING_SECRET);
  if (chatops.webhookSecret !== undefined) twin.secrets.putSecret(chatops.webhookSecret, DEMO_WEBHOOK_SECRET);
  if (notifications.slack !== undefined) {
    twin.secrets.putSecret(
      notifications.slack.webhookUrlSecret,
      `${twin.endpoint}/_twin/slack/${DEMO_SLACK_SINKS.notifications}`,
    );
  }
};

/** How long the demo fleet has been serving when the twin is ready: minutes of metrics to show. */
export const DEMO_WARM_UP_SECONDS = 600;

/**
 * Seeds the demo load balancer, creates its alarms and deploys the synthesized stack, then lets
 * ten twin minutes pass at once, so CloudWatch already holds traffic when the first command runs.
 */
export const setUpDemo = async (
  twin: Twin,
  templateFile: string,
  options: DemoOptions = {},
): Promise<FleetConfig> => {
  const config = loadDemoConfig();
  twin.seed(DEMO_SEED_FILE);
  if (options.alarms === 'manual') createManualAlarms(twin, config);
  else createDemoAlarms(twin, config);
  // The topic the config notifies, so the workflow's notifications land in the twin (GET /_twin/notifications).
  if (config.notifications.snsTopicArn !== undefined) twin.sns.ensureTopic(config.notifications.snsTopicArn);
  createDemoSecrets(twin, config);
  await twin.deploy(templateFile);
  // The demo account is not idle: each cluster's Load Balancer Controller spends the same ELBv2 buckets.
  twin.startLbControllers({ clusters: config.clusters.map((cluster) => cluster.name) });
  twin.clock.advance(DEMO_WARM_UP_SECONDS * 1000);
  return config;
};
