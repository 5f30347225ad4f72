import {
  CLOUDWATCH_QUERY_VERSION,
  CLOUDWATCH_TARGET_PREFIX,
  CLOUDWATCH_XML_NAMESPACE,
  handleCloudWatchCbor,
  handleCloudWatchJson,
  handleCloudWatchQuery,
} from '../cloudwatch/wire';
import { cloudwatchResources } from '../iam/resources';
import type { ServiceDescriptor } from './types';

/**
 * CloudWatch (local/cloudwatch): three protocols, since current SDKs differ — awsJson1_0 with
 * query-compatible errors (JS SDK v3), awsQuery (AWS CLI, older SDKs), Smithy RPC v2 CBOR (current
 * botocore) — all written by its own codec (local/cloudwatch/wire.ts).
 */
export const cloudwatch: ServiceDescriptor = {
  name: 'cloudwatch',
  title: 'CloudWatch',
  signingName: 'monitoring',
  protocols: [
    { kind: 'awsJson1_0', targetPrefix: CLOUDWATCH_TARGET_PREFIX, queryCompatible: true },
    { kind: 'awsQuery', version: CLOUDWATCH_QUERY_VERSION, namespace: CLOUDWATCH_XML_NAMESPACE },
    { kind: 'rpcv2Cbor', serviceId: CLOUDWATCH_TARGET_PREFIX },
  ],
  throttling: { code: 'Throttling', status: 400 },
  iam: {
    prefix: 'cloudwatch',
    accessDenied: { code: 'AccessDenied', status: 403 },
    resources: cloudwatchResources,
  },
  backend: 'operations',
  codec: { awsJson: handleCloudWatchJson, awsQuery: handleCloudWatchQuery, rpcv2Cbor: handleCloudWatchCbor },
};
