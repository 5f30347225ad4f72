/**
 * AWS's documented limits that the twin enforces. The ELBv2 API buckets live in core/aws-limits.ts,
 * where clustershift's own pacing reads them too; figures a customer may have had raised are
 * overridden per twin (`TwinOptions.apiLimits`).
 */
export {
  type BucketLimit,
  ELBV2_API_BUCKETS,
  type Elbv2BucketName,
  elbv2BucketOf,
} from '../core/aws-limits';

/** What ELBv2 answers a throttled call with: HTTP 400, error code `Throttling`, "Rate exceeded". */
export const ELBV2_THROTTLING = { code: 'Throttling', message: 'Rate exceeded', status: 400 } as const;
