import { anyResource } from '../iam/resources';
import type { ServiceDescriptor } from './types';

/** STS (local/sts.ts): GetCallerIdentity, which needs no permission (its API reference). */
export const sts: ServiceDescriptor = {
  name: 'sts',
  title: 'STS',
  signingName: 'sts',
  protocols: [
    { kind: 'awsQuery', version: '2011-06-15', namespace: 'https://sts.amazonaws.com/doc/2011-06-15/' },
  ],
  throttling: { code: 'Throttling', status: 400 },
  iam: {
    prefix: 'sts',
    accessDenied: { code: 'AccessDenied', status: 403 },
    resources: anyResource,
    unchecked: ['GetCallerIdentity'],
  },
  backend: 'operations',
};
