import {
  type Action,
  type ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyRuleCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ClusterShiftError } from '../core/errors';
import { MESSAGE_NAMES_LIMIT } from '../core/name-list';
import type { Route, Weights } from '../core/routes';
import { toAwsCallFailed, withDetails } from './aws-errors';
import { settleBounded } from './bounded';
import { currentDeadline } from './deadline';
import { actionsWithWeights } from './elbv2-actions';
import { defaultElbv2Client, type Elbv2Options } from './elbv2-client';
import { formatWeights } from './elbv2-names';
import { elbv2Pacer } from './elbv2-pacing';
import { type LiveRoute, readLiveRoutes } from './elbv2-read';
import { validateDesiredWeights } from './elbv2-validate';
import type { Pacer } from './pacer';
import { withRetry } from './retry';

/** Enough writes in flight for the pacer's rate at ELBv2's latency; the pacer, not this, sets the pace. */
const WRITES_IN_FLIGHT = 16;

/**
 * What a write is assumed to take before one has been timed: a write starts only if it can end by
 * the deadline, and the slowest write of the call so far (if slower) is the better guess.
 */
export const MIN_WRITE_ALLOWANCE_MS = 1_000;

export interface WeightChange {
  readonly route: Route;
  /** What the previous step wrote (or what was read when the shift started). */
  readonly expected: Weights;
  readonly desired: Weights;
}

export interface ApplyResult {
  /** Route ids written by this call. */
  readonly written: string[];
  /** Route ids already at the desired weights (a retried step), not written again. */
  readonly alreadyDesired: string[];
  /**
   * Route ids still to write when the deadline came: no write was started that could not end by it.
   * Calling again with the same changes writes them (the ones written are then `alreadyDesired`).
   */
  readonly remaining: string[];
}

export interface ApplyOptions extends Elbv2Options {
  /** Writes (and listener reads) in flight at once; the pacer decides how fast they start. */
  concurrency?: number;
  /** Paces the writes; by default the process's ELBv2 mutating-bucket pacer (aws/elbv2-pacing.ts). */
  pacer?: Pacer;
  /**
   * Runs right before every write attempt; throwing stops that write. A shift that may lose the
   * fleet to a failover checks here that it still holds the lock, so a write it started before
   * losing it cannot land after the failover's.
   */
  beforeEachWrite?: () => Promise<void>;
  /**
   * No write starts unless it can end by this time (epoch ms on `now`): the routes left are returned
   * as `remaining`. Default: the invocation's deadline (aws/deadline.ts); none outside an invocation.
   */
  deadline?: number;
  /** The clock the deadline is on; default Date.now. */
  now?: () => number;
}

/** Thrown (and caught) inside applyWeights: the next write could not end before the deadline. */
class OutOfTime extends ClusterShiftError {
  constructor() {
    super('Throttling', 'no time left in this invocation to start another write');
  }
}

interface Drift {
  readonly id: string;
  readonly name: string;
  readonly expected: Weights;
  readonly live: Weights;
}

/** Live weights equal `target` on every target group named in `desired` (the ones we would write). */
const matchesOn = (desired: Weights, live: Weights, target: Weights): boolean =>
  Object.keys(desired).every((arn) => live[arn] !== undefined && live[arn] === target[arn]);

const driftError = (drifted: readonly Drift[]): ClusterShiftError =>
  new ClusterShiftError(
    'DriftDetected',
    `live weights differ from what clustershift last wrote on ${drifted.length} route(s), nothing written: ${drifted
      .slice(0, MESSAGE_NAMES_LIMIT)
      .map((d) => `${d.name} (expected ${formatWeights(d.expected)}, live ${formatWeights(d.live)})`)
      .join(
        '; ',
      )}${drifted.length > MESSAGE_NAMES_LIMIT ? ` … and ${drifted.length - MESSAGE_NAMES_LIMIT} more` : ''}`,
    { details: { routes: drifted } },
  );

const write = async (
  route: Route,
  actions: Action[],
  client: ElasticLoadBalancingV2Client,
  options: ApplyOptions,
) => {
  if (route.kind === 'default') {
    const input = { ListenerArn: route.id, DefaultActions: actions };
    await withRetry(
      `ModifyListener ${route.name}`,
      async () => {
        await options.beforeEachWrite?.();
        return client.send(new ModifyListenerCommand(input));
      },
      options.retry,
    );
  } else {
    const input = { RuleArn: route.id, Actions: actions };
    await withRetry(
      `ModifyRule ${route.name}`,
      async () => {
        await options.beforeEachWrite?.();
        return client.send(new ModifyRuleCommand(input));
      },
      options.retry,
    );
  }
};

/**
 * Compare-and-set of weights. One read pass; if any route's live weights are neither the expected nor
 * the desired ones, someone else changed the load balancer and nothing at all is written (a partial
 * write on top of a human's change would be worse than stopping). Routes already at the desired
 * weights are skipped, which makes a retried step idempotent.
 */
export const applyWeights = async (
  changes: readonly WeightChange[],
  client: ElasticLoadBalancingV2Client = defaultElbv2Client(),
  options: ApplyOptions = {},
): Promise<ApplyResult> => {
  validateDesiredWeights(changes);
  const concurrency = options.concurrency ?? 4;
  const live = await readLiveRoutes(
    changes.map((change) => change.route),
    client,
    { ...options, concurrency },
  );

  const pending: { change: WeightChange; now: LiveRoute }[] = [];
  const alreadyDesired: string[] = [];
  const drifted: Drift[] = [];
  for (const change of changes) {
    const now = live.get(change.route.id);
    if (now === undefined) continue; // readLiveRoutes already threw for missing routes
    if (matchesOn(change.desired, now.weights, change.desired)) alreadyDesired.push(change.route.id);
    else if (matchesOn(change.desired, now.weights, change.expected)) pending.push({ change, now });
    else
      drifted.push({
        id: change.route.id,
        name: change.route.name,
        expected: change.expected,
        live: now.weights,
      });
  }
  if (drifted.length > 0) throw driftError(drifted);

  const pacer = options.pacer ?? elbv2Pacer('mutating');
  const clock = options.now ?? Date.now;
  const deadline = options.deadline ?? currentDeadline();
  let slowestWriteMs = 0;
  // Checked after the pacer grants the write its turn, right before it is sent: a write that waited
  // for a token may no longer fit.
  const beforeEachWrite = async () => {
    if (deadline !== undefined && clock() + Math.max(MIN_WRITE_ALLOWANCE_MS, slowestWriteMs) > deadline) {
      throw new OutOfTime();
    }
    await options.beforeEachWrite?.();
  };
  const paced = { ...options, beforeEachWrite, retry: { ...options.retry, pacer } };
  const outcome = await settleBounded(
    pending,
    options.concurrency ?? WRITES_IN_FLIGHT,
    async ({ change, now }) => {
      const startedAt = clock();
      await write(change.route, actionsWithWeights(now.actions, change.desired), client, paced);
      slowestWriteMs = Math.max(slowestWriteMs, clock() - startedAt);
    },
  );
  const written = pending
    .filter((_, index) => outcome.results.has(index))
    .map(({ change }) => change.route.id);
  if ('error' in outcome && outcome.error instanceof OutOfTime) {
    const remaining = pending
      .filter((_, index) => !outcome.results.has(index))
      .map(({ change }) => change.route.id);
    return { written, alreadyDesired, remaining };
  }
  if ('error' in outcome) {
    // The rollback must know exactly which routes now carry new weights.
    const error =
      outcome.error instanceof ClusterShiftError
        ? outcome.error
        : toAwsCallFailed('ModifyRule', outcome.error);
    throw withDetails(error, { written });
  }
  return { written, alreadyDesired, remaining: [] };
};
