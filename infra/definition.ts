import { readFileSync } from 'node:fs';

const PLACEHOLDER = /\$\{([^}]*)\}/g;

/** Every distinct `${Name}` placeholder in an ASL text, in order of first appearance. */
export const placeholdersIn = (text: string): string[] => [
  ...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '')),
];

/**
 * The Task Resource of the Lambda integration, `arn:<partition>:states:::lambda:invoke`: a placeholder
 * rather than the ARN so that the same file deploys in every partition (aws, aws-cn, aws-us-gov), and
 * a whole-value `${…}` so that the file itself stays valid ASL for asl-validator.
 */
export const LAMBDA_INVOKE_PLACEHOLDER = 'LambdaInvoke';

/** An ARN written with the commercial partition: it would name nothing in aws-cn or aws-us-gov. */
const HARD_CODED_PARTITION = /"arn:aws:[^"]*"/g;

/**
 * Reads an ASL (JSONPath) definition and checks it against the substitutions that will be applied at
 * deploy time: every `${…}` must have a substitution, and every required substitution must be used
 * (`optionalKeys` may go unused). Either mistake would otherwise only show up when the state machine
 * is created or, worse, run. An ARN with a hard-coded `arn:aws:` partition is refused too: it works
 * in the commercial partition and fails only in aws-cn or aws-us-gov, where nobody tests first.
 */
export const readDefinition = (
  path: string,
  substitutionKeys: readonly string[],
  optionalKeys: readonly string[] = [],
): string => {
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
  const hardCoded = [...new Set([...text.matchAll(HARD_CODED_PARTITION)].map((match) => match[0]))];
  if (hardCoded.length > 0) {
    throw new Error(
      `the state machine definition ${path} hard-codes the aws partition in ${hardCoded.join(', ')}: ` +
        `write the Lambda integration as "Resource": "\${${LAMBDA_INVOKE_PLACEHOLDER}}" (filled with ` +
        'arn:<partition>:states:::lambda:invoke at deploy) so the stack also deploys in aws-cn and aws-us-gov',
    );
  }
  const found = placeholdersIn(text);
  const known = new Set([...substitutionKeys, ...optionalKeys]);
  const unknown = found.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new Error(
      `the state machine definition ${path} has placeholder(s) with no substitution: ` +
        `${unknown.map((name) => `\${${name}}`).join(', ')}; known placeholders are ` +
        `${[...known].map((name) => `\${${name}}`).join(', ')}`,
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
