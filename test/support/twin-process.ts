import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The twin as its own process, the way `clustershift local` and `npm start` run it. E2E tests use it
 * because the twin imports the real Lambda bundles from cdk.out (ES modules), which jest's CommonJS
 * runtime cannot load. Everything the tests do goes over HTTP: the SDK clients and /_twin/.
 */
const ROOT = join(__dirname, '..', '..');

export interface TwinProcess {
  readonly endpoint: string;
  /** The twin's log so far (its own lines and the handlers'), for failure messages. */
  log(): string;
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export interface TwinProcessOptions {
  readonly timeScale?: number;
  readonly demo?: boolean;
  /** Demo alarms: `manual` (default here) placeholders, or `metric` alarms the twin evaluates. */
  readonly alarms?: 'metric' | 'manual';
  readonly args?: readonly string[];
  /** How long to wait for the ready line (synthesizing the demo stack the first time takes ~15 s). */
  readonly readyTimeoutMs?: number;
}

export const startTwinProcess = async (options: TwinProcessOptions = {}): Promise<TwinProcess> => {
  const args = [
    '--import',
    'tsx',
    join(ROOT, 'local', 'main.ts'),
    '--port',
    '0',
    '--time-scale',
    String(options.timeScale ?? 60),
    ...(options.demo === false ? [] : ['--demo']),
    // Tests set alarms by hand (SetAlarmState); the evaluator must not set them back in between.
    '--alarms',
    options.alarms ?? 'manual',
    ...(options.args ?? []),
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: process.env.TWIN_LOG_LEVEL ?? 'WARN' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`twin did not start within ${options.readyTimeoutMs ?? 120_000} ms:\n${lines.join('')}`),
      );
    }, options.readyTimeoutMs ?? 120_000);
    const reader = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    reader.on('line', (line) => {
      lines.push(`${line}\n`);
      if (!line.startsWith('{"ready"')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { endpoint: string }).endpoint);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`twin exited with code ${code} before it was ready:\n${lines.join('')}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    endpoint,
    log: () => lines.join(''),
    admin: async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${endpoint}/_twin/${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const answer = (await response.json()) as T;
      if (!response.ok)
        throw new Error(`twin admin ${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
      return answer;
    },
    close: async () => {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
};

/** SDK client settings for the twin: its endpoint, a region, fake credentials, no retries to hide errors. */
export const twinClientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'twin', secretAccessKey: 'twin' },
  maxAttempts: 1,
});
