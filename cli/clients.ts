import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SERVICE_CLOCK_MIDDLEWARE, ServiceClock } from './service-clock';

/** Service ids as the SDK spells them in `AWS_ENDPOINT_URL_<ID>`. */
const SERVICE_IDS = {
  elbv2: 'ELASTIC_LOAD_BALANCING_V2',
  cloudwatch: 'CLOUDWATCH',
  sfn: 'SFN',
  dynamodb: 'DYNAMODB',
  cloudformation: 'CLOUDFORMATION',
  sts: 'STS',
} as const;
export type ServiceKey = keyof typeof SERVICE_IDS;

export interface ClientSettings {
  readonly region: string;
  readonly profile?: string;
  /** `--endpoint-url`: one endpoint for every service (the local twin). */
  readonly endpointUrl?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * The endpoint of one service: `--endpoint-url`, else `AWS_ENDPOINT_URL_<SERVICE>`, else
 * `AWS_ENDPOINT_URL`, else AWS's own (undefined). Resolved here rather than by the SDK so the
 * CLI can say which endpoint it talks to, and tests can pass their environment in.
 */
export const endpointFor = (settings: ClientSettings, service: ServiceKey): string | undefined =>
  settings.endpointUrl ??
  settings.env[`AWS_ENDPOINT_URL_${SERVICE_IDS[service]}`] ??
  settings.env.AWS_ENDPOINT_URL ??
  undefined;

/** Endpoint overrides in effect, for the operator to see on stderr (never fall back silently). */
export const endpointNotes = (settings: ClientSettings): string[] => {
  const general = settings.endpointUrl ?? settings.env.AWS_ENDPOINT_URL;
  const notes = general === undefined || general === '' ? [] : [`endpoint: ${general}`];
  if (settings.endpointUrl !== undefined) return notes;
  for (const [key, id] of Object.entries(SERVICE_IDS)) {
    const specific = settings.env[`AWS_ENDPOINT_URL_${id}`];
    if (specific !== undefined && specific !== '' && specific !== general) {
      notes.push(`endpoint (${key}): ${specific}`);
    }
  }
  return notes;
};

/** The SDK clients of one CLI run, built on first use with the same region, profile and endpoints. */
export class Clients {
  readonly clock = new ServiceClock();
  private readonly built = new Map<ServiceKey, unknown>();

  constructor(readonly settings: ClientSettings) {}

  /** Region, profile (the standard credential chain reads it) and endpoint of one service. */
  configFor(service: ServiceKey) {
    const endpoint = endpointFor(this.settings, service);
    return {
      region: this.settings.region,
      ...(this.settings.profile === undefined ? {} : { profile: this.settings.profile }),
      ...(endpoint === undefined || endpoint === '' ? {} : { endpoint }),
    };
  }

  private once<T>(service: ServiceKey, build: () => T): T {
    if (!this.built.has(service)) this.built.set(service, build());
    return this.built.get(service) as T;
  }

  elbv2(): ElasticLoadBalancingV2Client {
    return this.once('elbv2', () => new ElasticLoadBalancingV2Client(this.configFor('elbv2')));
  }

  cloudwatch(): CloudWatchClient {
    return this.once('cloudwatch', () => {
      const client = new CloudWatchClient(this.configFor('cloudwatch'));
      client.middlewareStack.add(this.clock.middleware(), SERVICE_CLOCK_MIDDLEWARE);
      return client;
    });
  }

  sfn(): SFNClient {
    return this.once('sfn', () => {
      const client = new SFNClient(this.configFor('sfn'));
      client.middlewareStack.add(this.clock.middleware(), SERVICE_CLOCK_MIDDLEWARE);
      return client;
    });
  }

  dynamo(): DynamoDBClient {
    return this.once('dynamodb', () => new DynamoDBClient(this.configFor('dynamodb')));
  }

  cloudformation(): CloudFormationClient {
    return this.once('cloudformation', () => new CloudFormationClient(this.configFor('cloudformation')));
  }

  /** Closes every client's sockets so the process can exit at once. */
  destroy(): void {
    for (const client of this.built.values()) (client as { destroy?: () => void }).destroy?.();
    this.built.clear();
  }
}
