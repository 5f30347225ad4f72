import { type FleetConfig, validateFleetConfig } from '../../core/config';
import { InvalidConfigError } from '../../core/errors';

/**
 * The fleet's configuration from FLEET_CONFIG, read on first use and kept. Apart from runtime.ts
 * (which adds the store) so that a handler without the table (the chat endpoint) does not bundle
 * the DynamoDB client and the store just to read its configuration.
 */
let config: FleetConfig | undefined;

/** An environment variable the function cannot work without (InvalidConfig naming it). */
export const requireEnv = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new InvalidConfigError(name, [{ path: '(env)', message: `${name} is not set` }]);
  }
  return value;
};

export const getFleetConfig = (): FleetConfig => {
  if (config !== undefined) return config;
  const raw = requireEnv('FLEET_CONFIG');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new InvalidConfigError('FLEET_CONFIG', [{ path: '(json)', message: String(error) }], error);
  }
  config = validateFleetConfig(parsed, 'FLEET_CONFIG');
  return config;
};

/** Forget the cached configuration (tests change the environment between cases). */
export const resetFleetConfig = (): void => {
  config = undefined;
};
