import { TwinError } from '../errors';
import { cloudformation } from './cloudformation';
import { cloudwatch } from './cloudwatch';
import { dynamodb } from './dynamodb';
import { elbv2 } from './elbv2';
import { events } from './events';
import { lambda } from './lambda';
import type { TwinServiceName } from './names';
import { secretsmanager } from './secretsmanager';
import { sfn } from './sfn';
import { sns } from './sns';
import { sts } from './sts';
import type { ServiceDescriptor } from './types';

export { TWIN_SERVICES, type TwinServiceName } from './names';
export type * from './types';

/** Every service the twin serves, one descriptor each (local/services/<name>.ts). */
export const SERVICE_DESCRIPTORS: Readonly<Record<TwinServiceName, ServiceDescriptor>> = {
  elbv2,
  cloudwatch,
  sfn,
  dynamodb,
  cloudformation,
  sts,
  sns,
  events,
  lambda,
  secretsmanager,
};

export const descriptorOf = (name: TwinServiceName): ServiceDescriptor => SERVICE_DESCRIPTORS[name];

/** The service's own throttling error, as faults and the API buckets answer it. */
export const throttlingError = (name: TwinServiceName): TwinError => {
  const { code, status } = descriptorOf(name).throttling;
  return new TwinError(code, 'Rate exceeded', status);
};

/** The service's own answer to an IAM denial. */
export const accessDeniedOf = (name: TwinServiceName, message: string): TwinError => {
  const { code, status } = descriptorOf(name).iam.accessDenied;
  return new TwinError(code, message, status);
};
