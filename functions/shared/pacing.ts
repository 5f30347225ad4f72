import { configureElbv2DescribePacing, setElbv2PacingClock } from '../../aws/elbv2-pacing';
import type { ShiftStoreReader } from '../../aws/store';
import { defaultDynamoDbClient } from '../../aws/store-db';
import { pacingClock } from './clock';
import { logger } from './logger';
import type { Runtime } from './runtime';

/**
 * Gives the process the fleet's ELBv2 pacing: describes spend at most `limits.elbv2.describeShare` of
 * the account's describe bucket, leased through the table with every other clustershift function
 * (the rest stays with the Load Balancer Controllers, which register the receiving pods during a
 * shift); writes keep the per-process mutating pacer (the fleet lock already serialises writers).
 * On the handlers' clock: on the twin, compressed time refills AWS's buckets faster. Cheap to call
 * on every invocation: the same settings keep the same pacer.
 */
export const paceElbv2 = (runtime: Runtime<ShiftStoreReader>): void => {
  setElbv2PacingClock(pacingClock);
  const { describeShare, describeBucket } = runtime.config.limits.elbv2;
  configureElbv2DescribePacing({
    share: describeShare,
    bucket: describeBucket,
    region: runtime.config.region,
    table: { client: defaultDynamoDbClient(), tableName: runtime.tableName },
    onFallback: (error) =>
      logger.warn(
        'ELBv2 describe pacing: the shared pacer store failed, pacing this function alone at its share',
        {
          errorName: (error as { name?: unknown }).name,
          error: (error as { message?: unknown }).message ?? String(error),
        },
      ),
  });
};
