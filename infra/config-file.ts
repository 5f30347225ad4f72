import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FleetConfig } from '../core/config';
import { parseFleetConfig } from '../core/config-yaml';

/** Where the fleet config path came from, for error messages. */
export type ConfigPathSource = 'context' | 'environment' | 'default';

export interface ConfigPathChoice {
  readonly path: string;
  readonly source: ConfigPathSource;
}

export const DEFAULT_CONFIG_FILE = 'clustershift.yaml';
export const EXAMPLE_CONFIG_FILE = 'clustershift.example.yaml';

/** `-c config=<path>` wins over `CLUSTERSHIFT_CONFIG`, which wins over `clustershift.yaml`. */
export const chooseConfigPath = (
  contextValue: unknown,
  environmentValue: string | undefined,
): ConfigPathChoice => {
  if (typeof contextValue === 'string' && contextValue.trim() !== '')
    return { path: contextValue, source: 'context' };
  if (environmentValue !== undefined && environmentValue.trim() !== '') {
    return { path: environmentValue, source: 'environment' };
  }
  return { path: DEFAULT_CONFIG_FILE, source: 'default' };
};

const describeSource = (source: ConfigPathSource): string =>
  ({
    context: 'given with -c config=…',
    environment: 'given by CLUSTERSHIFT_CONFIG',
    default: 'the default, as neither -c config=… nor CLUSTERSHIFT_CONFIG is set',
  })[source];

/** The fleet config file does not exist; the message says how to point at one. */
export class FleetConfigNotFoundError extends Error {
  override readonly name = 'FleetConfigNotFound';
}

/**
 * Reads and validates the fleet config. A missing file says how to point at one; an invalid one throws
 * `InvalidConfigError` naming the field (from core/config).
 */
export const loadFleetConfigFile = (choice: ConfigPathChoice, cwd: string = process.cwd()): FleetConfig => {
  const path = resolve(cwd, choice.path);
  if (!existsSync(path)) {
    throw new FleetConfigNotFoundError(
      `fleet config not found: ${path} (${describeSource(choice.source)}). ` +
        'Point at one with `cdk synth -c config=path/to/fleet.yaml` or CLUSTERSHIFT_CONFIG=path/to/fleet.yaml, ' +
        `or create ${DEFAULT_CONFIG_FILE}: ${EXAMPLE_CONFIG_FILE} in the repository root is a commented starting point.`,
    );
  }
  return parseFleetConfig(readFileSync(path, 'utf8'), choice.path);
};
