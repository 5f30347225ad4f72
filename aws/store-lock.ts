import { ClusterShiftError } from '../core/errors';
import {
  type Conditional,
  conditionalDelete,
  conditionalPut,
  conditionalUpdate,
  getItem,
  type Item,
  type Table,
} from './store-db';
import { epochSeconds, fleetPk, SK, ttlAfterEpoch } from './store-keys';

export interface LockHolder {
  readonly executionId: string;
  readonly action: string;
  readonly cluster?: string;
  readonly requestedBy: string;
}

export type Lock = LockHolder & { readonly expiresAt: number };

const toLock = (item: Item | undefined): Lock | undefined => {
  if (item === undefined || typeof item.executionId !== 'string') return undefined;
  return {
    executionId: item.executionId,
    action: String(item.action ?? ''),
    ...(typeof item.cluster === 'string' ? { cluster: item.cluster } : {}),
    requestedBy: String(item.requestedBy ?? ''),
    expiresAt: Number(item.expiresAt ?? 0),
  };
};

/** `<executionId> (<action> <cluster> by <who>, lease until <iso>)`: what an operator needs to decide. */
const describeHolder = (lock: Lock): string =>
  `${lock.executionId} (${[lock.action, lock.cluster].filter(Boolean).join(' ')} by ${lock.requestedBy}, lease until ${new Date(
    lock.expiresAt * 1000,
  ).toISOString()})`;

const heldError = (fleet: string, outcome: Conditional): ClusterShiftError => {
  const holder = outcome.ok ? undefined : toLock(outcome.old);
  if (holder === undefined) {
    // The holder released between our write and our read: rare, and retrying is the answer.
    return new ClusterShiftError(
      'LockHeld',
      `fleet ${fleet} is locked (holder released it meanwhile: retry)`,
    );
  }
  return new ClusterShiftError('LockHeld', `fleet ${fleet} is locked by ${describeHolder(holder)}`, {
    details: { holder },
  });
};

/** The fleet's lock as stored (undefined when no one holds it): what the lock's readers need. */
export const readLock = async (table: Table, fleet: string): Promise<Lock | undefined> =>
  toLock(await getItem(table, { pk: fleetPk(fleet), sk: SK.lock }));

export class FleetLock {
  private readonly key: { pk: string; sk: string };

  constructor(
    private readonly table: Table,
    private readonly fleet: string,
  ) {
    this.key = { pk: fleetPk(fleet), sk: SK.lock };
  }

  private item(holder: LockHolder, now: Date, leaseSeconds: number, extra: Item = {}) {
    const expiresAt = epochSeconds(now) + leaseSeconds;
    return {
      ...extra,
      ...this.key,
      executionId: holder.executionId,
      action: holder.action,
      cluster: holder.cluster,
      requestedBy: holder.requestedBy,
      acquiredAt: now.toISOString(),
      expiresAt,
      // Kept a day past the lease so a stale lock can still be read and named.
      ttl: ttlAfterEpoch(expiresAt, 1),
    };
  }

  /**
   * Takes the lock if it is free, expired, or already ours (a retried step must not lock itself out).
   * A refusal that names no holder means the holder released it in between: the fleet is free, so
   * it tries again (twice at most) rather than report a lock nobody holds.
   */
  async acquire(holder: LockHolder, now: Date, leaseSeconds: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await conditionalPut(this.table, this.item(holder, now, leaseSeconds), {
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now OR executionId = :self',
        ExpressionAttributeValues: { ':now': epochSeconds(now), ':self': holder.executionId },
      });
      if (outcome.ok) return;
      if (toLock(outcome.old) !== undefined || attempt >= 3) throw heldError(this.fleet, outcome);
    }
  }

  /** Takes the lock from `victimExecutionId` (a failover overriding a manual shift), or if free/expired/ours. */
  async preempt(
    holder: LockHolder,
    victimExecutionId: string,
    now: Date,
    leaseSeconds: number,
  ): Promise<void> {
    const item = this.item(holder, now, leaseSeconds, { preempted: victimExecutionId });
    const outcome = await conditionalPut(this.table, item, {
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now OR executionId IN (:victim, :self)',
      ExpressionAttributeValues: {
        ':now': epochSeconds(now),
        ':victim': victimExecutionId,
        ':self': holder.executionId,
      },
    });
    if (!outcome.ok) throw heldError(this.fleet, outcome);
  }

  /** Extends our lease; if someone else holds the lock (or nobody), the shift must stop writing. */
  async renew(executionId: string, now: Date, leaseSeconds: number): Promise<void> {
    const expiresAt = epochSeconds(now) + leaseSeconds;
    const outcome = await conditionalUpdate(this.table, this.key, {
      UpdateExpression: 'SET expiresAt = :expiresAt, #ttl = :ttl',
      ConditionExpression: 'executionId = :self',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: {
        ':expiresAt': expiresAt,
        ':ttl': ttlAfterEpoch(expiresAt, 1),
        ':self': executionId,
      },
    });
    if (outcome.ok) return;
    throw this.lostError(executionId, toLock(outcome.old));
  }

  /** Throws LockLost unless `executionId` holds the lock (its lease is renewed elsewhere). One read. */
  async assertHeld(executionId: string): Promise<void> {
    const holder = await this.get();
    if (holder?.executionId !== executionId) throw this.lostError(executionId, holder);
  }

  private lostError(executionId: string, holder: Lock | undefined): ClusterShiftError {
    const where = holder === undefined ? 'nobody holds it now' : `now held by ${describeHolder(holder)}`;
    return new ClusterShiftError(
      'LockLost',
      `execution ${executionId} lost the lock on fleet ${this.fleet}: ${where}`,
      {
        details: { executionId, holder: holder ?? null },
      },
    );
  }

  /** Deletes the lock only if `executionId` holds it; false (no error) otherwise. */
  async release(executionId: string): Promise<boolean> {
    const outcome = await conditionalDelete(this.table, this.key, {
      ConditionExpression: 'executionId = :self',
      ExpressionAttributeValues: { ':self': executionId },
    });
    return outcome.ok;
  }

  get(): Promise<Lock | undefined> {
    return readLock(this.table, this.fleet);
  }
}
