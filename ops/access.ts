import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { ShiftStore, ShiftStoreReader } from '../aws/store';
import type { FleetConfig } from '../core/config';

/**
 * What an operation on a deployed fleet works with, whoever asks: the CLI's Context provides it on
 * a laptop, the chat worker from its Lambda environment. Operations in ops/ read and write only
 * through it, so the CLI and chat do exactly the same thing for the same command. An operation that
 * only reads takes a {@link ReadAccess}: the chat workers that only read have no store writes.
 */
export interface FleetAccess<S extends ShiftStoreReader = ShiftStore> {
  readonly config: FleetConfig;
  /** The region requests go to. */
  readonly region: string;
  readonly stackName: string;
  readonly clients: {
    elbv2(): ElasticLoadBalancingV2Client;
    cloudwatch(): CloudWatchClient;
    sfn(): SFNClient;
  };
  deployment(): Promise<{ readonly stateMachineArn: string }>;
  store(): Promise<S>;
  /** Now, on the services' clock as last heard. */
  now(): Date;
  /** Now on the services' clock, asking once if nothing has told it yet (leases, metric windows). */
  serviceNow(): Promise<Date>;
}

/** What an operation that only reads needs: any FleetAccess is one. */
export type ReadAccess = FleetAccess<ShiftStoreReader>;
