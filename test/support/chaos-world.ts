import { loadSourceHandler } from '../../chaos/source-handlers';
import { ChaosWorld } from '../../chaos/world';
import type { DeployedFunction, LambdaHandler } from '../../local/lambda/function';

/**
 * The chaos world the chaos tests run: the chaos fleet at 300×, with the source handlers (no
 * bundling) logging nothing. `wrap` may stand in front of a handler (a delay, a fault).
 */
export const startSourceChaosWorld = (
  wrap: (fn: DeployedFunction, handler: LambdaHandler) => LambdaHandler = (_fn, handler) => handler,
): Promise<ChaosWorld> =>
  ChaosWorld.start({
    timeScale: 300,
    loadHandler: async (fn) => {
      // The handlers log at the template's level; the test output needs none of it.
      process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
      return wrap(fn, await loadSourceHandler(fn));
    },
  });
