import { eventsResources } from '../iam/resources';
import type { ServiceDescriptor } from './types';

/** EventBridge (local/events), the default bus. */
export const events: ServiceDescriptor = {
  name: 'events',
  title: 'EventBridge',
  signingName: 'events',
  protocols: [{ kind: 'awsJson1_1', targetPrefix: 'AWSEvents' }],
  throttling: { code: 'ThrottlingException', status: 400 },
  iam: {
    prefix: 'events',
    accessDenied: { code: 'AccessDeniedException', status: 400 },
    resources: eventsResources,
  },
  backend: 'operations',
};
