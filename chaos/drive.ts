import { run as runCli } from '../cli/main';
import { signSlackRequest } from '../core/chat/signature';
import type { WeightChange } from '../local/elbv2/view';
import { CHAOS_CONFIG_FILE, healthAlarmOf, INITIAL_WEIGHTS, targetGroupName } from './fleet';
import type {
  Observation,
  ObservedExecution,
  ObservedPlan,
  ObservedStart,
  ObservedWrite,
  TargetWeights,
} from './observation';
import type { ChaosSchedule, FaultSpec, StartSpec, When } from './schedule';
import { CHAOS_SIGNING_SECRET, type ChaosWorld } from './world';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface DriveOptions {
  /** Real ms a run may take to settle before it is reported as stuck. */
  readonly settleTimeoutMs?: number;
}

/** A fake execution of the chaos state machine: the holder of a lock whose process died. */
const deadExecutionArn = (stateMachineArn: string, seed: number): string =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:dead-holder-${seed}`;

const tuplesOf = (change: WeightChange): TargetWeights =>
  Object.fromEntries(change.targetGroups.map((tg) => [tg.arn, tg.weight]));

/**
 * Runs one schedule on the chaos world and returns what it observed once everything has ended. The
 * driver plays every part around clustershift: the operator at the CLI, the chat user, CloudWatch
 * (alarm states), another client editing weights, and the faults.
 */
export const drive = async (
  world: ChaosWorld,
  schedule: ChaosSchedule,
  options: DriveOptions = {},
): Promise<Observation> => {
  const { twin } = world;
  await world.reset(schedule.seed);
  const startMs = twin.clock.now();
  const realStart = Date.now();
  const logStart = twin.elbv2.weightLog().length;
  const initial = currentWeights(world);
  const manualEdits: { key: string; weights: TargetWeights; from: number; to: number }[] = [];
  const starts: ObservedStart[] = [];
  const inFlight = new Set<Promise<unknown>>();
  /** Driver actions that threw (a twin or driver problem, reported as the run not settling). */
  const failures: string[] = [];
  const track = (work: Promise<unknown>): void => {
    const tracked = work
      .catch((error: unknown) => {
        failures.push(error instanceof Error ? error.message : String(error));
      })
      .finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  // Writes by anyone but the driver count towards `write` triggers; a crash fault arms on one.
  let systemWrites = 0;
  let crashArmed = false;
  let driverEditing: { key: string } | undefined;
  const planVersions = new PlanVersions();
  const unsubscribe = twin.elbv2.onWeightChange((change) => {
    if (driverEditing?.key === change.key) return;
    systemWrites += 1;
    track(planVersions.snapshot(world, startMs));
    if (crashArmed) {
      crashArmed = false;
      // The writer dies before recording the write: every table write fails for a while (past its
      // SDK retries), so the handler ends in an error with the weights written and nothing recorded.
      twin.faults.add({
        service: 'dynamodb',
        operation: 'UpdateItem',
        errorRate: 1,
        errorCode: 'InternalServerError',
        errorStatus: 500,
        times: 6,
      });
    }
  });

  // Lambda timeouts: the n-th invocation of a function in this run.
  const invocations = new Map<string, number>();
  const timeouts = schedule.faults.filter((f) => f.kind === 'lambda-timeout');
  twin.lambda.setInvocationFault((functionName) => {
    const count = (invocations.get(functionName) ?? 0) + 1;
    invocations.set(functionName, count);
    const squashed = functionName.toLowerCase().replace(/[^a-z]/g, '');
    const hit = timeouts.find((t) => squashed.endsWith(t.functionName.toLowerCase()) && t.nth === count);
    return hit === undefined ? undefined : hit.phase === 'before' ? 'timeout-before' : 'timeout-after';
  });

  const deadHolder = schedule.faults.some((f) => f.kind === 'dead-holder');
  if (deadHolder) {
    await world.store.acquireLock(
      {
        executionId: deadExecutionArn(world.stateMachineArn, schedule.seed),
        action: 'drain',
        cluster: 'blue',
        requestedBy: 'chaos:dead-holder',
      },
      new Date(twin.clock.now()),
      world.config.lock.leaseSeconds,
    );
  }

  const performStart = async (spec: StartSpec, index: number): Promise<void> => {
    const label = `#${index} ${spec.op}${spec.cluster ? ` ${spec.cluster}` : ''} from ${spec.source}`;
    const outcome = await start(world, spec, schedule.seed, index);
    starts.push({ label, outcome });
  };

  const performFault = async (fault: FaultSpec): Promise<void> => {
    switch (fault.kind) {
      case 'throttle-storm':
        twin.faults.add({ service: 'elbv2', throttleRate: fault.throttleRate, times: fault.times });
        return;
      case 'elbv2-5xx':
        twin.faults.add({
          service: 'elbv2',
          errorRate: fault.errorRate,
          errorCode: fault.code,
          errorStatus: fault.code === 'ServiceUnavailable' ? 503 : 500,
          times: fault.times,
        });
        return;
      case 'latency-spike':
        twin.faults.add({ service: 'elbv2', latencyMs: fault.latencyMs, times: fault.times });
        return;
      case 'crash-after-write':
        crashArmed = true;
        return;
      case 'alarm-flap': {
        for (let toggle = 0; toggle < fault.toggles; toggle++) {
          twin.cloudwatch.setAlarmState(
            healthAlarmOf(fault.cluster),
            toggle % 2 === 0 ? 'ALARM' : 'OK',
            `chaos: flapping (${toggle + 1}/${fault.toggles})`,
          );
          await sleep(fault.everyMs);
        }
        return;
      }
      case 'two-alarms':
        for (const cluster of fault.clusters)
          twin.cloudwatch.setAlarmState(healthAlarmOf(cluster), 'ALARM', 'chaos: two clusters sick at once');
        return;
      case 'manual-edit': {
        const key = Object.entries(world.routeKeys()).find(([, name]) => name === fault.route)?.[0];
        if (key === undefined) return;
        const weights = Object.fromEntries(
          Object.entries(fault.weights).map(([cluster, weight]) => [
            world.targetGroupArn(cluster, fault.route),
            weight,
          ]),
        );
        const from = twin.clock.now();
        driverEditing = { key };
        try {
          await world.setWeights(key, weights);
        } finally {
          driverEditing = undefined;
          manualEdits.push({ key, weights, from, to: twin.clock.now() });
        }
        return;
      }
      case 'lambda-timeout':
      case 'dead-holder':
        return;
    }
  };

  // Every timed action, fired when its moment comes; `ended` ones once everything before is quiet.
  const actions: { when: When; fire: () => Promise<void>; fired: boolean }[] = [
    ...schedule.starts.map((spec, index) => ({
      when: spec.when,
      fire: () => performStart(spec, index),
      fired: false,
    })),
    ...schedule.faults
      .filter((f): f is FaultSpec & { when: When } => 'when' in f)
      .map((fault) => ({ when: fault.when, fire: () => performFault(fault), fired: false })),
  ];
  const running = (): boolean =>
    twin.sfn.executions().some((e) => e.status === 'RUNNING' && e.startDate.getTime() >= startMs);
  // Quiet: nothing of the driver's in flight, no execution running, no event being delivered, and
  // no asynchronous invocation running — the chat worker starts its execution after the chat
  // function has answered, so a run that ended without waiting for it would leave that execution
  // to write during the next run, where no execution of the run explains its writes.
  const quiet = async (): Promise<boolean> => {
    if (inFlight.size > 0 || running() || twin.lambdaApi.busy()) return false;
    await Promise.all([twin.events.whenIdle(), twin.lambdaApi.settled()]);
    return inFlight.size === 0 && !running() && !twin.lambdaApi.busy() && !twin.events.busy();
  };

  const deadline = realStart + (options.settleTimeoutMs ?? 60_000);
  let settled = false;
  let afterLeaseExpiry: ObservedStart | undefined;
  try {
    for (;;) {
      const elapsed = Date.now() - realStart;
      for (const action of actions) {
        if (action.fired) continue;
        const due =
          (action.when.kind === 'at' && elapsed >= action.when.ms) ||
          (action.when.kind === 'write' && systemWrites >= action.when.n) ||
          (action.when.kind === 'ended' &&
            actions.every((a) => a === action || a.fired || a.when.kind === 'ended') &&
            (await quiet()));
        if (!due) continue;
        action.fired = true;
        track(action.fire());
      }
      // A `write` trigger that no write will reach fires once all else is quiet.
      const waiting = actions.filter((a) => !a.fired);
      const unreachable = waiting.filter((a) => a.when.kind === 'write');
      if (unreachable.length > 0 && waiting.every((a) => a.when.kind !== 'at') && (await quiet())) {
        for (const action of unreachable) {
          action.fired = true;
          track(action.fire());
        }
      }
      if (actions.every((a) => a.fired) && (await quiet())) {
        if (deadHolder && afterLeaseExpiry === undefined) {
          // The dead holder's lease runs out: the next start must get the lock.
          twin.clock.advance((world.config.lock.leaseSeconds + 1) * 1000);
          const retry = schedule.starts.find((s) => s.source !== 'alarm') ?? {
            op: 'drain' as const,
            cluster: 'green' as const,
            source: 'cli' as const,
            when: { kind: 'at' as const, ms: 0 },
          };
          afterLeaseExpiry = { label: `${retry.op} after the lease expired`, outcome: '' };
          const outcome = await start(world, { ...retry, source: 'cli' }, schedule.seed);
          afterLeaseExpiry = { label: afterLeaseExpiry.label, outcome };
          continue;
        }
        settled = true;
        break;
      }
      if (Date.now() > deadline) break;
      await sleep(5);
    }
  } finally {
    unsubscribe();
    twin.lambda.setInvocationFault(undefined);
    twin.faults.clear();
  }

  const endMs = twin.clock.now();
  const stuck = settled
    ? undefined
    : [
        `${actions.filter((a) => !a.fired).length} actions not fired`,
        `${inFlight.size} driver actions in flight`,
        `events ${twin.events.busy() ? 'busy' : 'idle'}`,
        ...failures.map((f) => `driver action failed: ${f}`),
      ].join('; ');
  const writes: ObservedWrite[] = twin.elbv2
    .weightLog()
    .slice(logStart)
    .map((change) => {
      const weights = tuplesOf(change);
      const manual = manualEdits.some(
        (edit) =>
          edit.key === change.key &&
          change.at >= edit.from &&
          change.at <= edit.to &&
          sameWeights(edit.weights, weights),
      );
      return { at: change.at, key: change.key, weights, by: manual ? 'manual' : 'system' };
    });
  const executions = await observeExecutions(world, startMs, planVersions);
  const lock = await world.store.getLock();
  const healthAtEnd = Object.fromEntries(
    world.config.clusters.map((c) => [c.name, world.alarmState(healthAlarmOf(c.name))]),
  );
  return {
    seed: schedule.seed,
    startMs,
    endMs,
    initial,
    routeNames: world.routeKeys(),
    clusterOf: world.clusterOfTargetGroups(),
    writes,
    executions,
    notifications: twin.sns
      .messages()
      .filter((m) => m.at.getTime() >= startMs)
      .map((m) => ({ at: m.at.getTime(), subject: m.subject ?? '', text: m.message })),
    starts,
    ...(lock === undefined
      ? {}
      : { lock: { executionId: lock.executionId, expiresAtMs: lock.expiresAt * 1000 } }),
    leaseSeconds: world.config.lock.leaseSeconds,
    healthAtEnd,
    settled,
    ...(stuck === undefined ? {} : { stuck }),
    ...(afterLeaseExpiry === undefined ? {} : { afterLeaseExpiry }),
  };
};

const sameWeights = (a: TargetWeights, b: TargetWeights): boolean => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
};

const currentWeights = (world: ChaosWorld): Record<string, TargetWeights> =>
  Object.fromEntries(
    world.twin.elbv2
      .routes()
      .map((route) => [route.key, Object.fromEntries(route.targetGroups.map((tg) => [tg.arn, tg.weight]))]),
  );

/** An execution's plan as stored now (undefined before Prepare stored one). */
const readPlan = async (world: ChaosWorld, executionArn: string): Promise<ObservedPlan | undefined> => {
  const stored = await world.store.loadPlan<
    { action: string; cluster?: string; steps: number[]; held?: { name: string; guardrail?: string }[] },
    { route: { id: string; name: string }; from: TargetWeights; to: TargetWeights }
  >(executionArn);
  if (stored === undefined) return undefined;
  return {
    action: stored.meta.action,
    ...(stored.meta.cluster === undefined ? {} : { cluster: stored.meta.cluster }),
    steps: stored.meta.steps,
    routes: stored.routes.map((r) => ({ id: r.route.id, name: r.route.name, from: r.from, to: r.to })),
    held: (stored.meta.held ?? []).map((h) => ({
      name: h.name,
      ...(h.guardrail === undefined ? {} : { guardrail: h.guardrail }),
    })),
  };
};

/**
 * Every plan each running execution has had: a failover that meets drift plans again, and its
 * stored plan is replaced, so the plans are read as the writes happen.
 */
class PlanVersions {
  private readonly byExecution = new Map<string, Map<string, ObservedPlan>>();

  async snapshot(world: ChaosWorld, startMs: number): Promise<void> {
    const running = world.twin.sfn
      .executions()
      .filter((e) => e.status === 'RUNNING' && e.startDate.getTime() >= startMs);
    for (const execution of running)
      this.add(execution.executionArn, await readPlan(world, execution.executionArn));
  }

  add(executionArn: string, plan: ObservedPlan | undefined): void {
    if (plan === undefined) return;
    const versions = this.byExecution.get(executionArn) ?? new Map<string, ObservedPlan>();
    versions.set(JSON.stringify(plan), plan);
    this.byExecution.set(executionArn, versions);
  }

  of(executionArn: string): ObservedPlan[] {
    return [...(this.byExecution.get(executionArn)?.values() ?? [])];
  }
}

const observeExecutions = async (
  world: ChaosWorld,
  startMs: number,
  versions: PlanVersions,
): Promise<ObservedExecution[]> => {
  const summaries = world.twin.sfn.executions().filter((e) => e.startDate.getTime() >= startMs);
  return Promise.all(
    summaries.map(async (summary) => {
      const plan = await readPlan(world, summary.executionArn);
      versions.add(summary.executionArn, plan);
      const history = await world.store.getHistory(summary.executionArn);
      return {
        arn: summary.executionArn,
        status: summary.status,
        startMs: summary.startDate.getTime(),
        ...(summary.stopDate === undefined ? {} : { stopMs: summary.stopDate.getTime() }),
        ...(summary.error === undefined ? {} : { error: summary.error }),
        ...(summary.cause === undefined ? {} : { cause: summary.cause }),
        ...(plan === undefined ? {} : { plan }),
        earlierPlans: versions.of(summary.executionArn),
        ...(history === undefined ? {} : { history }),
      };
    }),
  );
};

/**
 * Starts one shift as its source would; answers `started …`, the refusal, or the error. Each start
 * of a run gives its own reason, so a chat start waits for its own reply, not an earlier one's.
 */
const start = async (world: ChaosWorld, spec: StartSpec, seed: number, index?: number): Promise<string> => {
  const { twin } = world;
  if (spec.source === 'alarm') {
    twin.cloudwatch.setAlarmState(
      healthAlarmOf(spec.cluster ?? 'blue'),
      'ALARM',
      `chaos ${seed}: cluster sick`,
    );
    return 'alarm raised';
  }
  const words = commandWords(spec, spec.source);
  const reason = `chaos run ${seed}${index === undefined ? '' : ` start ${index + 1}.`}`;
  if (spec.source === 'cli') {
    let stdout = '';
    let stderr = '';
    const code = await runCli([...words, '--reason', reason, '--json'], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: { ...process.env, AWS_ENDPOINT_URL: twin.endpoint, CLUSTERSHIFT_CONFIG: CHAOS_CONFIG_FILE },
      cwd: process.cwd(),
    });
    return code === 0 ? `started ${stdout.trim()}` : `refused (exit ${code}): ${stderr.trim()}`;
  }
  const body = new URLSearchParams({
    team_id: 'T0CHAOS',
    channel_id: 'C0CHAOS',
    user_id: 'U0CHAOS',
    user_name: 'chaos',
    command: '/clustershift',
    text: `${words.join(' ')} ${reason}`,
    response_url: `${twin.endpoint}/_twin/slack/chaos`,
  }).toString();
  const response = await fetch(`${twin.endpoint}/slack/commands`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...signSlackRequest(CHAOS_SIGNING_SECRET, Math.floor(Date.now() / 1000), body),
    },
    body,
  });
  const ack = (await response.json()) as { text?: string };
  // The worker starts the execution after the acknowledgement and then posts to the response URL.
  for (let attempt = 0; attempt < 400; attempt++) {
    const reply = twin.slack.messages('chaos').find((m) => JSON.stringify(m).includes(reason));
    if (reply !== undefined)
      return `chat ${response.status}: ${ack.text ?? ''} → ${JSON.stringify(reply).slice(0, 300)}`;
    await sleep(5);
  }
  return `chat ${response.status}: ${ack.text ?? ''} → no reply`;
};

const commandWords = (spec: StartSpec, source: StartSpec['source']): string[] => {
  const split = Object.entries(spec.weights ?? {})
    .map(([cluster, weight]) => `${cluster}=${weight}`)
    .join(',');
  switch (spec.op) {
    case 'drain':
      return ['drain', spec.cluster ?? 'blue', '--force', 'single-cluster-route'];
    case 'restore':
      return ['restore', spec.cluster ?? 'blue'];
    case 'shift':
      // The CLI takes the split as an option, chat as the first word.
      return source === 'chat' ? ['shift', split] : ['shift', '--weights', split];
    case 'failover':
      return ['failover', spec.cluster ?? 'blue'];
  }
};

export { INITIAL_WEIGHTS, targetGroupName };
