import { ShiftStore } from '../../aws/store';
import { type FleetConfig, validateFleetConfig } from '../../core/config';
import { InvalidConfigError } from '../../core/errors';

/**
 * The one place the handlers read their environment. Built on first use (not at import) so a bad
 * FLEET_CONFIG fails the invocation with a message naming the field, and tests can set the
 * environment first.
 */
export interface Runtime {
  readonly config: FleetConfig;
  readonly store: ShiftStore;
}

let runtime: Runtime | undefined;

export const getRuntime = (): Runtime => {
  if (runtime !== undefined) return runtime;
  const raw = process.env.FLEET_CONFIG;
  const tableName = process.env.TABLE_NAME;
  if (raw === undefined || raw === '') {
    throw new InvalidConfigError('FLEET_CONFIG', [{ path: '(env)', message: 'FLEET_CONFIG is not set' }]);
  }
  if (tableName === undefined || tableName === '') {
    throw new InvalidConfigError('TABLE_NAME', [{ path: '(env)', message: 'TABLE_NAME is not set' }]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new InvalidConfigError('FLEET_CONFIG', [{ path: '(json)', message: String(error) }], error);
  }
  const config = validateFleetConfig(parsed, 'FLEET_CONFIG');
  runtime = { config, store: new ShiftStore({ tableName, fleet: config.fleet }) };
  return runtime;
};

/** Forget the cached runtime (tests change the environment between cases). */
export const resetRuntime = (): void => {
  runtime = undefined;
};
