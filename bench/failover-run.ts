// One failover latency run on the twin, in a process of its own (the Lambda bundles keep their SDK
// clients and logs per process): `node --import tsx bench/failover-run.ts <routes> <latencyMs>`.
// AWS's documented ELBv2 limits are on (the twin's default), and two Load Balancer Controllers spend
// the same buckets.
// Prints one JSON line starting with {"failover": …}; everything else on stdout is the handlers' log.

import { startTwin } from '../local/server';
import { runAsChild } from './child-json';
import { optimumExposure, skewedRates } from './exposure';
import { FAILOVER_CONTROLLERS } from './failover';
import { benchSeed, seedTagInventory, synthesizeBenchFleet } from './failover-seed';

/** How long the controllers run alone before the alarm, real ms (the twin runs at scale 1 here). */
const CONTROLLERS_IDLE_MS = 15_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const main = async (): Promise<void> => {
  const [routes, latencyMs] = process.argv.slice(2).map(Number) as [number, number];
  // Real time (scale 1): the figure is wall-clock latency, and the failover waits for nothing
  // before its first write.
  // Skewed traffic: a few routes carry most requests, and they are not the first ones discovered.
  const rates = skewedRates(routes);
  const rateIndex = new Map<string, number>();
  const ratePerRoute = (route: { readonly key: string }): number => {
    let index = rateIndex.get(route.key);
    if (index === undefined) {
      index = rateIndex.size;
      rateIndex.set(route.key, index);
    }
    return rates[index] ?? 0;
  };
  const twin = await startTwin({ port: 0, timeScale: 1, ratePerRoute });
  try {
    // AWS allows 100 target groups per load balancer (50 two-cluster routes): the routes spread over
    // several, and the fleet's config names every one of them.
    const seeded = twin.elbv2.seed(benchSeed(routes));
    const { templateFile, config } = await synthesizeBenchFleet(Object.values(seeded.loadBalancerArns));
    for (const name of [...config.gateAlarms, ...config.clusters.flatMap((c) => c.healthAlarms)]) {
      twin.cloudwatch.ensureAlarm(name);
      twin.cloudwatch.setAlarmState(name, 'OK', 'bench starts healthy');
    }
    if (config.notifications.snsTopicArn !== undefined)
      twin.sns.ensureTopic(config.notifications.snsTopicArn);
    const deployment = await twin.deploy(templateFile);
    // BENCH_TAG_INVENTORY=cold: the first failover after deploy, before any plan kept the fleet's tags.
    const inventory =
      process.env.BENCH_TAG_INVENTORY === 'cold'
        ? 0
        : await seedTagInventory(twin, config, deployment.tables[0]?.name ?? '');
    twin.faults.add({ service: 'elbv2', latencyMs });
    twin.startLbControllers({ clusters: FAILOVER_CONTROLLERS });
    // Let the buckets fill up again after the deploy's reads, as an account at rest would have them.
    await sleep(5_000);
    // The controllers alone for a while: what they meet with no failover running (the baseline their
    // throttled calls during the failover are compared with).
    const idleFrom = twin.lbControllerStats();
    const idleStartedAt = twin.clock.now();
    await sleep(CONTROLLERS_IDLE_MS);
    const controllersBefore = twin.lbControllerStats();
    const idleMs = twin.clock.now() - idleStartedAt;
    const clientThrottledBefore = clientThrottled(twin);
    const before = twin.elbv2.weightLog().length;
    const beforeWeights = new Map(
      twin.elbv2.routes().map((route) => [route.key, route.targetGroups.map((g) => ({ ...g }))]),
    );
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
    // Generous: three times what the mutating bucket needs, plus two minutes of reads.
    const limitMs = 3 * (routes / 3) * 1000 + 120_000;
    const deadline = Date.now() + limitMs;
    while (!drained()) {
      const failed = twin.sfn.executions().filter((e) => e.status !== 'RUNNING' && e.status !== 'SUCCEEDED');
      if (failed.length > 0) {
        throw new Error(
          `the failover failed before writing every route: ${failed.map((e) => `${e.status} ${e.error ?? ''} ${e.cause ?? ''}`).join('; ')}`,
        );
      }
      if (Date.now() > deadline) throw new Error(`green was not drained within ${limitMs / 1000} s`);
      await sleep(20);
    }
    const controllers = twin.lbControllerStats();
    const writes = twin.elbv2.weightLog().slice(before);
    const lastWriteAt = Math.max(...writes.map((change) => change.at));
    const firstWriteAt = Math.min(...writes.map((change) => change.at));
    const executions = twin.sfn.executions();
    // BENCH_TRACE=1: where the time before the first write went, one line per Lambda invocation.
    if (process.env.BENCH_TRACE === '1') {
      for (const call of twin.lambda.invocations().filter((c) => c.at >= alarmAt))
        process.stderr.write(`${call.at - alarmAt} ms +${call.durationMs} ${call.functionName}\n`);
      process.stderr.write(`first write ${firstWriteAt - alarmAt} ms\n`);
    }
    // Harm: requests the sick cluster still received between the alarm and the last write (exact, from
    // the twin's traffic model), against the best any writer could do at ELBv2's documented pace.
    const exposure = [...greenArns].reduce(
      (sum, arn) => sum + twin.traffic.requestsServed(arn, alarmAt, lastWriteAt),
      0,
    );
    const sickRates = [...beforeWeights].map(([key, groups]) => {
      const total = groups.reduce((sum, group) => sum + group.weight, 0);
      const green = groups.filter((group) => greenArns.has(group.arn)).reduce((sum, g) => sum + g.weight, 0);
      return total === 0 ? 0 : (ratePerRoute({ key }) * green) / total;
    });
    process.stdout.write(
      `${JSON.stringify({
        failover: {
          routes,
          // Resources whose tags the inventory held at the alarm (0: a cold failover reads them all).
          tagInventory: inventory,
          measuredMs: Math.round(lastWriteAt - alarmAt),
          // Reads, planning and the workflow's own steps before the first write; the rest is writing.
          firstWriteMs: Math.round(firstWriteAt - alarmAt),
          writes: writes.length,
          exposure: Math.round(exposure),
          optimumExposure: Math.round(optimumExposure(sickRates, latencyMs)),
          // The same writer starting when clustershift's first write landed: what is left is the order
          // and pace of the writes, without the workflow's start (Lambda start-ups, the reads).
          optimumExposureSameStart: Math.round(optimumExposure(sickRates, firstWriteAt - alarmAt)),
          throttled: clientThrottled(twin) - clientThrottledBefore,
          controllerCalls: calls(controllers) - calls(controllersBefore),
          controllerThrottled: throttledOf(controllers) - throttledOf(controllersBefore),
          controllersIdle: {
            ms: Math.round(idleMs),
            calls: calls(controllersBefore) - calls(idleFrom),
            throttled: throttledOf(controllersBefore) - throttledOf(idleFrom),
          },
          failedExecutions: executions.filter((e) => e.status !== 'RUNNING' && e.status !== 'SUCCEEDED')
            .length,
        },
      })}\n`,
    );
  } finally {
    await twin.close();
  }
};

type ControllerStats = ReturnType<Awaited<ReturnType<typeof startTwin>>['lbControllerStats']>;
/** The controllers' ELBv2 calls (describes and registrations), and those the twin throttled. */
const calls = (stats: ControllerStats): number =>
  stats.reduce((total, s) => total + s.describes + s.registrations, 0);
const throttledOf = (stats: ControllerStats): number =>
  stats.reduce((total, s) => total + s.describesThrottled + s.registrationsThrottled, 0);

/** ELBv2 calls of clustershift (not the background controllers) the twin answered with Throttling. */
const clientThrottled = (twin: Awaited<ReturnType<typeof startTwin>>): number =>
  twin.throttle.stats().reduce((total, bucket) => total + bucket.throttled.client, 0);

runAsChild(main);
