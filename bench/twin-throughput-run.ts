// Twin throughput, in a process of its own (a fresh twin, nothing else on its event loop):
// `node --import tsx bench/twin-throughput-run.ts <routes> <concurrency> <durationMs>`.
// Prints one JSON line starting with {"twinThroughput": …}.

import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyRuleCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { loadDemoConfig } from '../local/demo';
import { startTwin } from '../local/server';
import { runAsChild } from './child-json';
import { benchSeed } from './failover-seed';
import { type LoadRequest, runLoad } from './load';

/** As the adapters read rules (aws/elbv2-describe.ts): 400 a page, so 500 routes take 2 pages. */
const RULES_PAGE_SIZE = 400;
/** DescribeTags takes at most 20 resources a call. */
const TAGS_BATCH = 20;
const WARM_UP_MS = 1000;

const main = async (): Promise<void> => {
  const [routes, concurrency, durationMs] = process.argv.slice(2).map(Number) as [number, number, number];
  // The twin's own speed, not AWS's: no API limits here (the failover bench runs with them).
  const twin = await startTwin({ port: 0, timeScale: 1, apiLimits: false });
  try {
    twin.elbv2.seed(benchSeed(routes));
    const config = loadDemoConfig();
    const alarmNames = [...config.gateAlarms, ...config.clusters.flatMap((c) => c.healthAlarms)];
    for (const name of alarmNames) twin.cloudwatch.ensureAlarm(name, 'OK');

    // The SDK clients the functions and the CLI use, one attempt: an error must show, not be retried.
    const clientConfig = {
      endpoint: twin.endpoint,
      region: twin.region,
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
      maxAttempts: 1,
    };
    const elbv2 = new ElasticLoadBalancingV2Client(clientConfig);
    const cloudwatch = new CloudWatchClient(clientConfig);

    const forwards = twin.elbv2.routes();
    const listenerArn = forwards[0]?.listenerArn ?? '';
    const rules = forwards.flatMap((route) => (route.ruleArn === undefined ? [] : [route]));
    const groupArns = twin.elbv2.targetGroups().map((group) => group.arn);
    const markers = new Map<number, string | undefined>();

    // Round robin over what a shift reads: rule pages (each worker pages through the listener on
    // its own), one target group's health, a batch of tags, the fleet's alarms.
    const read: LoadRequest = async (worker, sequence) => {
      switch (sequence % 4) {
        case 0: {
          const input = { ListenerArn: listenerArn, PageSize: RULES_PAGE_SIZE, Marker: markers.get(worker) };
          markers.set(worker, (await elbv2.send(new DescribeRulesCommand(input))).NextMarker);
          return;
        }
        case 1:
          await elbv2.send(
            new DescribeTargetHealthCommand({ TargetGroupArn: groupArns[sequence % groupArns.length] }),
          );
          return;
        case 2: {
          const from = (sequence * TAGS_BATCH) % groupArns.length;
          await elbv2.send(
            new DescribeTagsCommand({ ResourceArns: groupArns.slice(from, from + TAGS_BATCH) }),
          );
          return;
        }
        default:
          await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: alarmNames }));
      }
    };
    // Weight writes as ApplyStep makes them: one rule's forward, both target groups.
    const write: LoadRequest = async (_worker, sequence) => {
      const rule = rules[sequence % rules.length];
      const [first, second] = rule?.targetGroups ?? [];
      const weight = (sequence * 7) % 101;
      await elbv2.send(
        new ModifyRuleCommand({
          RuleArn: rule?.ruleArn,
          Actions: [
            {
              Type: 'forward',
              ForwardConfig: {
                TargetGroups: [
                  { TargetGroupArn: first?.arn, Weight: weight },
                  { TargetGroupArn: second?.arn, Weight: 100 - weight },
                ],
              },
            },
          ],
        }),
      );
    };

    const options = { concurrency, durationMs, warmUpMs: WARM_UP_MS };
    const loads = [
      { load: 'read', ...(await runLoad(read, options)) },
      { load: 'write', ...(await runLoad(write, options)) },
    ];
    elbv2.destroy();
    cloudwatch.destroy();
    process.stdout.write(
      `${JSON.stringify({ twinThroughput: { routes, concurrency, durationMs, loads } })}\n`,
    );
  } finally {
    await twin.close();
  }
};

runAsChild(main);
