import { ShiftStore, type ShiftStoreOptions, type ShiftStoreReader } from '../../aws/store';
import type { FleetConfig } from '../../core/config';
import { getFleetConfig, requireEnv, resetFleetConfig } from './fleet-config';

/**
 * The one place the handlers read their environment. Built on first use (not at import) so a bad
 * fleet config (FLEET_CONFIG_FILE, or FLEET_CONFIG inline: see fleet-config.ts) fails the invocation
 * with a message naming the field, and tests can set the environment first. A handler that needs only
 * the configuration uses fleet-config.ts.
 */
export interface Runtime<S extends ShiftStoreReader = ShiftStore> {
  readonly config: FleetConfig;
  readonly store: S;
  /** The clustershift table (the store's; the shared ELBv2 pacer keeps its bucket there too). */
  readonly tableName: string;
}

/** A class of store (aws/store.ts): the reads alone, the reads and the plan, or all of it. */
export type StoreKind<S extends ShiftStoreReader> = new (options: ShiftStoreOptions) => S;

const runtimes = new Map<StoreKind<ShiftStoreReader>, Runtime<ShiftStoreReader>>();

/**
 * The runtime with a store of the class given: a function that only reads (or, like Prepare, writes
 * only the plan) asks for that class, and its bundle holds none of the other writes.
 */
export const runtimeWith = <S extends ShiftStoreReader>(Store: StoreKind<S>): Runtime<S> => {
  const cached = runtimes.get(Store);
  if (cached !== undefined) return cached as Runtime<S>;
  // The config first: a missing or bad one is named before the table.
  const config = getFleetConfig();
  const tableName = requireEnv('TABLE_NAME');
  const runtime: Runtime<S> = { config, store: new Store({ tableName, fleet: config.fleet }), tableName };
  runtimes.set(Store, runtime);
  return runtime;
};

/** The runtime with the whole store. */
export const getRuntime = (): Runtime => runtimeWith(ShiftStore);

/** Forget the cached runtimes and configuration (tests change the environment between cases). */
export const resetRuntime = (): void => {
  runtimes.clear();
  resetFleetConfig();
};
