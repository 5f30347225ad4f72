import { NotBundledError } from './not-bundled';

/**
 * Stands in for `@smithy/middleware-compression` in the function bundles. Only CloudWatch's
 * PutMetricData compresses its request body, and clustershift never calls it (metrics go out as
 * EMF on stdout); every other operation ignores the compression settings. The CloudWatch client
 * still resolves them when it is constructed, so that much must exist; adding the middleware to an
 * operation (sending PutMetricData) throws.
 */
const MODULE = '@smithy/middleware-compression';
const FEATURE = 'request compression (CloudWatch PutMetricData)';

const notBundled = (): never => {
  throw new NotBundledError(MODULE, FEATURE);
};

export const DEFAULT_DISABLE_REQUEST_COMPRESSION = false;
export const DEFAULT_NODE_REQUEST_MIN_COMPRESSION_SIZE_BYTES = 10240;

/** The settings are read only by the compression middleware: none is looked up. */
const unread = { environmentVariableSelector: () => undefined, configFileSelector: () => undefined };
export const NODE_DISABLE_REQUEST_COMPRESSION_CONFIG_OPTIONS = {
  ...unread,
  default: DEFAULT_DISABLE_REQUEST_COMPRESSION,
};
export const NODE_REQUEST_MIN_COMPRESSION_SIZE_BYTES_CONFIG_OPTIONS = {
  ...unread,
  default: DEFAULT_NODE_REQUEST_MIN_COMPRESSION_SIZE_BYTES,
};

/** The client's config as given: only the compression middleware reads these two settings. */
export const resolveCompressionConfig = <T>(input: T): T => input;

/** What PutMetricData's command adds to its stack: adding it throws. */
export const getCompressionPlugin = (_config?: unknown, _options?: unknown) => ({
  applyToStack: notBundled,
});

export const compressionMiddleware = notBundled;
export const compressionMiddlewareOptions = { name: 'compressionMiddleware', step: 'build' } as const;
