/**
 * AWS's documented limits that the twin enforces. The ELBv2 API buckets live in core/aws-limits.ts,
 * where clustershift's own pacing reads them too; figures a customer may have had raised are
 * overridden per twin (`TwinOptions.apiLimits`). What a throttled call answers is the service's
 * descriptor's (local/services/elbv2.ts: `Throttling`, "Rate exceeded", HTTP 400).
 */
export {
  type BucketLimit,
  ELBV2_API_BUCKETS,
  type Elbv2BucketName,
  elbv2BucketOf,
} from '../core/aws-limits';
