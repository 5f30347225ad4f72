import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the function bundles (an esbuild alias, see
 * infra/handler-function.ts). Lambda hands a function its role's credentials in the environment
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), and so does the twin; the SDK's
 * default chain would also bundle the SSO, STS, INI, process and instance-metadata providers and
 * their nested clients, about 90 KB per function that never run there.
 */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
