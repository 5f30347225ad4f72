import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { FleetConfig } from '../core/config';
import { ClusterShift, type ClusterShiftProps } from './cluster-shift';
import { fleetAccount } from './elb-arns';

export interface ClusterShiftStackProps extends StackProps {
  /** The validated fleet config. The stack deploys to its region and to its load balancers' account. */
  readonly config: FleetConfig;
  /** Passed on to the {@link ClusterShift} construct (definition path, retention, removal policy …). */
  readonly clusterShift?: Omit<ClusterShiftProps, 'config'>;
}

/** The stack name for a fleet: `ClusterShift-<fleet>`. */
export const stackNameFor = (config: Pick<FleetConfig, 'fleet'>): string => `ClusterShift-${config.fleet}`;

/**
 * One fleet's clustershift. The environment comes from the config: its region, and the account of its
 * load balancers (a role can only rewrite listener rules in its own account), so deploying a fleet
 * with credentials for another account fails instead of creating a workflow that cannot work.
 */
export class ClusterShiftStack extends Stack {
  public readonly clusterShift: ClusterShift;

  constructor(scope: Construct, id: string, props: ClusterShiftStackProps) {
    const { config, clusterShift, ...stackProps } = props;
    super(scope, id, {
      description: `clustershift for fleet ${config.fleet}: traffic shifts between clusters behind ALB weights`,
      ...stackProps,
      env: { region: config.region, account: fleetAccount(config), ...stackProps.env },
    });
    this.clusterShift = new ClusterShift(this, 'ClusterShift', { ...clusterShift, config });
  }
}
