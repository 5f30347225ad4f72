import { parse as parseYaml, YAMLParseError } from 'yaml';
import { type FleetConfig, validateFleetConfig } from './config';
import { InvalidConfigError } from './errors';

// Kept apart from config.ts so the Lambda bundles, which get the config as JSON, carry no YAML parser.

/** Parses YAML (or JSON, which is YAML) text; `source` names the file in error messages. */
export const parseFleetConfig = (text: string, source: string): FleetConfig => {
  let value: unknown;
  try {
    value = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    const message = error instanceof YAMLParseError ? error.message : String(error);
    throw new InvalidConfigError(source, [{ path: '(yaml)', message }], error);
  }
  if (value === null || value === undefined) {
    throw new InvalidConfigError(source, [{ path: '(root)', message: 'the file is empty' }]);
  }
  return validateFleetConfig(value, source);
};
