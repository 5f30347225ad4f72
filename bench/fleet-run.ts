// One fleet-size run on the twin, in a process of its own (a fresh twin; the Lambda bundles keep their
// SDK clients per process): `node --import tsx bench/fleet-run.ts <drain|failover> <routes> <timeScale>
// <real|twin>` (the last: whether Lambda timeouts count real or twin time). AWS's documented ELBv2
// limits are on, blue's and green's Load Balancer Controllers spend the same buckets, and the routes
// are spread over load balancers of 50 (bench/failover-seed.ts).
// Prints one JSON line starting with {"fleet": …}; everything else on stdout is the handlers' log.

import {
  GetExecutionHistoryCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { ControllerStats } from '../local/lb-controllers';
import { startTwin, type Twin } from '../local/server';
import { runAsChild } from './child-json';
import { FAILOVER_CONTROLLERS, FAILOVER_LATENCY_MS } from './failover';
import { benchLoadBalancers, benchSeed, synthesizeBenchFleet } from './failover-seed';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What the controllers did over a window, summed over both. */
interface ControllerWindow {
  readonly twinMs: number;
  readonly describes: number;
  readonly describesThrottled: number;
  readonly registrations: number;
  readonly registrationsThrottled: number;
}

const sumControllers = (stats: readonly ControllerStats[]) => ({
  describes: stats.reduce((t, s) => t + s.describes, 0),
  describesThrottled: stats.reduce((t, s) => t + s.describesThrottled, 0),
  registrations: stats.reduce((t, s) => t + s.registrations, 0),
  registrationsThrottled: stats.reduce((t, s) => t + s.registrationsThrottled, 0),
});

/** Measures the controllers (and clustershift's ELBv2 calls) over `run`. */
const window = async <T>(twin: Twin, run: () => Promise<T>) => {
  const before = sumControllers(twin.lbControllerStats());
  const opsBefore = twin.throttle.operationStats();
  const byPrincipalBefore = twin.throttle.operationStatsByPrincipal();
  const startedAt = twin.clock.now();
  const result = await run();
  const twinMs = twin.clock.now() - startedAt;
  const after = sumControllers(twin.lbControllerStats());
  const opsAfter = twin.throttle.operationStats();
  const calls: Record<string, number> = {};
  const throttled: Record<string, number> = {};
  const byFunction: Record<string, Record<string, number>> = {};
  for (const [principal, operations] of Object.entries(twin.throttle.operationStatsByPrincipal())) {
    for (const [key, counts] of Object.entries(operations)) {
      if (!key.startsWith('elbv2:')) continue;
      const earlier = byPrincipalBefore[principal]?.[key];
      const n = counts.admitted + counts.throttled - (earlier?.admitted ?? 0) - (earlier?.throttled ?? 0);
      if (n <= 0) continue;
      const fn = functionLabel(principal);
      byFunction[fn] = { ...byFunction[fn], [key.slice('elbv2:'.length)]: n };
    }
  }
  for (const [key, counts] of Object.entries(opsAfter)) {
    if (!key.startsWith('elbv2:')) continue;
    const operation = key.slice('elbv2:'.length);
    const admitted = counts.admitted - (opsBefore[key]?.admitted ?? 0);
    const refused = counts.throttled - (opsBefore[key]?.throttled ?? 0);
    if (admitted + refused > 0) calls[operation] = admitted + refused;
    if (refused > 0) throttled[operation] = refused;
  }
  const controllers: ControllerWindow = {
    twinMs: Math.round(twinMs),
    describes: after.describes - before.describes,
    describesThrottled: after.describesThrottled - before.describesThrottled,
    registrations: after.registrations - before.registrations,
    registrationsThrottled: after.registrationsThrottled - before.registrationsThrottled,
  };
  return { result, twinMs, calls, throttled, byFunction, controllers };
};

/** `Prepare` for the deployed `ClusterShift-demo-ClusterShiftPrepareFunction782855-…`; `-`: no function. */
const functionLabel = (principal: string): string =>
  /ClusterShift([A-Za-z]+?)Function/.exec(principal)?.[1] ?? principal;

/** ELBv2 calls made by `principal` so far, per operation. */
const elbv2CallsOf = (twin: Twin, principal: string): Record<string, number> =>
  Object.fromEntries(
    Object.entries(twin.throttle.operationStatsByPrincipal()[principal] ?? {})
      .filter(([key]) => key.startsWith('elbv2:'))
      .map(([key, counts]) => [key.slice('elbv2:'.length), counts.admitted + counts.throttled]),
  );

/**
 * BENCH_TRACE=1: one line per Lambda invocation, with the task's step, phase and check and the
 * ELBv2 calls it made (by its own principal, so the controllers' calls are not among them).
 */
const traceInvocations = (twin: Twin): string[] => {
  const lines: string[] = [];
  const invoke = twin.lambda.invoke.bind(twin.lambda);
  twin.lambda.invoke = async (name, payload, options) => {
    const fn = twin.lambda.find(name).name;
    const before = elbv2CallsOf(twin, fn);
    const at = twin.clock.now();
    const event = (payload ?? {}) as Record<string, unknown>;
    const where = ['phase', 'stepIndex', 'checks', 'attempt', 'offset']
      .filter((key) => event[key] !== undefined)
      .map((key) => `${key}=${JSON.stringify(event[key])}`)
      .join(' ');
    const finish = (outcome: string) => {
      const after = elbv2CallsOf(twin, fn);
      const calls = Object.entries(after)
        .map(([op, n]) => [op, n - (before[op] ?? 0)] as const)
        .filter(([, n]) => n > 0)
        .map(([op, n]) => `${op}=${n}`)
        .join(' ');
      lines.push(
        `${Math.round(at)} +${Math.round(twin.clock.now() - at)} ${fn} ${where} ${outcome} | ${calls}`,
      );
    };
    try {
      const result = await invoke(name, payload, options);
      finish('ok');
      return result;
    } catch (error) {
      finish(error instanceof Error ? error.name : 'error');
      throw error;
    }
  };
  return lines;
};

/** The execution's history: its event count, the largest state input/output, ApplyStep invocations. */
const historyFacts = async (sfn: SFNClient, executionArn: string) => {
  let events = 0;
  let largestPayloadBytes = 0;
  let largestPayloadState = '';
  let applyStepInvocations = 0;
  let rollbackInvocations = 0;
  let state = '';
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        maxResults: 1000,
        nextToken,
        includeExecutionData: true,
      }),
    );
    for (const event of page.events ?? []) {
      events += 1;
      const entered = event.stateEnteredEventDetails;
      if (entered?.name !== undefined) {
        state = entered.name;
        if (state === 'ApplyStep') applyStepInvocations += 1;
        if (state === 'Rollback') rollbackInvocations += 1;
      }
      const payloads = [
        entered?.input,
        event.stateExitedEventDetails?.output,
        event.lambdaFunctionScheduledEventDetails?.input,
        event.lambdaFunctionSucceededEventDetails?.output,
        event.executionStartedEventDetails?.input,
        event.executionSucceededEventDetails?.output,
      ];
      for (const payload of payloads) {
        const bytes = payload === undefined ? 0 : Buffer.byteLength(payload, 'utf8');
        if (bytes > largestPayloadBytes) {
          largestPayloadBytes = bytes;
          largestPayloadState = state;
        }
      }
    }
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return { events, largestPayloadBytes, largestPayloadState, applyStepInvocations, rollbackInvocations };
};

const main = async (): Promise<void> => {
  const [mode, routesArg, scaleArg, timeouts] = process.argv.slice(2);
  const routes = Number(routesArg);
  const timeScale = Number(scaleArg);
  if (mode !== 'drain' && mode !== 'failover') throw new Error(`mode must be drain or failover, got ${mode}`);
  if (timeouts !== 'real' && timeouts !== 'twin')
    throw new Error(`timeouts must be real or twin, got ${timeouts}`);
  const twin = await startTwin({ port: 0, timeScale, lambdaTimeouts: timeouts });
  try {
    const seeded = twin.elbv2.seed(benchSeed(routes));
    const { templateFile, config } = await synthesizeBenchFleet(Object.values(seeded.loadBalancerArns));
    for (const name of [...config.gateAlarms, ...config.clusters.flatMap((c) => c.healthAlarms)]) {
      twin.cloudwatch.ensureAlarm(name);
      twin.cloudwatch.setAlarmState(name, 'OK', 'bench starts healthy');
    }
    if (config.notifications.snsTopicArn !== undefined)
      twin.sns.ensureTopic(config.notifications.snsTopicArn);
    if (config.notifications.slack !== undefined)
      twin.secrets.putSecret(
        config.notifications.slack.webhookUrlSecret,
        `${twin.endpoint}/_twin/slack/bench`,
      );
    await twin.deploy(templateFile);
    twin.faults.add({ service: 'elbv2', latencyMs: FAILOVER_LATENCY_MS });
    twin.startLbControllers({ clusters: FAILOVER_CONTROLLERS });
    // Let the buckets fill up again after the deploy, as an account at rest would have them.
    await sleep(5_000);

    const sfn = new SFNClient({
      endpoint: twin.endpoint,
      region: twin.region,
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    });
    const machine = (await sfn.send(new ListStateMachinesCommand({}))).stateMachines?.[0]?.stateMachineArn;
    if (machine === undefined) throw new Error('the twin has no state machine');
    const blueOrGreen = mode === 'drain' ? 'blue' : 'green';
    const sickArns = new Set(
      twin.elbv2
        .targetGroups()
        .filter((group) => group.tags[config.clusterTagKey] === blueOrGreen)
        .map((group) => group.arn),
    );
    const drained = (): boolean =>
      twin.elbv2
        .routes()
        .every((route) =>
          route.targetGroups.every((group) => !sickArns.has(group.arn) || group.weight === 0),
        );
    const writesBefore = twin.elbv2.weightLog().length;

    const trace = process.env.BENCH_TRACE === '1' ? traceInvocations(twin) : undefined;
    const busy = await window(twin, async () => {
      const startedAt = twin.clock.now();
      let executionArn: string;
      if (mode === 'drain') {
        const started = await sfn.send(
          new StartExecutionCommand({
            stateMachineArn: machine,
            name: `bench-drain-${routes}`,
            input: JSON.stringify({
              action: 'drain',
              cluster: 'blue',
              reason: 'bench',
              requestedBy: 'cli:bench',
            }),
          }),
        );
        executionArn = started.executionArn ?? '';
      } else {
        // green's health alarm → EventBridge → the workflow, as bench/failover-run.ts does.
        twin.cloudwatch.setAlarmState(
          config.clusters[1]?.healthAlarms[0] ?? '',
          'ALARM',
          'bench: green is sick',
        );
        for (;;) {
          const run = twin.sfn.executions()[0];
          if (run !== undefined) {
            executionArn = run.executionArn;
            break;
          }
          await sleep(5);
        }
      }
      const done = await twin.sfn.whenDone(executionArn);
      return { executionArn, done, startedAt };
    });
    const { executionArn, done, startedAt } = busy.result;
    if (trace !== undefined) {
      for (const line of trace) process.stderr.write(`${line}\n`);
      process.stderr.write(`${JSON.stringify(twin.throttle.operationStatsByPrincipal())}\n`);
    }
    const writes = twin.elbv2.weightLog().slice(writesBefore);
    const lastWriteAt = writes.length === 0 ? startedAt : Math.max(...writes.map((w) => w.at));
    // As long again without a shift: do the controllers throttle less when clustershift is idle?
    const idle = await window(twin, () => sleep(busy.twinMs / timeScale));
    const history = await historyFacts(sfn, executionArn);
    const steps = mode === 'drain' ? config.drain.steps.length : config.failover.steps.length;
    const calls = Object.values(busy.calls).reduce((a, b) => a + b, 0);
    const perRoutePerStep = (n: number) => Math.round((n / routes / steps) * 1000) / 1000;
    process.stdout.write(
      `${JSON.stringify({
        fleet: {
          mode,
          routes,
          loadBalancers: benchLoadBalancers(routes),
          steps,
          timeScale,
          lambdaTimeouts: timeouts,
          status: done.status,
          ...(done.error === undefined
            ? {}
            : { error: done.error, cause: String(done.cause ?? '').slice(0, 500) }),
          drained: drained(),
          twinMs: Math.round(busy.twinMs),
          lastWriteMs: Math.round(lastWriteAt - startedAt),
          writes: writes.length,
          elbv2Calls: calls,
          elbv2CallsPerRoutePerStep: perRoutePerStep(calls),
          elbv2CallsByOperation: busy.calls,
          elbv2CallsPerRoutePerStepByOperation: Object.fromEntries(
            Object.entries(busy.calls).map(([op, n]) => [op, perRoutePerStep(n)]),
          ),
          elbv2CallsByFunction: busy.byFunction,
          elbv2Throttled: busy.throttled,
          controllersDuringShift: busy.controllers,
          controllersIdle: idle.controllers,
          history,
        },
      })}\n`,
    );
  } finally {
    await twin.close();
  }
};

runAsChild(main);
