import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LambdaInvokeError } from './errors';
import type { DeployedFunction, LambdaHandler } from './function';

/** The module file and export a `Handler` property names: `index.handler` → (`index`, `handler`). */
export const parseHandler = (fn: DeployedFunction): { modulePath: string; exportName: string } => {
  const dot = fn.handler.lastIndexOf('.');
  if (dot <= 0 || dot === fn.handler.length - 1) {
    throw new LambdaInvokeError(
      'Runtime.MalformedHandlerName',
      `Bad handler ${fn.handler}: expected <module>.<export>, e.g. index.handler`,
    );
  }
  return { modulePath: fn.handler.slice(0, dot), exportName: fn.handler.slice(dot + 1) };
};

// The extensions Lambda's Node.js runtime tries, in its order.
const EXTENSIONS = ['.js', '.mjs', '.cjs'];

/**
 * Loads a handler from the function's code directory the way Lambda's Node.js runtime does: by a
 * dynamic import, so the ESM bundles from cdk.out run as they would on Lambda. This stays a real
 * `import()` when run with tsx (esbuild keeps dynamic imports in CommonJS output); jest rewrites it to
 * `require`, which cannot load ESM, so tests inject source handlers through `loadHandler` instead.
 */
export const importHandler = async (fn: DeployedFunction): Promise<LambdaHandler> => {
  const { modulePath, exportName } = parseHandler(fn);
  const file = EXTENSIONS.map((extension) => join(fn.codeDir, `${modulePath}${extension}`)).find(
    (candidate) => existsSync(candidate),
  );
  if (file === undefined) {
    throw new LambdaInvokeError(
      'Runtime.ImportModuleError',
      `Error: Cannot find module '${modulePath}' in ${fn.codeDir} (tried ${EXTENSIONS.join(', ')}): ` +
        `is the function bundled? (npm run synth)`,
    );
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new LambdaInvokeError(
      'Runtime.ImportModuleError',
      `Error: cannot load ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const handler = module[exportName];
  if (typeof handler !== 'function') {
    throw new LambdaInvokeError(
      'Runtime.HandlerNotFound',
      `${modulePath}.${exportName} is undefined or not exported`,
    );
  }
  return handler as LambdaHandler;
};
