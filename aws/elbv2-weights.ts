import {
  type Action,
  type ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyRuleCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ClusterShiftError } from '../core/errors';
import type { Route, Weights } from '../core/routes';
import { toAwsCallFailed, withDetails } from './aws-errors';
import { settleBounded } from './bounded';
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
      .map((d) => `${d.name} (expected ${formatWeights(d.expected)}, live ${formatWeights(d.live)})`)
      .join('; ')}`,
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
  const paced = { ...options, retry: { ...options.retry, pacer } };
  const outcome = await settleBounded(pending, options.concurrency ?? WRITES_IN_FLIGHT, ({ change, now }) =>
    write(change.route, actionsWithWeights(now.actions, change.desired), client, paced),
  );
  const written = pending
    .filter((_, index) => outcome.results.has(index))
    .map(({ change }) => change.route.id);
  if ('error' in outcome) {
    // The rollback must know exactly which routes now carry new weights.
    const error =
      outcome.error instanceof ClusterShiftError
        ? outcome.error
        : toAwsCallFailed('ModifyRule', outcome.error);
    throw withDetails(error, { written });
  }
  return { written, alreadyDesired };
};
