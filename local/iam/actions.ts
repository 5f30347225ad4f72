import type { TwinError } from '../errors';
import type { TwinInput } from '../service';
import { accessDeniedOf, descriptorOf } from '../services';
import type { TwinServiceName } from '../services/names';
import type { ActionRequest, ResourceContext } from './resources';

export { type ActionRequest, lambdaInvokeResource, type ResourceContext } from './resources';

/**
 * Every (action, resource) AWS checks for one call; empty when the operation needs no permission.
 * The action prefix, the resources and the operations needing no permission are the service's
 * descriptor's (local/services/); local/iam/resources.ts says where each service's resources come from.
 */
export const actionRequests = (
  service: TwinServiceName,
  operation: string,
  input: TwinInput,
  context: ResourceContext,
): ActionRequest[] => {
  const { iam } = descriptorOf(service);
  if (iam.unchecked?.includes(operation)) return [];
  const action = `${iam.prefix}:${operation}`;
  return iam
    .resources(operation, input, context)
    .map((resource) => (typeof resource === 'string' ? { action, resource } : resource));
};

/**
 * The error each service answers an IAM denial with, as its API reference and SDK error names have
 * it: awsQuery services `AccessDenied` (403), SNS its own `AuthorizationError` (403), the awsJson
 * services `AccessDeniedException` (400), Lambda's REST API `AccessDeniedException` (403). CloudWatch's
 * JSON and CBOR protocols carry the query-compatible code `AccessDenied` (x-amzn-query-error).
 */
export const accessDeniedError = (service: TwinServiceName, message: string): TwinError =>
  accessDeniedOf(service, message);

/** How the action is written in the denial: SNS capitalises its prefix (`SNS:Publish`). */
export const displayedAction = (service: TwinServiceName, action: string): string => {
  const { prefix, displayedPrefix } = descriptorOf(service).iam;
  return displayedPrefix !== undefined && action.startsWith(`${prefix}:`)
    ? `${displayedPrefix}${action.slice(prefix.length)}`
    : action;
};
