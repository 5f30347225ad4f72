import { dynamodbResources } from '../iam/resources';
import type { ServiceDescriptor } from './types';

/** DynamoDB: served by dynalite (local/dynamodb.ts), every operation it has. */
export const dynamodb: ServiceDescriptor = {
  name: 'dynamodb',
  title: 'DynamoDB',
  signingName: 'dynamodb',
  protocols: [{ kind: 'awsJson1_0', targetPrefix: 'DynamoDB_20120810' }],
  throttling: { code: 'ThrottlingException', status: 400 },
  iam: {
    prefix: 'dynamodb',
    accessDenied: { code: 'AccessDeniedException', status: 400 },
    resources: dynamodbResources,
  },
  backend: 'dynalite',
};
