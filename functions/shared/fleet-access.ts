import { defaultCloudWatchClient } from '../../aws/cloudwatch';
import { defaultElbv2Client } from '../../aws/elbv2-client';
import { defaultSfnClient } from '../../aws/sfn';
import { InvalidConfigError } from '../../core/errors';
import type { FleetAccess } from '../../ops/access';
import { now } from './clock';
import { getRuntime } from './runtime';

/**
 * The fleet as a function sees it: the runtime's config and store, the module's SDK clients, the
 * state machine from `STATE_MACHINE_ARN`, and the handlers' clock. The chat worker runs the CLI's
 * operations (ops/) through it.
 */
export const lambdaFleetAccess = (): FleetAccess => {
  const { config, store } = getRuntime();
  const stateMachineArn = process.env.STATE_MACHINE_ARN;
  if (stateMachineArn === undefined || stateMachineArn === '') {
    throw new InvalidConfigError('STATE_MACHINE_ARN', [
      { path: '(env)', message: 'STATE_MACHINE_ARN is not set' },
    ]);
  }
  return {
    config,
    region: process.env.AWS_REGION ?? config.region,
    stackName: process.env.STACK_NAME ?? '',
    clients: { elbv2: defaultElbv2Client, cloudwatch: defaultCloudWatchClient, sfn: defaultSfnClient },
    deployment: async () => ({ stateMachineArn }),
    store: async () => store,
    now,
    serviceNow: async () => now(),
  };
};
