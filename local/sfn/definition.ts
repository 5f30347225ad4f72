import validateAsl from 'asl-validator';
import { TwinError } from '../errors';

/** The parts of an ASL state the twin reads or rewrites; the rest passes through untouched. */
export interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: unknown;
  Seconds?: number;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
  InputPath?: string | null;
  OutputPath?: string | null;
  ItemsPath?: string;
  Next?: string;
  End?: boolean;
  Comment?: string;
  Retry?: AslRetrier[];
  TimeoutSeconds?: number;
  ItemProcessor?: AslMachine & { ProcessorConfig?: { Mode?: string } };
  Iterator?: AslMachine;
  Branches?: AslMachine[];
  [other: string]: unknown;
}

export interface AslRetrier {
  IntervalSeconds?: number;
  MaxDelaySeconds?: number;
  [other: string]: unknown;
}

export interface AslMachine {
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
  QueryLanguage?: string;
  [other: string]: unknown;
}

const MAX_DEFINITION_LENGTH = 1_048_576;

export const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
/** The lambda:invoke integration in any partition (`arn:aws-cn:…`, `arn:aws-us-gov:…`). */
const LAMBDA_INVOKE_ANY_PARTITION = /^arn:aws[a-z-]*:states:::lambda:invoke$/;
export const isLambdaInvoke = (resource: string): boolean => LAMBDA_INVOKE_ANY_PARTITION.test(resource);
/** A Task whose Resource is a function ARN calls it directly (the older integration). */
export const FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:\$LATEST)?$/;

/** Every state, nested ones (Map item processors, Parallel branches) included. */
export const forEachState = (machine: AslMachine, visit: (name: string, state: AslState) => void): void => {
  for (const [name, state] of Object.entries(machine.States)) {
    visit(name, state);
    const nested = [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])];
    for (const child of nested) if (child !== undefined) forEachState(child, visit);
  }
};

const invalid = (message: string): TwinError =>
  new TwinError('InvalidDefinition', `Invalid State Machine Definition: '${message}'`);

/** What the twin cannot run although Step Functions would; each is refused at creation, not at run time. */
const unsupported = (machine: AslMachine): string[] => {
  const problems: string[] = [];
  if (machine.QueryLanguage === 'JSONata')
    problems.push('QueryLanguage JSONata (the twin runs JSONPath only)');
  forEachState(machine, (name, state) => {
    if (state.QueryLanguage === 'JSONata') problems.push(`state ${name}: QueryLanguage JSONata`);
    if (state.Assign !== undefined) problems.push(`state ${name}: Assign (variables)`);
    if (state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED')
      problems.push(`state ${name}: distributed Map`);
    if (state.ItemReader !== undefined || state.ResultWriter !== undefined) {
      problems.push(`state ${name}: ItemReader/ResultWriter`);
    }
    if (state.Type === 'Task') {
      const resource = state.Resource ?? '';
      if (!isLambdaInvoke(resource) && !FUNCTION_ARN.test(resource)) {
        problems.push(
          `state ${name}: Task Resource ${resource} (the twin runs ${LAMBDA_INVOKE} and function ARNs)`,
        );
      }
    }
  });
  return problems;
};

/**
 * Checks a definition as CreateStateMachine does (JSON, then the ASL schema and rules through
 * asl-validator), then for what the twin cannot run. Throws InvalidDefinition naming every problem.
 */
export const checkDefinition = (text: string): AslMachine => {
  if (text.length > MAX_DEFINITION_LENGTH) {
    throw new TwinError(
      'ValidationException',
      `1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length less than or equal to ${MAX_DEFINITION_LENGTH}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid(`INVALID_JSON_DESCRIPTION: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid('INVALID_JSON_DESCRIPTION: the definition must be a JSON object');
  }
  // asl-validator adds QueryLanguage to the states it looks at: give it a copy.
  const result = validateAsl(JSON.parse(text));
  if (!result.isValid) throw invalid(`SCHEMA_VALIDATION_FAILED: ${result.errorsText('; ')}`);
  const machine = parsed as AslMachine;
  const problems = unsupported(machine);
  if (problems.length > 0) throw invalid(`not supported by the local twin: ${problems.join('; ')}`);
  return machine;
};
