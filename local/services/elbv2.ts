import { elbv2Resources } from '../iam/resources';
import { ELBV2_API_BUCKETS, elbv2BucketOf } from '../limits';
import type { ServiceDescriptor } from './types';

/** Elastic Load Balancing v2 (local/elbv2): the one service with API rate limits (ELB user guide). */
export const elbv2: ServiceDescriptor = {
  name: 'elbv2',
  title: 'ELBv2',
  signingName: 'elasticloadbalancing',
  protocols: [
    {
      kind: 'awsQuery',
      version: '2015-12-01',
      namespace: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
    },
  ],
  throttling: { code: 'Throttling', status: 400 },
  apiLimits: { buckets: ELBV2_API_BUCKETS, bucketOf: elbv2BucketOf },
  iam: {
    prefix: 'elasticloadbalancing',
    accessDenied: { code: 'AccessDenied', status: 403 },
    resources: elbv2Resources,
  },
  backend: 'operations',
};
