// One failover latency run on the twin, in a process of its own (the Lambda bundles keep their SDK
// clients and logs per process): `node --import tsx bench/failover-run.ts <routes> <latencyMs> <writesPerSecond>`.
// Prints one JSON line starting with {"failover": …}; everything else on stdout is the handlers' log.

import { readFileSync } from 'node:fs';
import { parseFleetConfig } from '../core/config-yaml';
import { DEMO_CONFIG_FILE, synthesizeDemo } from '../local/demo';
import { startTwin } from '../local/server';
import { runAsChild } from './child-json';
import { benchSeed } from './failover-seed';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const main = async (): Promise<void> => {
  const [routes, latencyMs, writesPerSecond] = process.argv.slice(2).map(Number) as [number, number, number];
  const config = parseFleetConfig(readFileSync(DEMO_CONFIG_FILE, 'utf8'), DEMO_CONFIG_FILE);
  const { templateFile } = await synthesizeDemo();
  // Real time (scale 1): the figure is wall-clock latency, and the failover waits for nothing
  // before its first write.
  const twin = await startTwin({ port: 0, timeScale: 1 });
  try {
    twin.elbv2.seed(benchSeed(routes));
    for (const name of [...config.gateAlarms, ...config.clusters.flatMap((c) => c.healthAlarms)]) {
      twin.cloudwatch.ensureAlarm(name);
      twin.cloudwatch.setAlarmState(name, 'OK', 'bench starts healthy');
    }
    if (config.notifications.snsTopicArn !== undefined)
      twin.sns.ensureTopic(config.notifications.snsTopicArn);
    await twin.deploy(templateFile);
    twin.faults.add({ service: 'elbv2', latencyMs });
    twin.faults.add({ service: 'elbv2', operation: 'ModifyRule', ratePerSecond: writesPerSecond });
    twin.faults.add({ service: 'elbv2', operation: 'ModifyListener', ratePerSecond: writesPerSecond });
    const before = twin.elbv2.weightLog().length;
    const greenArns = new Set(
      twin.elbv2
        .targetGroups()
        .filter((group) => group.tags[config.clusterTagKey] === 'green')
        .map((group) => group.arn),
    );

    // The alarm event: green's health alarm enters ALARM; EventBridge starts the failover.
    const alarmAt = twin.clock.now();
    twin.cloudwatch.setAlarmState(config.clusters[1]?.healthAlarms[0] ?? '', 'ALARM', 'bench: green is sick');

    const drained = (): boolean =>
      twin.elbv2
        .routes()
        .every((route) =>
          route.targetGroups.every((group) => !greenArns.has(group.arn) || group.weight === 0),
        );
    const deadline = Date.now() + 180_000;
    while (!drained()) {
      if (Date.now() > deadline) throw new Error('green was not drained within 3 minutes');
      await sleep(20);
    }
    const writes = twin.elbv2.weightLog().slice(before);
    const lastWriteAt = Math.max(...writes.map((change) => change.at));
    const firstWriteAt = Math.min(...writes.map((change) => change.at));
    const executions = twin.sfn.executions();
    process.stdout.write(
      `${JSON.stringify({
        failover: {
          routes,
          measuredMs: Math.round(lastWriteAt - alarmAt),
          // Reads, planning and the workflow's own steps before the first write; the rest is writing.
          firstWriteMs: Math.round(firstWriteAt - alarmAt),
          writes: writes.length,
          throttled: twin.faults.stats().throttled,
          executions: executions.length,
        },
      })}\n`,
    );
  } finally {
    await twin.close();
  }
};

runAsChild(main);
