import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { FleetConfig } from '../core/config';
import type { ClusterShiftProps } from './cluster-shift';
import { ClusterShiftStack, stackNameFor } from './stack';

export interface BuildAppOptions {
  /** Passed on to the construct; tests point it at fixture handlers and workflow. */
  readonly clusterShift?: Omit<ClusterShiftProps, 'config'>;
}

/**
 * Adds the fleet's stack to an app and checks it with cdk-nag's AwsSolutions pack. Any finding that
 * is not acknowledged (infra/nag.ts) fails synth.
 */
export const buildApp = (app: App, config: FleetConfig, options: BuildAppOptions = {}): ClusterShiftStack => {
  const stack = new ClusterShiftStack(app, stackNameFor(config), {
    config,
    ...(options.clusterShift === undefined ? {} : { clusterShift: options.clusterShift }),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
};
