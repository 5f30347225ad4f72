import type { ShiftStoreReader } from '../../aws/store';
import { InvalidConfigError } from '../../core/errors';
import type { FleetAccess } from '../../ops/access';
import { now } from './clock';
import type { Runtime } from './runtime';

/** The SDK clients a function gives its operations; one left out is not in its bundle. */
export type FleetClients = Partial<FleetAccess['clients']>;

const SERVICE_NAMES: Readonly<Record<keyof FleetAccess['clients'], string>> = {
  elbv2: 'Elastic Load Balancing',
  cloudwatch: 'CloudWatch',
  sfn: 'Step Functions',
};

/** A client this function was built without: an operation that asks for it is a wiring bug. */
const withoutClient = (client: keyof FleetAccess['clients']) => (): never => {
  throw new Error(
    `this function has no ${SERVICE_NAMES[client]} client (functions/shared/fleet-access.ts): ` +
      'the command was sent to the wrong chat worker',
  );
};

/**
 * The fleet as a function sees it: the runtime's config and store, the SDK clients given, the
 * state machine from `STATE_MACHINE_ARN`, and the handlers' clock. The chat workers run the CLI's
 * operations (ops/) through it; a worker that only reads gives a runtime whose store only reads.
 */
export const lambdaFleetAccess = <S extends ShiftStoreReader>(
  clients: FleetClients,
  runtime: Runtime<S>,
): FleetAccess<S> => {
  const { config, store } = runtime;
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
    clients: {
      elbv2: clients.elbv2 ?? withoutClient('elbv2'),
      cloudwatch: clients.cloudwatch ?? withoutClient('cloudwatch'),
      sfn: clients.sfn ?? withoutClient('sfn'),
    },
    deployment: async () => ({ stateMachineArn }),
    store: async () => store,
    now,
    serviceNow: async () => now(),
  };
};
