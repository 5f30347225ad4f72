import { ClusterShiftError } from '../core/errors';
import { conditionalPut, conditionalUpdate, getItem, type Item, queryAll, type Table } from './store-db';
import { execPk, fleetPk, historySk, SK, TTL_DAYS, ttlAfter } from './store-keys';

export interface HistoryStart {
  readonly executionId: string;
  readonly action: string;
  readonly cluster?: string;
  readonly requestedBy: string;
  readonly reason: string;
  readonly startedAt: Date;
  readonly planSummary: unknown;
  /** Guardrails the operator overrode, by name. */
  readonly forced: readonly string[];
}

export interface HistoryOutcome {
  readonly status: string;
  readonly error?: string;
  readonly cause?: string;
  readonly finishedAt: Date;
  readonly details?: unknown;
}

export interface HistoryRecord {
  readonly executionId: string;
  readonly action: string;
  readonly cluster?: string;
  readonly requestedBy: string;
  readonly reason: string;
  readonly startedAt: string;
  readonly planSummary: unknown;
  readonly forced: string[];
  readonly status: string;
  readonly steps: Record<string, unknown>[];
  readonly finishedAt?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly details?: unknown;
}

const toRecord = (item: Item): HistoryRecord => {
  const { pk: _pk, sk: _sk, ttl: _ttl, ...record } = item;
  return record as unknown as HistoryRecord;
};

/**
 * History per execution, in the fleet's partition sorted by start time (newest-first listing is one
 * Query). A pointer item under the execution holds the sort key, so lookups by id are one GetItem.
 */
/** The SET of an outcome's fields (those given; status is always one). */
const outcomeUpdate = (outcome: HistoryOutcome) => {
  const fields = Object.entries({
    status: outcome.status,
    finishedAt: outcome.finishedAt.toISOString(),
    error: outcome.error,
    cause: outcome.cause,
    details: outcome.details,
  }).filter(([, value]) => value !== undefined);
  return {
    UpdateExpression: `SET ${fields.map(([name]) => `#${name} = :${name}`).join(', ')}`,
    ExpressionAttributeValues: Object.fromEntries(fields.map(([name, value]) => [`:${name}`, value])) as Item,
    ExpressionAttributeNames: Object.fromEntries(fields.map(([name]) => [`#${name}`, name])),
  };
};

/** The fleet's latest `limit` executions, newest first (what the history's readers need). */
export const listHistoryRecords = async (
  table: Table,
  fleet: string,
  limit = 20,
): Promise<HistoryRecord[]> => {
  const items = await queryAll(
    table,
    {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': fleetPk(fleet), ':prefix': 'history#' },
      ScanIndexForward: false,
      Limit: limit,
    },
    limit,
  );
  return items.map(toRecord);
};

export class ShiftHistory {
  private readonly sortKeys = new Map<string, string>();

  constructor(
    private readonly table: Table,
    private readonly fleet: string,
  ) {}

  /** Idempotent: a retried start keeps the first record (and its steps) rather than adding a second. */
  async start(record: HistoryStart): Promise<void> {
    const ttl = ttlAfter(record.startedAt, TTL_DAYS.history);
    const sk = historySk(record.startedAt, record.executionId);
    const pointer = await conditionalPut(
      this.table,
      { pk: execPk(record.executionId), sk: SK.history, historySk: sk, ttl },
      { ConditionExpression: 'attribute_not_exists(pk)' },
    );
    const chosen = pointer.ok ? sk : String(pointer.old?.historySk ?? sk);
    await conditionalPut(
      this.table,
      {
        pk: fleetPk(this.fleet),
        sk: chosen,
        executionId: record.executionId,
        action: record.action,
        cluster: record.cluster,
        requestedBy: record.requestedBy,
        reason: record.reason,
        startedAt: record.startedAt.toISOString(),
        planSummary: record.planSummary,
        forced: [...record.forced],
        status: 'RUNNING',
        steps: [],
        ttl,
      },
      { ConditionExpression: 'attribute_not_exists(pk)' },
      false,
    );
    this.sortKeys.set(record.executionId, chosen);
  }

  private async sortKey(executionId: string): Promise<string | undefined> {
    const known = this.sortKeys.get(executionId);
    if (known !== undefined) return known;
    const pointer = await getItem(this.table, { pk: execPk(executionId), sk: SK.history });
    const sk = typeof pointer?.historySk === 'string' ? pointer.historySk : undefined;
    if (sk !== undefined) this.sortKeys.set(executionId, sk);
    return sk;
  }

  private async update(
    executionId: string,
    expression: string,
    values: Item,
    names: Record<string, string> = {},
  ) {
    const sk = await this.sortKey(executionId);
    const outcome =
      sk === undefined
        ? { ok: false }
        : await conditionalUpdate(
            this.table,
            { pk: fleetPk(this.fleet), sk },
            {
              UpdateExpression: expression,
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: values,
              ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
            },
          );
    if (!outcome.ok) {
      throw new ClusterShiftError('InvalidRequest', `no history recorded for execution ${executionId}`, {
        details: { executionId },
      });
    }
  }

  async appendStep(executionId: string, step: Record<string, unknown>): Promise<void> {
    await this.update(executionId, 'SET steps = list_append(if_not_exists(steps, :empty), :step)', {
      ':empty': [],
      ':step': [step],
    });
  }

  async finish(executionId: string, outcome: HistoryOutcome): Promise<void> {
    const { UpdateExpression, ExpressionAttributeValues, ExpressionAttributeNames } = outcomeUpdate(outcome);
    await this.update(executionId, UpdateExpression, ExpressionAttributeValues, ExpressionAttributeNames);
  }

  /**
   * Closes the record only if it is still RUNNING: whoever closes it first (the execution's Finish,
   * or a failover preempting it) decides its outcome. `closed-before` when another outcome is
   * recorded already, `none` when there is no record.
   */
  async finishIfRunning(
    executionId: string,
    outcome: HistoryOutcome,
  ): Promise<'closed' | 'closed-before' | 'none'> {
    const sk = await this.sortKey(executionId);
    if (sk === undefined) return 'none';
    const update = outcomeUpdate(outcome);
    const result = await conditionalUpdate(
      this.table,
      { pk: fleetPk(this.fleet), sk },
      {
        ...update,
        ConditionExpression: 'attribute_exists(pk) AND #status = :running',
        ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':running': 'RUNNING' },
      },
    );
    if (result.ok) return 'closed';
    return result.old === undefined ? 'none' : 'closed-before';
  }

  async get(executionId: string): Promise<HistoryRecord | undefined> {
    const sk = await this.sortKey(executionId);
    if (sk === undefined) return undefined;
    const item = await getItem(this.table, { pk: fleetPk(this.fleet), sk });
    return item === undefined ? undefined : toRecord(item);
  }

  /** The latest `limit` executions, newest first. */
  list(limit = 20): Promise<HistoryRecord[]> {
    return listHistoryRecords(this.table, this.fleet, limit);
  }
}
