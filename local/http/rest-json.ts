import type { TwinError } from '../errors';

/**
 * restJson1 errors (Lambda): the code in the `x-amzn-errortype` header, the message in a JSON body
 * with Lambda's `Type` (User for the caller's fault, Service for the service's).
 */
export const restJsonErrorHeaders = (error: TwinError): Record<string, string> => ({
  'content-type': 'application/json',
  'x-amzn-errortype': error.code,
});

export const encodeRestJsonError = (error: TwinError): string =>
  JSON.stringify({ Type: error.fault === 'Sender' ? 'User' : 'Service', message: error.message });
