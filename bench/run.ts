// `npm run bench`: prints the figures the project keeps measuring and writes bench/results.json.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowHarness } from '../test/support/workflow';
import { countDrainCalls } from './api-calls';
import { measureBundles } from './bundle-size';
import { measureChatHandling } from './chatops';
import { FAILOVER_LATENCY_MS, FAILOVER_WRITES_PER_SECOND, measureFailoverLatency } from './failover';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_REGION ??= 'eu-west-1';
process.env.AWS_ACCESS_KEY_ID ??= 'bench';
process.env.AWS_SECRET_ACCESS_KEY ??= 'bench';

const root = join(__dirname, '..');

const main = async () => {
  const bundles = await measureBundles(root);
  console.log('\nFunction bundles (esbuild, ESM, minified, node22)');
  console.table(
    bundles.map((b) => ({
      function: b.function,
      'size KB': Math.round(b.bytes / 102.4) / 10,
      'cold load ms': b.coldLoadMs,
    })),
  );

  const drains = [];
  // One harness (one in-memory DynamoDB) for every run: the SDK client is built once per process.
  const harness = new WorkflowHarness();
  await harness.start();
  try {
    for (const routes of [10, 100]) drains.push(await countDrainCalls(harness, routes));
  } finally {
    await harness.stop();
  }
  console.log('\nAWS API calls of one 4-step drain (bake 60 s, check every 30 s, verify)');
  console.table(
    drains.map((d) => ({
      routes: d.routes,
      total: d.total,
      'per route per step': d.perRoutePerStep,
      ...d.byOperation,
    })),
  );

  const failover = await measureFailoverLatency(root, [10, 100, 500]);
  console.log(
    `\nFailover latency on the twin: alarm event → last weight written ` +
      `(${FAILOVER_LATENCY_MS} ms per ELBv2 call, ${FAILOVER_WRITES_PER_SECOND} writes/s)`,
  );
  console.table(
    failover.map((f) => ({
      routes: f.routes,
      'measured ms': f.measuredMs,
      'first write ms': f.firstWriteMs,
      'floor ms': f.floorMs,
      ratio: f.ratio,
      writes: f.writes,
      throttled: f.throttled,
    })),
  );

  const chat = await measureChatHandling();
  console.log('\nChat endpoint: signed slash command → acknowledgement, on the twin (Slack waits up to 3 s)');
  console.table([
    { cold: chat.coldMs, 'warm median': chat.warmMedianMs, 'warm p95': chat.warmP95Ms, runs: chat.runs },
  ]);

  const results = {
    measuredAt: new Date().toISOString(),
    node: process.version,
    bundles,
    drains,
    chat,
    failover: { latencyMs: FAILOVER_LATENCY_MS, writesPerSecond: FAILOVER_WRITES_PER_SECOND, runs: failover },
  };
  writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log('\nwrote bench/results.json');
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
