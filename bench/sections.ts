// What `npm run bench` prints for each measurement, as it finishes.
import { FAILOVER_SETUP } from './failover';
import type { BenchResults } from './results';
import { renderTable } from './table';

const print = (title: string, header: readonly string[], rows: readonly (readonly (string | number)[])[]) => {
  console.log(`\n${title}`);
  console.log(
    renderTable(
      header,
      rows.map((row) => row.map(String)),
    ),
  );
};

export const printBundles = (bundles: BenchResults['bundles']): void =>
  print(
    'Function bundles (esbuild, ESM, minified, node22)',
    ['function', 'size KB', 'cold load ms'],
    bundles.map((b) => [b.function, (b.bytes / 1024).toFixed(1), b.coldLoadMs]),
  );

/** Calls by operation, and per route per step, side by side for each fleet size. */
export const printFleet = (fleet: BenchResults['fleet']): void => {
  const runs = [...fleet.drains, ...(fleet.failover === undefined ? [] : [fleet.failover])];
  const operations = [...new Set(runs.flatMap((r) => Object.keys(r.elbv2CallsByOperation)))];
  const functions = [...new Set(runs.flatMap((r) => Object.keys(r.elbv2CallsByFunction ?? {})))].sort();
  const label = (r: (typeof runs)[number]) => `${r.mode} ${r.routes}`;
  print(
    "ELBv2 calls of clustershift per route per step on the twin under AWS's documented limits " +
      '(4-step drain of blue; a failover of green is one step), and the Load Balancer Controllers beside it',
    ['', ...runs.map(label)],
    [
      ...operations.map((operation) => [
        operation,
        ...runs.map((r) => r.elbv2CallsPerRoutePerStepByOperation[operation] ?? 0),
      ]),
      ['total per route per step', ...runs.map((r) => r.elbv2CallsPerRoutePerStep)],
      ['calls', ...runs.map((r) => r.elbv2Calls)],
      ...functions.map((fn) => [
        `  by ${fn}`,
        ...runs.map((r) => {
          const calls = r.elbv2CallsByFunction?.[fn];
          if (r.elbv2CallsByFunction === undefined) return 'n/a';
          return calls === undefined ? 0 : Object.values(calls).reduce((a, b) => a + b, 0);
        }),
      ]),
      ['load balancers', ...runs.map((r) => r.loadBalancers)],
      ['status', ...runs.map((r) => `${r.status}${r.drained ? '' : ' (not drained)'}`)],
      ['twin s to last write', ...runs.map((r) => Math.round(r.lastWriteMs / 1000))],
      ['history events', ...runs.map((r) => r.history.events)],
      ['largest payload B', ...runs.map((r) => r.history.largestPayloadBytes)],
      ['ApplyStep invocations', ...runs.map((r) => r.history.applyStepInvocations)],
      [
        'controllers throttled / calls, during',
        ...runs.map(
          (r) =>
            `${r.controllersDuringShift.describesThrottled + r.controllersDuringShift.registrationsThrottled} / ${r.controllersDuringShift.describes + r.controllersDuringShift.registrations}`,
        ),
      ],
      [
        'controllers throttled / calls, idle',
        ...runs.map(
          (r) =>
            `${r.controllersIdle.describesThrottled + r.controllersIdle.registrationsThrottled} / ${r.controllersIdle.describes + r.controllersIdle.registrations}`,
        ),
      ],
    ],
  );
};

export const printFailover = (runs: BenchResults['failover']['runs']): void =>
  print(
    `Failover latency on the twin under AWS's documented ELBv2 limits: alarm event → last weight written ` +
      `(mutating bucket ${FAILOVER_SETUP.mutatingBucket.capacity} + ${FAILOVER_SETUP.mutatingBucket.refillPerSecond}/s, ` +
      `describe ${FAILOVER_SETUP.describeBucket.capacity} + ${FAILOVER_SETUP.describeBucket.refillPerSecond}/s, ` +
      `${FAILOVER_SETUP.latencyMs} ms per call, ${FAILOVER_SETUP.controllers} Load Balancer Controllers at ` +
      `${FAILOVER_SETUP.controllerDescribesPerSecond} describe/s each)`,
    [
      'routes',
      'measured ms',
      'first write ms',
      'floor ms',
      'ratio',
      'writes',
      'throttled',
      'failed',
      'controller calls',
      'controller throttled',
      'idle: controller calls',
      'idle: throttled',
      'sick requests',
      'optimum',
      '÷',
      'optimum from 1st write',
      '÷',
    ],
    runs.map((f) => [
      f.routes,
      f.measuredMs,
      f.firstWriteMs,
      f.floorMs,
      f.ratio,
      f.writes,
      f.throttled,
      f.failedExecutions,
      f.controllerCalls,
      f.controllerThrottled,
      f.controllersIdle?.calls ?? '–',
      f.controllersIdle?.throttled ?? '–',
      f.exposure,
      f.optimumExposure,
      f.exposureRatio,
      f.optimumExposureSameStart,
      f.exposureRatioSameStart,
    ]),
  );

export const printChat = (chat: BenchResults['chat']): void =>
  print(
    'Chat endpoint: signed slash command → acknowledgement, on the twin (Slack waits up to 3 s)',
    ['cold ms', 'warm median ms', 'warm p95 ms', 'runs'],
    [[chat.coldMs, chat.warmMedianMs, chat.warmP95Ms, chat.runs]],
  );

export const printThroughput = (twin: BenchResults['twinThroughput']): void =>
  print(
    `Twin throughput, ${twin.routes} routes, SDK clients in the twin's process, ` +
      `${twin.concurrency} in flight for ${twin.durationMs / 1000} s, no faults`,
    ['load', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'errors'],
    twin.loads.map((l) => [l.load, l.requests, l.requestsPerSecond, l.p50Ms, l.p95Ms, l.errors]),
  );

export const printWallTimes = (start: BenchResults['npmStart'], test: BenchResults['npmTest']): void => {
  print(
    'Wall time of the commands a developer runs',
    ['command', 'wall s', 'notes'],
    [
      ['npm start', start.wallSeconds, `drain demo; synth cache ${start.synthCacheWarm ? 'warm' : 'cold'}`],
      test === undefined
        ? ['npm test', 'n/a', '--skip-tests and no previous figure to reuse']
        : [
            'npm test',
            test.wallSeconds,
            `${test.passed} passed, ${test.failed} failed` +
              (test.reused === true ? `; reused from ${test.measuredAt}` : ''),
          ],
    ],
  );
  for (const suite of test?.failedSuites ?? []) console.log(`  failed: ${suite}`);
};
