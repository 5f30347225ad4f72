import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ClusterShiftError } from '../core/errors';
import type { Weights } from '../core/routes';
import type { ResourceTags, TagInventory } from '../core/tag-inventory';
import type { RetryOptions } from './retry';
import { chunkItems, joinChunks } from './store-chunks';
import {
  conditionalPut,
  conditionalUpdate,
  defaultDynamoDbClient,
  deleteItem,
  deleteItems,
  getItem,
  type Item,
  putItem,
  putItems,
  queryAll,
  type Table,
  updateItem,
} from './store-db';
import {
  type HistoryOutcome,
  type HistoryRecord,
  type HistoryStart,
  listHistoryRecords,
  ShiftHistory,
} from './store-history';
import { baselineChunkPrefix, baselineSk, execPk, fleetPk, SK, TTL_DAYS, ttlAfter } from './store-keys';
import { FleetLock, type Lock, type LockHolder, readLock } from './store-lock';
import { readTagInventory, writeTagInventory } from './store-tags';

export type { HistoryOutcome, HistoryRecord, HistoryStart } from './store-history';
export type { Lock, LockHolder } from './store-lock';

export interface ControlFlags {
  readonly paused: boolean;
  readonly aborted: boolean;
  /** Steps up to this index may run without waiting for approval (-1: none approved yet). */
  readonly approvedThroughStep: number;
}

export interface Baseline {
  readonly executionId: string;
  readonly recordedAt: string;
  readonly weightsByRoute: Record<string, Weights>;
}

export interface Freeze {
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

export interface LastFailover {
  readonly at: string;
  readonly cluster: string;
  readonly executionId: string;
  /** Clusters it moved traffic to (absent on records written before this was kept). */
  readonly receivers?: readonly string[];
}

export interface ShiftStoreOptions {
  tableName: string;
  fleet: string;
  client?: DynamoDBClient;
  retry?: RetryOptions;
}

const toControl = (item: Item | undefined): ControlFlags => ({
  paused: item?.paused === true,
  aborted: item?.aborted === true,
  approvedThroughStep: typeof item?.approvedThroughStep === 'number' ? item.approvedThroughStep : -1,
});

/**
 * `SET #f0 = :f0, #f1 = :f1 …` from a patch (undefined fields left alone). Placeholders for every
 * name, since DynamoDB reserves many plain words (`status`, `ttl`, `by` …). `parent` nests the
 * fields under a map attribute, e.g. `#meta.`.
 */
const setExpression = (fields: Record<string, unknown>, parent = '') => {
  const entries = Object.entries(fields).filter(([, value]) => value !== undefined);
  return {
    UpdateExpression: `SET ${entries.map((_, i) => `${parent}#f${i} = :f${i}`).join(', ')}`,
    ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
    ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:f${i}`, value])),
  };
};

/**
 * The reads of the store (a function that only reads, such as the chat status and plan workers, is
 * built with this class alone and bundles none of the writes: see functions/shared/runtime.ts).
 */
export class ShiftStoreReader {
  protected readonly table: Table;
  protected readonly fleet: string;

  constructor(options: ShiftStoreOptions) {
    this.table = {
      client: options.client ?? defaultDynamoDbClient(),
      tableName: options.tableName,
      ...(options.retry === undefined ? {} : { retry: options.retry }),
    };
    this.fleet = options.fleet;
  }

  protected get pk(): string {
    return fleetPk(this.fleet);
  }

  getLock(): Promise<Lock | undefined> {
    return readLock(this.table, this.fleet);
  }

  async getControl(executionId: string): Promise<ControlFlags> {
    return toControl(await getItem(this.table, { pk: execPk(executionId), sk: SK.control }));
  }

  async loadPlan<M, R>(executionId: string): Promise<{ meta: M; routes: R[] } | undefined> {
    const items = await queryAll(this.table, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :plan)',
      ExpressionAttributeValues: { ':pk': execPk(executionId), ':plan': SK.plan },
    });
    const head = items.find((item) => item.sk === SK.plan);
    if (head === undefined) return undefined;
    return { meta: head.meta as M, routes: joinChunks<R>(items, SK.plan, Number(head.chunks ?? 0)) };
  }

  async getBaseline(cluster: string): Promise<Baseline | undefined> {
    const head = await getItem(this.table, { pk: this.pk, sk: baselineSk(cluster) });
    if (head === undefined) return undefined;
    const executionId = String(head.executionId);
    const prefix = baselineChunkPrefix(cluster, executionId);
    const items = await this.queryPrefix(`${prefix}#`);
    const entries = joinChunks<[string, Weights]>(items, prefix, Number(head.chunks ?? 0));
    return { executionId, recordedAt: String(head.recordedAt), weightsByRoute: Object.fromEntries(entries) };
  }

  protected queryPrefix(prefix: string): Promise<Item[]> {
    return queryAll(this.table, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.pk, ':prefix': prefix },
    });
  }

  listHistory(limit = 20): Promise<HistoryRecord[]> {
    return listHistoryRecords(this.table, this.fleet, limit);
  }

  async getFreeze(): Promise<Freeze | undefined> {
    const item = await getItem(this.table, { pk: this.pk, sk: SK.freeze });
    return item === undefined
      ? undefined
      : { reason: String(item.reason), by: String(item.by), at: String(item.at) };
  }

  async getLastFailover(): Promise<LastFailover | undefined> {
    const item = await getItem(this.table, { pk: this.pk, sk: SK.lastFailover });
    if (item === undefined) return undefined;
    const receivers = Array.isArray(item.receivers) ? item.receivers.map(String) : undefined;
    return {
      at: String(item.at),
      cluster: String(item.cluster),
      executionId: String(item.executionId),
      ...(receivers === undefined ? {} : { receivers }),
    };
  }
}

/** The reads, and the plan that Prepare writes (Prepare is built with this class: no lock, no history). */
export class PlanningStore extends ShiftStoreReader {
  /** The fleet's tag inventory (core/tag-inventory.ts), or undefined when none can be read whole. */
  getTagInventory(): Promise<TagInventory | undefined> {
    return readTagInventory(this.table, this.fleet);
  }

  /** Replaces the tag inventory with what a discovery learned (`writer`: its execution id). */
  saveTagInventory(writer: string, entries: ReadonlyMap<string, ResourceTags>, now: Date): Promise<void> {
    return writeTagInventory(this.table, this.fleet, writer, entries, now);
  }

  /** Chunks first, head last: a reader never sees a head whose chunks are not all written. */
  async savePlan(
    executionId: string,
    meta: Record<string, unknown>,
    routes: readonly unknown[],
    now: Date,
  ): Promise<void> {
    const pk = execPk(executionId);
    const ttl = ttlAfter(now, TTL_DAYS.plan);
    const chunks = chunkItems(pk, SK.plan, routes, { ttl });
    await putItems(this.table, chunks);
    await putItem(this.table, {
      pk,
      sk: SK.plan,
      meta,
      chunks: chunks.length,
      routeCount: routes.length,
      savedAt: now.toISOString(),
      ttl,
    });
  }
}

/**
 * Everything clustershift keeps between steps, in one DynamoDB table: the fleet lock, control flags,
 * the plan, baselines, history, freeze and the last failover. Execution payloads carry only ids.
 * The reads are ShiftStoreReader's, the plan's write PlanningStore's.
 */
export class ShiftStore extends PlanningStore {
  private readonly lock: FleetLock;
  private readonly history: ShiftHistory;

  constructor(options: ShiftStoreOptions) {
    super(options);
    this.lock = new FleetLock(this.table, this.fleet);
    this.history = new ShiftHistory(this.table, this.fleet);
  }

  // Lock ------------------------------------------------------------------------------------------

  acquireLock(holder: LockHolder, now: Date, leaseSeconds: number): Promise<void> {
    return this.lock.acquire(holder, now, leaseSeconds);
  }

  preemptLock(holder: LockHolder, victimExecutionId: string, now: Date, leaseSeconds: number): Promise<void> {
    return this.lock.preempt(holder, victimExecutionId, now, leaseSeconds);
  }

  renewLock(executionId: string, now: Date, leaseSeconds: number): Promise<void> {
    return this.lock.renew(executionId, now, leaseSeconds);
  }

  /** Throws LockLost unless `executionId` holds the lock now. */
  assertLockHeld(executionId: string): Promise<void> {
    return this.lock.assertHeld(executionId);
  }

  releaseLock(executionId: string): Promise<boolean> {
    return this.lock.release(executionId);
  }

  // Control flags ---------------------------------------------------------------------------------

  async updateControl(
    executionId: string,
    patch: Partial<ControlFlags> & { by?: string },
    now: Date,
  ): Promise<ControlFlags> {
    const { by, paused, aborted, approvedThroughStep } = patch;
    const item = await updateItem(
      this.table,
      { pk: execPk(executionId), sk: SK.control },
      setExpression({
        paused,
        aborted,
        approvedThroughStep,
        updatedBy: by,
        updatedAt: now.toISOString(),
        ttl: ttlAfter(now, TTL_DAYS.control),
      }),
    );
    return toControl(item);
  }

  // Plan ------------------------------------------------------------------------------------------

  /** Shallow-merges `patch` into the plan's meta (e.g. the last step applied). */
  async updatePlanMeta(executionId: string, patch: Record<string, unknown>): Promise<void> {
    if (Object.values(patch).every((value) => value === undefined)) return;
    const update = setExpression(patch, '#meta.');
    const outcome = await conditionalUpdate(
      this.table,
      { pk: execPk(executionId), sk: SK.plan },
      {
        ...update,
        ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#meta': 'meta' },
        ConditionExpression: 'attribute_exists(pk)',
      },
    );
    if (!outcome.ok) {
      throw new ClusterShiftError('InvalidRequest', `no plan stored for execution ${executionId}`, {
        details: { executionId },
      });
    }
  }

  // Baseline --------------------------------------------------------------------------------------

  /**
   * Records the weights a drain started from, unless a baseline exists: the first drain's baseline is
   * what restore returns to, until a restore completes and deletes it. True when this execution's
   * baseline is the one kept (also on a retry by the same execution).
   */
  async saveBaselineIfAbsent(
    cluster: string,
    executionId: string,
    weightsByRoute: Record<string, Weights>,
    now: Date,
  ): Promise<boolean> {
    const key = { pk: this.pk, sk: baselineSk(cluster) };
    const existing = await getItem(this.table, key);
    if (existing !== undefined) return existing.executionId === executionId;

    const prefix = baselineChunkPrefix(cluster, executionId);
    const chunks = chunkItems(this.pk, prefix, Object.entries(weightsByRoute));
    await putItems(this.table, chunks);
    const head = { ...key, executionId, recordedAt: now.toISOString(), chunks: chunks.length };
    const outcome = await conditionalPut(this.table, head, {
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    if (outcome.ok || outcome.old?.executionId === executionId) return true;
    // Another execution won the race: its baseline stands, ours is garbage.
    await deleteItems(this.table, chunks);
    return false;
  }

  /** Head first, so the baseline disappears at once; then its chunks (and any orphaned ones). */
  async deleteBaseline(cluster: string): Promise<void> {
    await deleteItem(this.table, { pk: this.pk, sk: baselineSk(cluster) });
    const chunks = await this.queryPrefix(`${baselineSk(cluster)}#`);
    await deleteItems(
      this.table,
      chunks.map((item) => ({ pk: this.pk, sk: String(item.sk) })),
    );
  }

  // History ---------------------------------------------------------------------------------------

  startHistory(record: HistoryStart): Promise<void> {
    return this.history.start(record);
  }

  appendHistoryStep(executionId: string, step: Record<string, unknown>): Promise<void> {
    return this.history.appendStep(executionId, step);
  }

  finishHistory(executionId: string, outcome: HistoryOutcome): Promise<void> {
    return this.history.finish(executionId, outcome);
  }

  /** Closes the history only if still RUNNING (store-history.ts): the first closer decides. */
  finishHistoryIfRunning(
    executionId: string,
    outcome: HistoryOutcome,
  ): Promise<'closed' | 'closed-before' | 'none'> {
    return this.history.finishIfRunning(executionId, outcome);
  }

  getHistory(executionId: string): Promise<HistoryRecord | undefined> {
    return this.history.get(executionId);
  }

  // Freeze and last failover ------------------------------------------------------------------------

  setFreeze(freeze: { reason: string; by: string; at: Date }): Promise<void> {
    return putItem(this.table, {
      pk: this.pk,
      sk: SK.freeze,
      reason: freeze.reason,
      by: freeze.by,
      at: freeze.at.toISOString(),
    });
  }

  clearFreeze(): Promise<void> {
    return deleteItem(this.table, { pk: this.pk, sk: SK.freeze });
  }

  setLastFailover(failover: {
    at: Date | string;
    cluster: string;
    executionId: string;
    receivers?: readonly string[];
  }): Promise<void> {
    return putItem(this.table, {
      pk: this.pk,
      sk: SK.lastFailover,
      at: typeof failover.at === 'string' ? failover.at : failover.at.toISOString(),
      cluster: failover.cluster,
      executionId: failover.executionId,
      ...(failover.receivers === undefined ? {} : { receivers: [...failover.receivers] }),
    });
  }
}
