import type { TwinClock } from '../clock';
import { TwinError } from '../errors';
import { currentPrincipal, type PrincipalRef, runAs } from '../iam/identity';
import { buildContext } from './context';
import { fromThrown, LambdaInvokeError } from './errors';
import type { DeployedFunction, LambdaCallback, LambdaHandler } from './function';
import { checkEnvironmentSize } from './limits';
import { importHandler } from './loader';

export interface LambdaRuntimeOptions {
  /**
   * Loads a function's handler once, at its first invocation. Default: a dynamic import of the bundle
   * in the function's code directory. Jest cannot import the ESM bundles, so tests pass the source
   * handlers from functions/ here.
   */
  readonly loadHandler?: (fn: DeployedFunction) => Promise<LambdaHandler>;
  /** Stamps invocation records with twin time. Timeouts do not use it (see `invoke`) unless told to. */
  readonly clock?: TwinClock;
  /**
   * `twin`: a function's timeout counts twin time (a 5-minute timeout at timeScale 20 is 15 real
   * seconds), so a compressed run meets the timeouts where AWS would: a bench writing more routes
   * than one invocation can. Default `real`: handlers' own work (CPU, module loads) is not compressed,
   * and a short twin timeout would fail them where Lambda would not.
   */
  readonly timeouts?: 'real' | 'twin';
  /**
   * Checks that a principal inside the twin (a state machine's role) may invoke the function
   * (lambda:InvokeFunction on its ARN); throws the denial. Calls through the Invoke API are checked
   * by the server, and those of the twin itself (no principal) are not checked.
   */
  readonly authorizeInvoke?: (caller: PrincipalRef, functionArn: string) => void;
}

/**
 * A fault for one invocation (chaos runs): time out before the handler runs (a cold start that hangs),
 * or after it did its work (its answer is lost). Either way Lambda reports `Sandbox.Timedout`; the
 * twin cannot stop a handler halfway, as Lambda does when the timeout strikes mid-work.
 */
export type InvocationFault = 'timeout-before' | 'timeout-after';
export type InvocationFaultHook = (functionName: string) => InvocationFault | undefined;

export interface InvokeOptions {
  /** Stop waiting for the result (the invocation itself runs on: nothing can kill it in-process). */
  readonly signal?: AbortSignal;
}

export interface InvocationRecord {
  readonly functionName: string;
  readonly requestId: string;
  /** Twin epoch ms the invocation started. */
  readonly at: number;
  readonly durationMs: number;
  /** `ok`, or the error type the invocation failed with. */
  readonly outcome: string;
}

const MAX_RECORDS = 1_000;

interface FunctionReference {
  readonly name: string;
  readonly qualifier?: string;
  readonly arn?: string;
  readonly account?: string;
}

/** `name[:qualifier]`, `<account>:function:name[:qualifier]` or `arn:…:function:name[:qualifier]`. */
const parseReference = (text: string): FunctionReference | undefined => {
  const parts = text.split(':');
  const [first, second, third, fourth] = parts;
  if (first === 'arn') {
    const [name, qualifier] = [parts[6], parts[7]];
    if (parts.length > 8 || parts[2] !== 'lambda' || parts[5] !== 'function' || name === undefined)
      return undefined;
    return { name, qualifier, arn: parts.slice(0, 7).join(':') };
  }
  if (second === 'function') {
    return parts.length <= 4 && third !== undefined
      ? { name: third, qualifier: fourth, account: first }
      : undefined;
  }
  return parts.length <= 2 && first !== undefined ? { name: first, qualifier: second } : undefined;
};

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

/** A function's result as Lambda returns it: JSON, `undefined` as null. */
const toJsonResult = (result: unknown): unknown => {
  let text: string | undefined;
  try {
    text = JSON.stringify(result);
  } catch (error) {
    // The twin's name for a result that JSON cannot encode (a cycle, a BigInt).
    throw new LambdaInvokeError(
      'Runtime.MarshalError',
      `Unable to marshal response: ${(error as Error).message}`,
    );
  }
  return text === undefined ? null : JSON.parse(text);
};

/**
 * Runs the stack's Lambda functions in this process. Each invocation gets its function's environment,
 * a Lambda context object and its timeout; a thrown error becomes a LambdaInvokeError named like the
 * error, as Lambda reports it.
 */
export class LambdaRuntime {
  private readonly byName = new Map<string, DeployedFunction>();
  private readonly handlers = new Map<string, Promise<LambdaHandler>>();
  private readonly records: InvocationRecord[] = [];
  private readonly loadHandler: (fn: DeployedFunction) => Promise<LambdaHandler>;
  private invocationFault: InvocationFaultHook | undefined;

  constructor(private readonly options: LambdaRuntimeOptions = {}) {
    this.loadHandler = options.loadHandler ?? importHandler;
  }

  /** Adds a function, or replaces one of the same name (its handler is loaded again). */
  register(fn: DeployedFunction): void {
    if (fn.name === '' || !fn.arn.endsWith(`:function:${fn.name}`)) {
      throw new Error(
        `function ${fn.name || '(no name)'}: its ARN ${fn.arn} does not end with :function:${fn.name}`,
      );
    }
    if (!(fn.timeoutSeconds > 0))
      throw new Error(`function ${fn.name}: timeout must be > 0 s, got ${fn.timeoutSeconds}`);
    checkEnvironmentSize(fn);
    this.byName.set(fn.name, fn);
    this.handlers.delete(fn.name);
  }

  /** Decides, per invocation, whether it times out (chaos runs); undefined removes the hook. */
  setInvocationFault(hook: InvocationFaultHook | undefined): void {
    this.invocationFault = hook;
  }

  list(): DeployedFunction[] {
    return [...this.byName.values()];
  }

  /** The last invocations (at most 1000), oldest first. */
  invocations(): readonly InvocationRecord[] {
    return this.records;
  }

  /** The function a name, partial ARN or ARN names (the `$LATEST` qualifier allowed, as the only version). */
  find(nameOrArn: string): DeployedFunction {
    const target = parseReference(nameOrArn);
    const fn = target === undefined ? undefined : this.byName.get(target.name);
    const found =
      fn !== undefined &&
      (target?.qualifier === undefined || target.qualifier === '$LATEST') &&
      (target?.arn === undefined || target.arn === fn.arn) &&
      (target?.account === undefined || target.account === fn.arn.split(':')[4]);
    if (!found) throw new TwinError('ResourceNotFoundException', `Function not found: ${nameOrArn}`, 404);
    return fn;
  }

  /**
   * Invokes a function and resolves with its JSON result, or rejects with a LambdaInvokeError
   * (`Sandbox.Timedout` when it runs past its timeout). Unknown function → TwinError
   * ResourceNotFoundException.
   *
   * The environment goes into process.env: one process hosts every function, and the functions of one
   * stack share the same configuration (FLEET_CONFIG_FILE, TABLE_NAME, log settings), so what one sets
   * is what the others need too. `LAMBDA_TASK_ROOT` is set to the function's code directory, as Lambda
   * sets it to /var/task: a function finds the files of its asset there (its fleet config). Their
   * contents are the same for every function of a stack, so an invocation that reads its file after
   * another function's invocation set the variable reads the same configuration. The timeout is in real time, not twin time: a handler's work is real
   * CPU and I/O that time compression does not shorten, so a compressed timeout would only fail
   * handlers that are fine on Lambda. A timed-out handler keeps running in the background (nothing
   * can stop it in-process); its result is dropped.
   */
  async invoke(nameOrArn: string, payload: unknown, options: InvokeOptions = {}): Promise<unknown> {
    const fn = this.find(nameOrArn);
    options.signal?.throwIfAborted();
    const caller = currentPrincipal();
    if (caller !== undefined) {
      const qualifier = parseReference(nameOrArn)?.qualifier;
      this.options.authorizeInvoke?.(caller, qualifier === undefined ? fn.arn : `${fn.arn}:${qualifier}`);
    }
    // The handler's own calls are made as its execution role (local/iam/identity.ts), never as its caller.
    const self = fn.roleArn === undefined ? undefined : { roleArn: fn.roleArn, sessionName: fn.name };
    Object.assign(process.env, fn.environment, { LAMBDA_TASK_ROOT: fn.codeDir });
    const started = Date.now();
    const at = this.options.clock?.now() ?? started;
    const event = payload === undefined ? {} : JSON.parse(JSON.stringify(payload));
    let requestId = '';
    const cleanups: Array<() => void> = [];
    try {
      const handler = await this.handlerOf(fn);
      options.signal?.throwIfAborted();
      const fault = this.invocationFault?.(fn.name);
      const timedOutError = () =>
        new LambdaInvokeError(
          'Sandbox.Timedout',
          `RequestId: ${requestId} Error: Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`,
        );
      if (fault === 'timeout-before') throw timedOutError();
      // As on Lambda, the timeout counts from the handler call, not from loading the module.
      const scale = this.options.timeouts === 'twin' ? (this.options.clock?.timeScale ?? 1) : 1;
      const deadline = Date.now() + (fn.timeoutSeconds * 1000) / scale;
      const outcome = new Promise<unknown>((resolve, reject) => {
        const settle: LambdaCallback = (error, result) => (error == null ? resolve(result) : reject(error));
        const context = buildContext(fn, {
          invokedFunctionArn: nameOrArn.startsWith('arn:') ? nameOrArn : fn.arn,
          deadline,
          now: new Date(at),
          settle,
        });
        requestId = context.awsRequestId;
        const returned = runAs(self, () => handler(event, context, settle));
        if (isThenable(returned)) returned.then(resolve, reject);
        else if (handler.length < 3) resolve(returned);
      });
      const timedOut = new Promise<never>((_, reject) => {
        const timer = setTimeout(() => reject(timedOutError()), Math.max(0, deadline - Date.now()));
        cleanups.push(() => clearTimeout(timer));
      });
      const racers: Promise<unknown>[] = [outcome, timedOut];
      const signal = options.signal;
      if (signal !== undefined) {
        racers.push(
          new Promise<never>((_, reject) => {
            const onAbort = (): void => reject(signal.reason);
            // It may have aborted while the handler was loading.
            if (signal.aborted) onAbort();
            signal.addEventListener('abort', onAbort, { once: true });
            cleanups.push(() => signal.removeEventListener('abort', onAbort));
          }),
        );
      }
      let result: unknown;
      try {
        result = toJsonResult(await Promise.race(racers));
        if (fault === 'timeout-after') throw timedOutError();
      } catch (error) {
        if (signal?.aborted && error === signal.reason) throw error;
        throw fromThrown(error);
      }
      this.record({ functionName: fn.name, requestId, at, durationMs: Date.now() - started, outcome: 'ok' });
      return result;
    } catch (error) {
      const failure = error instanceof LambdaInvokeError ? error.errorType : 'aborted';
      this.record({
        functionName: fn.name,
        requestId,
        at,
        durationMs: Date.now() - started,
        outcome: failure,
      });
      throw error;
    } finally {
      for (const cleanup of cleanups) cleanup();
    }
  }

  private handlerOf(fn: DeployedFunction): Promise<LambdaHandler> {
    let loading = this.handlers.get(fn.name);
    if (loading === undefined) {
      loading = this.loadHandler(fn).catch((error: unknown) => {
        // A failed load is not cached: fix the bundle, invoke again.
        this.handlers.delete(fn.name);
        if (error instanceof LambdaInvokeError) throw error;
        throw new LambdaInvokeError(
          'Runtime.ImportModuleError',
          `cannot load ${fn.handler} of ${fn.name}: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
      this.handlers.set(fn.name, loading);
    }
    return loading;
  }

  private record(entry: InvocationRecord): void {
    this.records.push(entry);
    if (this.records.length > MAX_RECORDS) this.records.splice(0, this.records.length - MAX_RECORDS);
  }
}
