import { NotBundledError } from './not-bundled';

/**
 * Stands in for `@aws-sdk/endpoint-cache` (and through it mnemonist and obliterator, ~8 KB) in the
 * function bundles. Only DynamoDB has endpoint discovery, and it is off unless enabled
 * (AWS_ENABLE_ENDPOINT_DISCOVERY or `endpointDiscoveryEnabled`), which clustershift never does:
 * every request still looks its endpoint up in the cache, and this one is always empty. Discovering
 * an endpoint (the only thing that writes the cache) throws.
 */
const notBundled = (): never => {
  throw new NotBundledError('@aws-sdk/endpoint-cache', 'DynamoDB endpoint discovery');
};

/** Constructed with a capacity (`new EndpointCache(1000)`), which an empty cache has no use for. */
export class EndpointCache {
  /** No endpoint was discovered: the request keeps the one the endpoint rules resolved. */
  getEndpoint(_key: string): string | undefined {
    return undefined;
  }

  get(_key: string): never {
    return notBundled();
  }

  set(_key: string, _endpoints: unknown): never {
    return notBundled();
  }

  delete(_key: string): never {
    return notBundled();
  }

  has(_key: string): boolean {
    return false;
  }

  clear(): void {}
}
