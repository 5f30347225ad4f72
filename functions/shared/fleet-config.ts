import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type FleetConfig, validateFleetConfig } from '../../core/config';
import { InvalidConfigError } from '../../core/errors';

/**
 * The fleet's configuration, read on first use and kept. Apart from runtime.ts (which adds the store)
 * so that a handler without the table (the chat endpoint) does not bundle the DynamoDB client and the
 * store just to read its configuration.
 *
 * Where it comes from:
 * - `FLEET_CONFIG_FILE`, when set: a JSON file, relative to the function's code root
 *   (`LAMBDA_TASK_ROOT`, which Lambda sets, and the twin too for each invocation; the working
 *   directory where it is not set) or absolute. The deployed functions are given this: their
 *   bundling (infra/bundling/bundle-function.ts) writes the synthesized config into each function's
 *   code asset, so no fleet size is limited by Lambda's 4 KB environment.
 * - otherwise `FLEET_CONFIG`: the JSON itself, inline (tests, and a function run by hand).
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
  const { FLEET_CONFIG_FILE: file, FLEET_CONFIG: inline, LAMBDA_TASK_ROOT: root } = process.env;
  // Neither: name the variable a deployed function is given.
  if (!file && !inline) requireEnv('FLEET_CONFIG_FILE');
  const path = file && resolve(root || '', file);
  const source = path ? `FLEET_CONFIG_FILE ${path}` : 'FLEET_CONFIG';
  let parsed: unknown;
  try {
    // A file that cannot be read and text that is not JSON both fail here: the error says which.
    parsed = JSON.parse(path ? readFileSync(path, 'utf8') : String(inline));
  } catch (error) {
    throw new InvalidConfigError(
      source,
      [{ path: path ? '(file)' : '(json)', message: String(error) }],
      error,
    );
  }
  config = validateFleetConfig(parsed, source);
  return config;
};

/** Forget the cached configuration (tests change the environment between cases). */
export const resetFleetConfig = (): void => {
  config = undefined;
};
