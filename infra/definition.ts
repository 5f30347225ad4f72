import { readFileSync } from 'node:fs';

const PLACEHOLDER = /\$\{([^}]*)\}/g;

/** Every distinct `${Name}` placeholder in an ASL text, in order of first appearance. */
export const placeholdersIn = (text: string): string[] => [
  ...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '')),
];

/**
 * Reads an ASL (JSONPath) definition and checks it against the substitutions that will be applied at
 * deploy time: every `${…}` must have a substitution, and every substitution must be used. Either
 * mistake would otherwise only show up when the state machine is created or, worse, run.
 */
export const readDefinition = (path: string, substitutionKeys: readonly string[]): string => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the state machine definition ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new Error(`the state machine definition ${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const found = placeholdersIn(text);
  const known = new Set(substitutionKeys);
  const unknown = found.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new Error(
      `the state machine definition ${path} has placeholder(s) with no substitution: ` +
        `${unknown.map((name) => `\${${name}}`).join(', ')}; known placeholders are ` +
        `${substitutionKeys.map((name) => `\${${name}}`).join(', ')}`,
    );
  }
  const used = new Set(found);
  const unused = substitutionKeys.filter((name) => !used.has(name));
  if (unused.length > 0) {
    throw new Error(
      `the state machine definition ${path} never uses placeholder(s) ` +
        `${unused.map((name) => `\${${name}}`).join(', ')}: every function must be reachable from the workflow`,
    );
  }
  return text;
};
