import { cloudformationResources } from '../iam/resources';
import type { ServiceDescriptor } from './types';

/** CloudFormation (local/cloudformation.ts): DescribeStacks of the deployed template. */
export const cloudformation: ServiceDescriptor = {
  name: 'cloudformation',
  title: 'CloudFormation',
  signingName: 'cloudformation',
  protocols: [
    {
      kind: 'awsQuery',
      version: '2010-05-15',
      namespace: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
    },
  ],
  throttling: { code: 'Throttling', status: 400 },
  iam: {
    prefix: 'cloudformation',
    accessDenied: { code: 'AccessDenied', status: 403 },
    resources: cloudformationResources,
  },
  backend: 'operations',
};
