import { CHAT_HANDLER_NAMES, EVENT_HANDLER_NAMES, HANDLER_NAMES, pascalCase } from '../infra/handlers';
import type { DeployedFunction, LambdaHandler } from '../local/lambda/function';

const ALL_HANDLERS = [...HANDLER_NAMES, ...EVENT_HANDLER_NAMES, ...CHAT_HANDLER_NAMES];

/**
 * Loads a deployed function's handler from its source under functions/ instead of its bundle (jest
 * cannot import the ESM bundles). The template's logical id names the handler: `…ApplyStepFunction…`.
 */
export const loadSourceHandler = async (fn: DeployedFunction): Promise<LambdaHandler> => {
  const logicalId = fn.logicalId ?? '';
  // Longest name first: `ChatopsWorkerFunction` must not be taken for `ChatopsFunction`.
  const name = [...ALL_HANDLERS]
    .sort((a, b) => b.length - a.length)
    .find((handler) => logicalId.includes(`${pascalCase(handler)}Function`));
  if (name === undefined) throw new Error(`no source handler for ${logicalId || fn.name}`);
  const module = (await import(`../functions/${name}`)) as { handler: LambdaHandler };
  return module.handler;
};
