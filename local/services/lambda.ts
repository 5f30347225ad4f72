import { lambdaResources } from '../iam/resources';
import { INVOCATIONS_PATH } from '../lambda/invoke-api';
import type { ServiceDescriptor } from './types';

/**
 * Lambda's Invoke API (local/lambda/invoke-api.ts): restJson1, reached by the signing name or, for
 * an unsigned request, by its path. Throttles with 429 `TooManyRequestsException`; denials are 403.
 */
export const lambda: ServiceDescriptor = {
  name: 'lambda',
  title: 'Lambda',
  signingName: 'lambda',
  protocols: [
    {
      kind: 'restJson1',
      path: INVOCATIONS_PATH,
      operation: 'Invoke',
      // Lambda's synchronous payload limit is 6 MB.
      maxRequestBytes: 6 * 1024 * 1024 + 1,
    },
  ],
  throttling: { code: 'TooManyRequestsException', status: 429 },
  iam: {
    prefix: 'lambda',
    accessDenied: { code: 'AccessDeniedException', status: 403 },
    resources: lambdaResources,
  },
  backend: 'rest',
};
