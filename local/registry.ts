import type { TwinDynamoDb } from './dynamodb';
import type { RestAnswer } from './lambda/invoke-api';
import type { TwinService } from './service';
import { SERVICE_DESCRIPTORS } from './services';
import type { TwinServiceName } from './services/names';
import type {
  CborProtocol,
  JsonProtocol,
  QueryProtocol,
  RestProtocol,
  ServiceDescriptor,
  WireProtocol,
} from './services/types';

/** A REST API that answers whole requests itself (Lambda Invoke). */
export interface RestApi {
  handle(
    method: string,
    url: string,
    headers: Readonly<Record<string, string | undefined>>,
    body: Buffer,
  ): Promise<RestAnswer>;
}

/** What serves a service's operations in this twin, bound at composition. */
export type ServiceBinding =
  | { readonly kind: 'operations'; readonly service: TwinService }
  | { readonly kind: 'dynalite'; readonly dynamodb: () => TwinDynamoDb | undefined }
  | { readonly kind: 'rest'; readonly api: RestApi };

export interface RegisteredService<B extends ServiceBinding = ServiceBinding> {
  readonly descriptor: ServiceDescriptor;
  readonly binding: B;
}

/** A service found by one of its protocols, with that protocol's entry. */
export interface ProtocolMatch<P extends WireProtocol> {
  readonly service: RegisteredService;
  readonly protocol: P;
}

const isQuery = (protocol: WireProtocol): protocol is QueryProtocol => protocol.kind === 'awsQuery';
const isJson = (protocol: WireProtocol): protocol is JsonProtocol =>
  protocol.kind === 'awsJson1_0' || protocol.kind === 'awsJson1_1';
const isCbor = (protocol: WireProtocol): protocol is CborProtocol => protocol.kind === 'rpcv2Cbor';
const isRest = (protocol: WireProtocol): protocol is RestProtocol => protocol.kind === 'restJson1';

/** Adds `key → value`, refusing a key two services claim. */
const claim = <V extends { readonly service: RegisteredService }>(
  map: Map<string, V>,
  what: string,
  key: string,
  value: V,
): void => {
  const other = map.get(key);
  if (other !== undefined) {
    throw new Error(
      `twin registry: ${what} ${key} is claimed by ${other.service.descriptor.name} and ${value.service.descriptor.name}`,
    );
  }
  map.set(key, value);
};

/**
 * The services of one twin, each descriptor (local/services/) bound to what serves it, and the
 * lookups routing and dispatch use: by awsQuery version or signing name, JSON target prefix, CBOR
 * service id, REST signing name or path. Built at composition; refuses descriptors that claim the
 * same version, target or path, and a binding that does not fit its descriptor, so a twin with an
 * inconsistent registry never starts.
 */
export class ServiceRegistry {
  private readonly services = new Map<TwinServiceName, RegisteredService>();
  private readonly queryByVersion = new Map<string, ProtocolMatch<QueryProtocol>>();
  private readonly queryBySigningName = new Map<string, ProtocolMatch<QueryProtocol>>();
  private readonly jsonByTarget = new Map<string, ProtocolMatch<JsonProtocol>>();
  private readonly cborByServiceId = new Map<string, ProtocolMatch<CborProtocol>>();
  private readonly restBySigningName = new Map<string, ProtocolMatch<RestProtocol>>();
  private readonly signingNames = new Map<string, { readonly service: RegisteredService }>();

  constructor(
    bindings: Readonly<Record<TwinServiceName, ServiceBinding>>,
    descriptors: readonly ServiceDescriptor[] = Object.values(SERVICE_DESCRIPTORS),
  ) {
    for (const descriptor of descriptors) {
      const binding = bindings[descriptor.name];
      if (binding === undefined || binding.kind !== descriptor.backend) {
        throw new Error(
          `twin registry: ${descriptor.name} is served by ${descriptor.backend}, bound to ${binding?.kind ?? 'nothing'}`,
        );
      }
      const service: RegisteredService = { descriptor, binding };
      if (this.services.has(descriptor.name)) {
        throw new Error(`twin registry: two descriptors are named ${descriptor.name}`);
      }
      this.services.set(descriptor.name, service);
      claim(this.signingNames, 'signing name', descriptor.signingName, { service });
      for (const protocol of descriptor.protocols) this.index(service, protocol);
    }
  }

  private index(service: RegisteredService, protocol: WireProtocol): void {
    const { descriptor } = service;
    if (isQuery(protocol)) {
      claim(this.queryByVersion, 'awsQuery version', protocol.version, { service, protocol });
      claim(this.queryBySigningName, 'awsQuery signing name', descriptor.signingName, { service, protocol });
    } else if (isJson(protocol)) {
      claim(this.jsonByTarget, 'X-Amz-Target prefix', protocol.targetPrefix, { service, protocol });
    } else if (isCbor(protocol)) {
      // There is no generic CBOR codec: the service brings its own.
      if (descriptor.codec?.rpcv2Cbor === undefined) {
        throw new Error(`twin registry: ${descriptor.name} speaks rpcv2Cbor without a codec for it`);
      }
      claim(this.cborByServiceId, 'RPC v2 CBOR service', protocol.serviceId, { service, protocol });
    } else if (isRest(protocol)) {
      if (descriptor.backend !== 'rest') {
        throw new Error(`twin registry: ${descriptor.name} speaks restJson1 but is not served by a REST API`);
      }
      claim(this.restBySigningName, 'restJson1 signing name', descriptor.signingName, { service, protocol });
    }
  }

  all(): RegisteredService[] {
    return [...this.services.values()];
  }

  get(name: TwinServiceName): RegisteredService {
    const service = this.services.get(name);
    if (service === undefined) throw new Error(`twin registry: no service ${name}`);
    return service;
  }

  /** The awsQuery service a request names: by its signature's signing name, or unsigned, by `Version`. */
  query(signingName: string | undefined, version: string): ProtocolMatch<QueryProtocol> | undefined {
    return signingName !== undefined
      ? this.queryBySigningName.get(signingName)
      : this.queryByVersion.get(version);
  }

  /** The awsQuery service signed with this name (for the XML namespace of an error). */
  queryBySigning(signingName: string): ProtocolMatch<QueryProtocol> | undefined {
    return this.queryBySigningName.get(signingName);
  }

  json(targetPrefix: string): ProtocolMatch<JsonProtocol> | undefined {
    return this.jsonByTarget.get(targetPrefix);
  }

  cbor(serviceId: string): ProtocolMatch<CborProtocol> | undefined {
    return this.cborByServiceId.get(serviceId);
  }

  /** The REST service a request reaches: by its signature's signing name, or unsigned, by its path. */
  rest(signingName: string | undefined, path: string): ProtocolMatch<RestProtocol> | undefined {
    if (signingName !== undefined) return this.restBySigningName.get(signingName);
    return [...this.restBySigningName.values()].find((match) => match.protocol.path.test(path));
  }

  /** The operation names a service's table serves; undefined for dynalite and REST services. */
  operationsOf(name: TwinServiceName): string[] | undefined {
    const { binding } = this.get(name);
    return binding.kind === 'operations' ? Object.keys(binding.service.operations) : undefined;
  }
}
