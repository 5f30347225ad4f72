import { snsResources } from '../iam/resources';
import type { ServiceDescriptor } from './types';

/** SNS (local/sns.ts): denials are its own `AuthorizationError`, naming the action `SNS:Publish`. */
export const sns: ServiceDescriptor = {
  name: 'sns',
  title: 'SNS',
  signingName: 'sns',
  protocols: [
    { kind: 'awsQuery', version: '2010-03-31', namespace: 'http://sns.amazonaws.com/doc/2010-03-31/' },
  ],
  throttling: { code: 'Throttling', status: 400 },
  iam: {
    prefix: 'sns',
    displayedPrefix: 'SNS',
    accessDenied: { code: 'AuthorizationError', status: 403 },
    resources: snsResources,
  },
  backend: 'operations',
};
