import * as z from 'zod/mini';
import type { SharedBucketState } from '../core/token-lease';
import { conditionalPut, getItem, type Item, type Table } from './store-db';
import { ELBV2_PACER_SK, elbv2PacerPk } from './store-keys';

/** A bucket state as stored, with the version its next writer must name. */
export interface VersionedBucket {
  readonly state: SharedBucketState;
  readonly version: number;
}

export type BucketWrite = { readonly ok: true } | { readonly ok: false; readonly current?: VersionedBucket };

/** Where a shared pacer keeps its bucket: one read, one conditional write. */
export interface BucketStore {
  read(): Promise<VersionedBucket | undefined>;
  /** Writes `next` as version `previous + 1`, only if the stored version is still `previous` (undefined: none stored). */
  write(next: SharedBucketState, previous: number | undefined): Promise<BucketWrite>;
}

const finite = z.number().check(z.refine(Number.isFinite, 'must be a finite number'));
const bucketItemSchema = z.object({
  tokens: finite,
  at: finite,
  rate: finite.check(z.gt(0)),
  cutAt: z.optional(finite),
  v: z.int().check(z.gte(0)),
});

/** An item that does not parse is a fault of the store, not a bucket: the pacer falls back on it. */
export class BucketItemInvalidError extends Error {
  override readonly name = 'BucketItemInvalid';
}

const toBucket = (item: Item | undefined): VersionedBucket | undefined => {
  if (item === undefined) return undefined;
  const parsed = bucketItemSchema.safeParse(item);
  if (!parsed.success) {
    throw new BucketItemInvalidError(`pacer item ${String(item.pk)}: ${z.prettifyError(parsed.error)}`);
  }
  const { tokens, at, rate, cutAt, v } = parsed.data;
  return { state: { tokens, at, rate, ...(cutAt === undefined ? {} : { cutAt }) }, version: v };
};

/**
 * The ELBv2 describe bucket of one region, as one item of the clustershift table, written with
 * optimistic concurrency: a version number, a conditional put. A refused write answers with the item
 * that won (DynamoDB returns it; one consistent read where an endpoint does not). One attempt per
 * call: the pacer decides what a failure means (aws/shared-pacer.ts), no retry loop here.
 */
export class DynamoBucketStore implements BucketStore {
  private readonly table: Table;
  private readonly key: { readonly pk: string; readonly sk: string };

  constructor(table: Omit<Table, 'retry'>, region: string) {
    this.table = { ...table, retry: { maxAttempts: 1 } };
    this.key = { pk: elbv2PacerPk(region), sk: ELBV2_PACER_SK };
  }

  async read(): Promise<VersionedBucket | undefined> {
    return toBucket(await getItem(this.table, this.key));
  }

  async write(next: SharedBucketState, previous: number | undefined): Promise<BucketWrite> {
    const item = { ...this.key, ...next, v: (previous ?? -1) + 1 };
    const outcome = await conditionalPut(
      this.table,
      item,
      previous === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: '#v = :v',
            ExpressionAttributeNames: { '#v': 'v' },
            ExpressionAttributeValues: { ':v': previous },
          },
    );
    if (outcome.ok) return { ok: true };
    const current = toBucket(outcome.old);
    return current === undefined ? { ok: false } : { ok: false, current };
  }
}
