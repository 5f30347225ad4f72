import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ListExecutionsCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { run } from '../main';

/**
 * What every `npm start` scenario shares: the twin in a process of its own (its log, and the Lambda
 * handlers' log lines, in a file), the real CLI run in-process against it and echoed as an
 * operator would see it, and small helpers to look at the twin.
 */
export const ROOT = join(__dirname, '..', '..');
export const DEMO_DIR = join(ROOT, '.clustershift', 'demo');
export const DEMO_CONFIG = join(ROOT, 'local', 'demo', 'clustershift.demo.yaml');
/** Twin seconds per real second: a 2-minute bake takes 2 s. */
export const TIME_SCALE = 60;

export const bold = (text: string): string => (process.stdout.isTTY ? `\u001b[1m${text}\u001b[0m` : text);
export const say = (text = ''): void => {
  process.stdout.write(`${text}\n`);
};

export class DemoFailed extends Error {}

export const expect = (condition: boolean, what: string): void => {
  if (!condition) throw new DemoFailed(what);
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class DemoSession {
  private constructor(
    readonly endpoint: string,
    readonly logFile: string,
    private readonly child: ChildProcess,
  ) {}

  /** Starts the twin with the demo fleet (it synthesizes the stack on first use). */
  static start(logFile: string): Promise<DemoSession> {
    mkdirSync(DEMO_DIR, { recursive: true });
    // The CLI's SDK clients take credentials from the standard chain, which reads this process's
    // environment: the demo talks only to the twin, so it gives them the twin's fake ones.
    process.env.AWS_ACCESS_KEY_ID = 'twin';
    process.env.AWS_SECRET_ACCESS_KEY = 'twin';
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    return new Promise((resolve, reject) => {
      const log = createWriteStream(logFile);
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(ROOT, 'local', 'main.ts'),
          '--port',
          '0',
          '--demo',
          '--time-scale',
          String(TIME_SCALE),
        ],
        {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'INFO' },
        },
      );
      child.stderr?.pipe(log);
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      lines.on('line', (line) => {
        log.write(`${line}\n`);
        if (line.startsWith('{"ready"')) {
          resolve(new DemoSession((JSON.parse(line) as { endpoint: string }).endpoint, logFile, child));
        }
      });
      child.once('exit', (code) =>
        reject(new Error(`the twin exited (code ${code}) before it was ready; see ${logFile}`)),
      );
    });
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }

  /** Runs one CLI command as an operator would type it, echoing it and its output. */
  async cli(args: string[]): Promise<{ code: number; output: string }> {
    say(bold(`$ clustershift ${args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ')}`));
    let output = '';
    const capture = {
      write: (text: string) => {
        output += text;
        process.stdout.write(text.replace(/^(?=.)/gm, '  '));
        return true;
      },
    };
    const code = await run(args, {
      stdout: capture,
      stderr: capture,
      cwd: ROOT,
      env: {
        ...process.env,
        AWS_ENDPOINT_URL: this.endpoint,
        AWS_REGION: 'us-east-1',
        CLUSTERSHIFT_CONFIG: DEMO_CONFIG,
      },
    });
    say();
    return { code, output };
  }

  /** The twin's admin endpoint (/_twin/…). */
  async admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.endpoint}/_twin/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = (await response.json()) as T;
    expect(
      response.ok,
      `twin admin ${method} ${path} answered ${response.status}: ${JSON.stringify(answer)}`,
    );
    return answer;
  }

  private sfn(): SFNClient {
    return new SFNClient({ endpoint: this.endpoint, region: 'us-east-1' });
  }

  /** Executions of the deployed state machine, newest first. */
  async executions(): Promise<{ arn: string; name: string; status: string }[]> {
    const sfn = this.sfn();
    try {
      const machines = await sfn.send(new ListStateMachinesCommand({}));
      const stateMachineArn = machines.stateMachines?.[0]?.stateMachineArn;
      expect(stateMachineArn !== undefined, 'the twin has no state machine deployed');
      const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 100 }));
      return (listed.executions ?? []).map((e) => ({
        arn: e.executionArn ?? '',
        name: e.name ?? '',
        status: e.status ?? '',
      }));
    } finally {
      sfn.destroy();
    }
  }

  /** The newest execution whose name starts with `prefix` (the CLI names them cli-<action>-<cluster>-…). */
  async latestExecution(prefix: string): Promise<string> {
    const match = (await this.executions()).find((e) => e.name.startsWith(prefix));
    expect(match !== undefined, `no execution named ${prefix}…`);
    return match?.arn ?? '';
  }

  /** Waits (real time) until an execution not in `known` appears; returns it. */
  async nextExecution(known: ReadonlySet<string>, what: string, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const fresh = (await this.executions()).find((e) => !known.has(e.arn));
      if (fresh !== undefined) return fresh.arn;
      await sleep(200);
    }
    throw new DemoFailed(`no ${what} started within ${timeoutMs / 1000} s`);
  }
}
