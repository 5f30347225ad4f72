import { ShiftStore } from '../../aws/store';
import type { FleetConfig } from '../../core/config';
import { getFleetConfig, requireEnv, resetFleetConfig } from './fleet-config';

/**
 * The one place the handlers read their environment. Built on first use (not at import) so a bad
 * FLEET_CONFIG fails the invocation with a message naming the field, and tests can set the
 * environment first. A handler that needs only the configuration uses fleet-config.ts.
 */
export interface Runtime {
  readonly config: FleetConfig;
  readonly store: ShiftStore;
  /** The clustershift table (the store's; the shared ELBv2 pacer keeps its bucket there too). */
  readonly tableName: string;
}

let runtime: Runtime | undefined;

export const getRuntime = (): Runtime => {
  if (runtime !== undefined) return runtime;
  // Both variables are checked before FLEET_CONFIG is parsed: a missing one is named first.
  requireEnv('FLEET_CONFIG');
  const tableName = requireEnv('TABLE_NAME');
  const config = getFleetConfig();
  runtime = { config, store: new ShiftStore({ tableName, fleet: config.fleet }), tableName };
  return runtime;
};

/** Forget the cached runtime and configuration (tests change the environment between cases). */
export const resetRuntime = (): void => {
  runtime = undefined;
  resetFleetConfig();
};
