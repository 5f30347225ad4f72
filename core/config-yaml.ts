import { parse as parseYaml, YAMLParseError } from 'yaml';
import { type FleetConfig, validateFleetConfig } from './config';
import { InvalidConfigError } from './errors';

// Kept apart from config.ts so the Lambda bundles, which get the config as JSON, carry no YAML parser.

/** Parses YAML (or JSON, which is YAML) text; `source` names the file in error messages. */
export const parseFleetConfig = (text: string, source: string): FleetConfig => {
  let value: unknown;
  try {
    // logLevel error: the parser's warnings (a collection used as a key) would go to process.emitWarning,
    // printed by Node beside our own message; what they warn of is refused by the schema anyway.
    value = parseYaml(text, { prettyErrors: true, uniqueKeys: true, logLevel: 'error' });
  } catch (error) {
    const message = error instanceof YAMLParseError ? error.message : String(error);
    throw new InvalidConfigError(source, [{ path: '(yaml)', message }], error);
  }
  if (value === null || value === undefined) {
    throw new InvalidConfigError(source, [{ path: '(root)', message: 'the file is empty' }]);
  }
  return validateFleetConfig(value, source);
};
