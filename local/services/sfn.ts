import { sfnResources } from '../iam/resources';
import type { ServiceDescriptor } from './types';

/** Step Functions (local/sfn). */
export const sfn: ServiceDescriptor = {
  name: 'sfn',
  title: 'Step Functions',
  signingName: 'states',
  protocols: [{ kind: 'awsJson1_0', targetPrefix: 'AWSStepFunctions' }],
  throttling: { code: 'ThrottlingException', status: 400 },
  iam: {
    prefix: 'states',
    accessDenied: { code: 'AccessDeniedException', status: 400 },
    resources: sfnResources,
  },
  backend: 'operations',
};
