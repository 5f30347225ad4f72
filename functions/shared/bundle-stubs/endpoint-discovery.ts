import { NotBundledError } from './not-bundled';

/**
 * Stands in for `@aws-sdk/middleware-endpoint-discovery` in the function bundles. Only DynamoDB has
 * endpoint discovery; it is off unless enabled (AWS_ENABLE_ENDPOINT_DISCOVERY or
 * `endpointDiscoveryEnabled`), which clustershift never does, and the installed client adds no
 * discovery middleware to the operations we call. The client still resolves the setting when it is
 * constructed, so that much exists: resolved as the SDK does, with an empty endpoint cache
 * (bundle-stubs/endpoint-cache.ts). The environment asking for discovery, or a discovery
 * middleware, throws.
 */
const MODULE = '@aws-sdk/middleware-endpoint-discovery';
const FEATURE = 'DynamoDB endpoint discovery';

const notBundled = (): never => {
  throw new NotBundledError(MODULE, FEATURE);
};

const ENV_ENDPOINT_DISCOVERY = ['AWS_ENABLE_ENDPOINT_DISCOVERY', 'AWS_ENDPOINT_DISCOVERY_ENABLED'];

/** Unset (discovery off), unless the environment enables it, which throws. */
export const NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS = {
  environmentVariableSelector: (env: Record<string, string | undefined>): undefined => {
    for (const key of ENV_ENDPOINT_DISCOVERY) {
      const value = env[key];
      if (value !== undefined && value !== 'false' && value !== '0') notBundled();
    }
    return undefined;
  },
  configFileSelector: (): undefined => undefined,
  default: undefined,
};

interface DiscoveryInput {
  endpointDiscoveryEnabled?: boolean;
  endpointDiscoveryEnabledProvider?: () => Promise<boolean | undefined>;
}

/** As the SDK's, without the endpoint cache's size (the stub cache stays empty). */
export const resolveEndpointDiscoveryConfig = <T extends DiscoveryInput>(
  input: T,
  { endpointDiscoveryCommandCtor }: { endpointDiscoveryCommandCtor: unknown },
) => {
  const { endpointDiscoveryEnabled, endpointDiscoveryEnabledProvider } = input;
  if (endpointDiscoveryEnabled === true) notBundled();
  return Object.assign(input, {
    endpointDiscoveryCommandCtor,
    endpointDiscoveryEnabled:
      endpointDiscoveryEnabled !== undefined
        ? () => Promise.resolve(endpointDiscoveryEnabled)
        : endpointDiscoveryEnabledProvider,
    isClientEndpointDiscoveryEnabled: endpointDiscoveryEnabled !== undefined,
  });
};

/** What an operation with discovery adds to its stack: adding it throws. */
export const getEndpointDiscoveryPlugin = (_config?: unknown, _options?: unknown) => ({
  applyToStack: notBundled,
});
export const getEndpointDiscoveryRequiredPlugin = getEndpointDiscoveryPlugin;
export const getEndpointDiscoveryOptionalPlugin = getEndpointDiscoveryPlugin;
export const endpointDiscoveryMiddlewareOptions = { name: 'endpointDiscoveryMiddleware' } as const;
