import { RegionInfo } from 'aws-cdk-lib/region-info';

/**
 * Partitions where AWS documents X-Ray together with Lambda active tracing and Step Functions
 * tracing (`TracingConfiguration`): the commercial partition, China (the X-Ray developer guide and
 * API, and Step Functions' TracingConfiguration, are published for the China regions, and "Getting
 * Started with Amazon Web Services in China" lists no tracing difference for Step Functions) and
 * GovCloud (its Step Functions page lists FIPS endpoints and HTTPS task differences, none for
 * tracing). Elsewhere (the ISO partitions, the European Sovereign Cloud) nothing public says X-Ray
 * is there, and a TracingConfig the partition cannot honour would fail the deployment, so tracing
 * stays off unless asked for.
 */
export const TRACING_PARTITIONS: readonly string[] = ['aws', 'aws-cn', 'aws-us-gov'];

/** The partition of a region, from CDK's region facts; a region CDK does not know yet counts as `aws`. */
export const partitionOfRegion = (region: string): string => RegionInfo.get(region).partition ?? 'aws';

/** Whether X-Ray tracing is on by default for a stack in `region`. */
export const tracingByDefault = (region: string): boolean =>
  TRACING_PARTITIONS.includes(partitionOfRegion(region));
