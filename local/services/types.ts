import type { BucketLimit } from '../../core/aws-limits';
import type { WireResponse } from '../cloudwatch/wire';
import type { ResourceResolver } from '../iam/resources';
import type { QueryRequest } from '../protocol/query';
import type { TwinService } from '../service';
import type { TwinServiceName } from './names';

/**
 * What the twin knows about one AWS service, in one place: the wire protocols it speaks (and so how
 * requests reach it), the error it throttles with, how IAM authorizes its calls, its API rate limits
 * and what serves its operations. The registry (local/registry.ts) is built from these at
 * composition; routing, fault injection, the API throttle and IAM all read them from there.
 */
export interface ServiceDescriptor {
  readonly name: TwinServiceName;
  /** As AWS writes it, for messages and the README. */
  readonly title: string;
  /** The SigV4 signing name in the credential scope (`Credential=…/<region>/<signingName>/aws4_request`). */
  readonly signingName: string;
  readonly protocols: readonly WireProtocol[];
  /** What a throttled call answers (faults' `throttleRate`/`ratePerSecond`, the API buckets); message "Rate exceeded". */
  readonly throttling: ErrorShape;
  /** AWS's documented API rate limits for the service, enforced for every caller (local/api-throttle.ts). */
  readonly apiLimits?: ServiceApiLimits;
  readonly iam: ServiceIam;
  /**
   * What serves the operations: a table (`TwinService.operations`, bound at composition), dynalite
   * (DynamoDB), or a REST API of its own (Lambda Invoke).
   */
  readonly backend: 'operations' | 'dynalite' | 'rest';
  /**
   * A service that writes whole responses itself (CloudWatch: query-compatible JSON and CBOR, its
   * own error shapes); without one, the generic codec of each protocol does.
   */
  readonly codec?: ServiceCodec;
}

export interface ErrorShape {
  readonly code: string;
  readonly status: number;
}

export type WireProtocol = QueryProtocol | JsonProtocol | CborProtocol | RestProtocol;

/** awsQuery: form-encoded `Action=…&Version=…` in, XML out. */
export interface QueryProtocol {
  readonly kind: 'awsQuery';
  readonly version: string;
  /** The XML namespace of responses and errors. */
  readonly namespace: string;
}

/** awsJson 1.0 / 1.1: `X-Amz-Target: <targetPrefix>.<Operation>`, JSON in and out. */
export interface JsonProtocol {
  readonly kind: 'awsJson1_0' | 'awsJson1_1';
  readonly targetPrefix: string;
  /** Errors also carry `x-amzn-query-error: Code;Sender` (the awsQueryCompatible trait). */
  readonly queryCompatible?: boolean;
}

/** Smithy RPC v2 CBOR: `POST /service/<serviceId>/operation/<Operation>`, `smithy-protocol: rpc-v2-cbor`. */
export interface CborProtocol {
  readonly kind: 'rpcv2Cbor';
  readonly serviceId: string;
}

/** restJson1 (Lambda): requests by path, reached by signing name or, unsigned, by `path`. */
export interface RestProtocol {
  readonly kind: 'restJson1';
  readonly path: RegExp;
  /** The one operation the twin serves over it (what faults and IAM see). */
  readonly operation: string;
  /** Larger bodies are refused with 413 before anything else. */
  readonly maxRequestBytes: number;
}

export interface ServiceApiLimits {
  readonly buckets: Readonly<Record<string, BucketLimit>>;
  /** Which bucket an operation spends. */
  readonly bucketOf: (operation: string) => string;
}

export interface ServiceIam {
  /** The IAM action prefix (`elasticloadbalancing:ModifyRule`). */
  readonly prefix: string;
  /** How AWS writes the prefix in a denial, when it differs (SNS: `SNS:Publish`). */
  readonly displayedPrefix?: string;
  /** The error a denial answers. */
  readonly accessDenied: ErrorShape;
  /** The (action, resource) pairs AWS authorizes for a call. */
  readonly resources: ResourceResolver;
  /** Operations that need no permission at all. */
  readonly unchecked?: readonly string[];
}

export interface ServiceCodec {
  readonly awsJson?: (service: TwinService, operation: string, bodyText: string) => Promise<WireResponse>;
  readonly awsQuery?: (service: TwinService, request: QueryRequest) => Promise<WireResponse>;
  readonly rpcv2Cbor?: (service: TwinService, operation: string, body: Uint8Array) => Promise<WireResponse>;
}
