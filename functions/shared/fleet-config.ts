import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type FleetConfig, validateFleetConfig } from '../../core/config';
import { InvalidConfigError } from '../../core/errors';

/**
 * The fleet's configuration, read on first use and kept. Apart from runtime.ts (which adds the store)
 * so that a handler without the table (the chat endpoint) does not bundle the DynamoDB client and the
 * store just to read its configuration.
 *
 * Where it comes from, in this order:
 * - `FLEET_CONFIG_FILE`: a JSON file, relative to the function's code root (`LAMBDA_TASK_ROOT`, which
 *   Lambda sets, and the twin too for each invocation; the working directory where it is not set) or
 *   absolute. The deployed functions are given this: infra/handler-function.ts writes the synthesized
 *   config into each function's code asset, so no fleet size is limited by Lambda's 4 KB environment.
 * - `FLEET_CONFIG`: the JSON itself, inline (tests, and functions run by hand).
 */
let config: FleetConfig | undefined;

/** The variable that names the config file (infra/handler-function.ts sets it). */
export const FLEET_CONFIG_FILE_VARIABLE = 'FLEET_CONFIG_FILE';
/** The variable that holds the config inline. */
export const FLEET_CONFIG_VARIABLE = 'FLEET_CONFIG';

/** An environment variable the function cannot work without (InvalidConfig naming it). */
export const requireEnv = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new InvalidConfigError(name, [{ path: '(env)', message: `${name} is not set` }]);
  }
  return value;
};

const envValue = (name: string): string | undefined => {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
};

/**
 * Checks that the environment says where the configuration is, without reading it: InvalidConfig
 * naming both variables when neither is set.
 */
export const requireFleetConfigSource = (): void => {
  if (envValue(FLEET_CONFIG_FILE_VARIABLE) !== undefined || envValue(FLEET_CONFIG_VARIABLE) !== undefined)
    return;
  throw new InvalidConfigError(FLEET_CONFIG_FILE_VARIABLE, [
    {
      path: '(env)',
      message: `neither ${FLEET_CONFIG_FILE_VARIABLE} nor ${FLEET_CONFIG_VARIABLE} is set`,
    },
  ]);
};

/** The file `FLEET_CONFIG_FILE` names, as an absolute path. */
export const fleetConfigPath = (file: string): string =>
  resolve(envValue('LAMBDA_TASK_ROOT') ?? process.cwd(), file);

const parse = (text: string, source: string): FleetConfig => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidConfigError(source, [{ path: '(json)', message: String(error) }], error);
  }
  return validateFleetConfig(parsed, source);
};

const readConfigFile = (file: string): FleetConfig => {
  const path = fleetConfigPath(file);
  const source = `${FLEET_CONFIG_FILE_VARIABLE} ${path}`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new InvalidConfigError(
      source,
      [{ path: '(file)', message: `cannot read ${path} (${reason})` }],
      error,
    );
  }
  return parse(text, source);
};

export const getFleetConfig = (): FleetConfig => {
  if (config !== undefined) return config;
  requireFleetConfigSource();
  const file = envValue(FLEET_CONFIG_FILE_VARIABLE);
  config =
    file === undefined
      ? parse(requireEnv(FLEET_CONFIG_VARIABLE), FLEET_CONFIG_VARIABLE)
      : readConfigFile(file);
  return config;
};

/** Forget the cached configuration (tests change the environment between cases). */
export const resetFleetConfig = (): void => {
  config = undefined;
};
