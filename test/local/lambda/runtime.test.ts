import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ClusterShiftError } from '../../../core/errors';
import { TwinClock } from '../../../local/clock';
import { TwinError } from '../../../local/errors';
import { LambdaInvokeError } from '../../../local/lambda/errors';
import type { DeployedFunction, LambdaContext, LambdaHandler } from '../../../local/lambda/function';
import { LambdaRuntime } from '../../../local/lambda/runtime';

const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:prepare';

const fn = (overrides: Partial<DeployedFunction> = {}): DeployedFunction => ({
  name: 'prepare',
  arn: ARN,
  handler: 'index.handler',
  codeDir: '/nowhere',
  environment: {},
  timeoutSeconds: 30,
  memoryMb: 256,
  ...overrides,
});

const runtimeWith = (handler: LambdaHandler, spec: DeployedFunction = fn()) => {
  const loadHandler = jest.fn(async () => handler);
  const runtime = new LambdaRuntime({ loadHandler });
  runtime.register(spec);
  return { runtime, loadHandler };
};

const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
};

describe('LambdaRuntime', () => {
  afterEach(() => {
    delete process.env.TWIN_TEST_SETTING;
    delete process.env.LAMBDA_TASK_ROOT;
  });

  it("sets the function's environment in process.env before its handler runs", async () => {
    const { runtime } = runtimeWith(
      async () => process.env.TWIN_TEST_SETTING,
      fn({ environment: { TWIN_TEST_SETTING: 'on' } }),
    );

    await expect(runtime.invoke('prepare', {})).resolves.toBe('on');
  });

  it("sets LAMBDA_TASK_ROOT to each function's code directory, as Lambda sets it to its /var/task", async () => {
    // Prepare: two functions from two asset folders
    const runtime = new LambdaRuntime({ loadHandler: async () => async () => process.env.LAMBDA_TASK_ROOT });
    runtime.register(fn({ codeDir: '/assets/prepare' }));
    runtime.register(fn({ name: 'lock', arn: ARN.replace(':prepare', ':lock'), codeDir: '/assets/lock' }));

    // Act
    const roots = [await runtime.invoke('lock', {}), await runtime.invoke('prepare', {})];

    // Assert
    expect(roots).toEqual(['/assets/lock', '/assets/prepare']);
  });

  it('gives the handler a Lambda context: names, ARN as invoked, memory, request id, log group and time left', async () => {
    const seen: LambdaContext[] = [];
    const { runtime } = runtimeWith(async (_event, context) => {
      seen.push(context);
      return context.getRemainingTimeInMillis();
    });

    // Act
    const remaining = await runtime.invoke('prepare', {});
    await runtime.invoke(`${ARN}:$LATEST`, {});

    // Assert
    const [first, second] = seen;
    expect(first).toMatchObject({
      functionName: 'prepare',
      functionVersion: '$LATEST',
      invokedFunctionArn: ARN,
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/prepare',
    });
    expect(first?.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(second?.invokedFunctionArn).toBe(`${ARN}:$LATEST`);
    expect(first?.awsRequestId).not.toBe(second?.awsRequestId);
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(30_000);
  });

  it('finds a function by name, partial ARN or ARN, and loads its handler once', async () => {
    const { runtime, loadHandler } = runtimeWith(async () => 'ok');

    const results = [
      await runtime.invoke('prepare', {}),
      await runtime.invoke('123456789012:function:prepare', {}),
      await runtime.invoke(ARN, {}),
    ];

    expect(results).toEqual(['ok', 'ok', 'ok']);
    expect(loadHandler).toHaveBeenCalledTimes(1);
  });

  it("rejects with the thrown error's name as errorType, its message and its stack trace", async () => {
    const { runtime } = runtimeWith(async () => {
      throw new ClusterShiftError('GateFailed', 'gate alarms in ALARM: fleet-latency');
    });

    const error = await rejection(runtime.invoke('prepare', {}));

    expect(error).toBeInstanceOf(LambdaInvokeError);
    const failure = error as LambdaInvokeError;
    expect(failure.toPayload()).toEqual({
      errorType: 'GateFailed',
      errorMessage: 'gate alarms in ALARM: fleet-latency',
      trace: expect.arrayContaining([expect.stringMatching(/^GateFailed: gate alarms/)]),
    });
  });

  it('reports a thrown non-Error by its type, as the Node.js runtime does', async () => {
    const { runtime } = runtimeWith(async () => {
      throw 'plain text';
    });

    await expect(runtime.invoke('prepare', {})).rejects.toMatchObject({
      errorType: 'string',
      errorMessage: 'plain text',
    });
  });

  it('fails an invocation that runs past its timeout with Sandbox.Timedout', async () => {
    const { runtime } = runtimeWith(() => new Promise(() => undefined), fn({ timeoutSeconds: 0.05 }));

    const error = (await rejection(runtime.invoke('prepare', {}))) as LambdaInvokeError;

    expect(error.errorType).toBe('Sandbox.Timedout');
    expect(error.errorMessage).toMatch(/Task timed out after 0\.05 seconds/);
  });

  it('counts a timeout in twin time when told to: 60 s at 1,000 twin seconds a second is 60 real ms', async () => {
    const loadHandler = jest.fn(
      async () =>
        (async (_: unknown, context: LambdaContext) => context.getRemainingTimeInMillis()) as LambdaHandler,
    );
    const runtime = new LambdaRuntime({ loadHandler, clock: new TwinClock(1_000), timeouts: 'twin' });
    runtime.register(fn({ timeoutSeconds: 60 }));

    const remaining = (await runtime.invoke('prepare', {})) as number;

    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(60);
  });

  it('answers an unknown function, another account or a version qualifier with ResourceNotFoundException', async () => {
    const { runtime } = runtimeWith(async () => 'ok');

    for (const target of [
      'finish',
      ARN.replace('123456789012', '999999999999'),
      `${ARN}:3`,
      'prepare:live',
    ]) {
      const error = await rejection(runtime.invoke(target, {}));
      expect(error).toBeInstanceOf(TwinError);
      expect(error).toMatchObject({
        code: 'ResourceNotFoundException',
        status: 404,
        message: `Function not found: ${target}`,
      });
    }
  });

  it("passes the event and the result as JSON: the handler cannot change the caller's object", async () => {
    const event = { steps: [1, 2] };
    const { runtime } = runtimeWith(async (received) => {
      (received as { steps: number[] }).steps.push(3);
      return { at: new Date(0), dropped: undefined, steps: (received as { steps: number[] }).steps };
    });

    const result = await runtime.invoke('prepare', event);

    expect(event.steps).toEqual([1, 2]);
    expect(result).toEqual({ at: '1970-01-01T00:00:00.000Z', steps: [1, 2, 3] });
  });

  it('runs callback-style handlers', async () => {
    const { runtime } = runtimeWith((_event, _context, callback) => {
      setImmediate(() => callback(null, 'called back'));
    });

    await expect(runtime.invoke('prepare', {})).resolves.toBe('called back');
  });

  it('stops waiting for the result when the signal aborts', async () => {
    const { runtime } = runtimeWith(() => new Promise(() => undefined));
    const controller = new AbortController();
    const reason = new Error('execution stopped');

    // Act
    const invocation = runtime.invoke('prepare', {}, { signal: controller.signal });
    controller.abort(reason);

    // Assert
    await expect(invocation).rejects.toBe(reason);
  });

  it('reports a handler that cannot be loaded as Runtime.ImportModuleError, and loads again next time', async () => {
    const loadHandler = jest
      .fn<Promise<LambdaHandler>, [DeployedFunction]>()
      .mockRejectedValueOnce(new SyntaxError('Unexpected token'))
      .mockResolvedValue(async () => 'loaded');
    const runtime = new LambdaRuntime({ loadHandler });
    runtime.register(fn());

    // Act
    const first = await rejection(runtime.invoke('prepare', {}));
    const second = await runtime.invoke('prepare', {});

    // Assert
    expect(first).toMatchObject({ errorType: 'Runtime.ImportModuleError' });
    expect((first as LambdaInvokeError).errorMessage).toMatch(/Unexpected token/);
    expect(second).toBe('loaded');
  });

  it('records each invocation with its outcome', async () => {
    const { runtime } = runtimeWith(async (event) => {
      if ((event as { fail?: boolean }).fail) throw new ClusterShiftError('LockHeld', 'held');
      return 'ok';
    });

    await runtime.invoke('prepare', {});
    await rejection(runtime.invoke('prepare', { fail: true }));

    expect(runtime.invocations().map((record) => [record.functionName, record.outcome])).toEqual([
      ['prepare', 'ok'],
      ['prepare', 'LockHeld'],
    ]);
  });

  it('refuses to register a function whose ARN does not name it, or without a timeout', () => {
    const runtime = new LambdaRuntime({ loadHandler: async () => async () => null });

    expect(() => runtime.register(fn({ arn: `${ARN}-other` }))).toThrow(
      /does not end with :function:prepare/,
    );
    expect(() => runtime.register(fn({ timeoutSeconds: 0 }))).toThrow(/timeout must be > 0/);
  });
});

describe("LambdaRuntime's default loader", () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'twin-lambda-'));
    mkdirSync(join(dir, 'bundle'));
    writeFileSync(
      join(dir, 'bundle', 'index.mjs'),
      // An ESM module, like the esbuild bundles: it only loads through a real dynamic import.
      'export const handler = async (event, context) => ({ echo: event, fn: context.functionName, esm: typeof import.meta.url });\n',
    );
    mkdirSync(join(dir, 'empty'));
    mkdirSync(join(dir, 'wrong-export'));
    writeFileSync(join(dir, 'wrong-export', 'index.mjs'), 'export const main = async () => 1;\n');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports the ESM bundle from the code folder, and names a missing module or export as Lambda does', async () => {
    // Jest turns import() into require(), so the loader runs in a child process under tsx, as the twin does.
    const runtimePath = resolve(__dirname, '../../../local/lambda/runtime.ts');
    const script = `
      const { LambdaRuntime } = require(${JSON.stringify(runtimePath)});
      const runtime = new LambdaRuntime();
      const base = { handler: 'index.handler', environment: {}, timeoutSeconds: 10, memoryMb: 128 };
      for (const name of ['bundle', 'empty', 'wrong-export']) {
        runtime.register({ ...base, name, arn: 'arn:aws:lambda:eu-west-1:123456789012:function:' + name, codeDir: ${JSON.stringify(dir)} + '/' + name });
      }
      const settle = (name) => runtime.invoke(name, { n: 1 }).then((result) => ({ result }), (error) => ({ errorType: error.errorType }));
      Promise.all(['bundle', 'empty', 'wrong-export'].map(settle)).then((outcomes) => console.log(JSON.stringify(outcomes)));
    `;

    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: resolve(__dirname, '../../..'),
      timeout: 60_000,
    });

    expect(JSON.parse(stdout)).toEqual([
      { result: { echo: { n: 1 }, fn: 'bundle', esm: 'string' } },
      { errorType: 'Runtime.ImportModuleError' },
      { errorType: 'Runtime.HandlerNotFound' },
    ]);
  }, 60_000);
});
