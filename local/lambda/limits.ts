import { TwinError } from '../errors';
import type { DeployedFunction } from './function';

/**
 * Lambda's quota on a function's environment variables: 4 KB in all ("Lambda quotas", function
 * configuration). Lambda measures the JSON document of the whole Variables map, names and quotes and
 * braces included: its refusal quotes that document as "String measured: {…}". 4 KB is 4,096 bytes.
 */
export const MAX_ENVIRONMENT_BYTES = 4_096;

/** The size Lambda compares with the quota: the UTF-8 bytes of the variables map as JSON. */
export const environmentBytes = (variables: Readonly<Record<string, string>>): number =>
  Object.keys(variables).length === 0 ? 0 : Buffer.byteLength(JSON.stringify(variables), 'utf8');

/** Refuses an environment over the quota as CreateFunction/UpdateFunctionConfiguration do. */
export const checkEnvironmentSize = (fn: Pick<DeployedFunction, 'name' | 'environment'>): void => {
  const bytes = environmentBytes(fn.environment);
  if (bytes <= MAX_ENVIRONMENT_BYTES) return;
  throw new TwinError(
    'InvalidParameterValueException',
    `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit (function ${fn.name}: ${bytes} bytes measured, ${MAX_ENVIRONMENT_BYTES} allowed). String measured: ${JSON.stringify(fn.environment)}`,
  );
};
