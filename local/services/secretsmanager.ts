import { secretsmanagerResources } from '../iam/resources';
import type { ServiceDescriptor } from './types';

/** Secrets Manager (local/secretsmanager.ts). */
export const secretsmanager: ServiceDescriptor = {
  name: 'secretsmanager',
  title: 'Secrets Manager',
  signingName: 'secretsmanager',
  protocols: [{ kind: 'awsJson1_1', targetPrefix: 'secretsmanager' }],
  throttling: { code: 'ThrottlingException', status: 400 },
  iam: {
    prefix: 'secretsmanager',
    accessDenied: { code: 'AccessDeniedException', status: 400 },
    resources: secretsmanagerResources,
  },
  backend: 'operations',
};
