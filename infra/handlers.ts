// The handler list and its naming, apart from the construct so tests and bench/ can use them
// without loading aws-cdk-lib.

/** The Lambda handlers, one file each under `functions/`, each exporting `handler`. */
export const HANDLER_NAMES = [
  'prepare',
  'lock',
  'apply-step',
  'check-gates',
  'rollback',
  'verify-drained',
  'finish',
] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];

/** `apply-step` → `ApplyStep`: used for construct ids and ASL placeholders. */
export const pascalCase = (name: string): string =>
  name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** `apply-step` → `ApplyStepFunctionArn`, the ASL placeholder `${ApplyStepFunctionArn}` names it. */
export const placeholderFor = (name: HandlerName): string => `${pascalCase(name)}FunctionArn`;
