// `npm start`: the demo on the local twin. Starts the twin (which synthesizes the demo stack and
// deploys it: the same handlers, ASL and SDK clients that ship), then runs the real CLI against it:
// status, a drain refused by a guardrail, the drain done properly with live progress, drain
// verification from the twin's metrics, a restore, and an HTML report of the drain.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { run } from './main';

const ROOT = join(__dirname, '..');
const DEMO_DIR = join(ROOT, '.clustershift', 'demo');
const DEMO_CONFIG = join(ROOT, 'local', 'demo', 'clustershift.demo.yaml');
const TIME_SCALE = 60;
const REASON = 'upgrade blue to Kubernetes 1.31';

const bold = (text: string): string => (process.stdout.isTTY ? `\u001b[1m${text}\u001b[0m` : text);
const say = (text = ''): void => {
  process.stdout.write(`${text}\n`);
};

interface Twin {
  readonly endpoint: string;
  readonly process: ChildProcess;
}

/** The twin in a process of its own; its log (and the Lambda handlers' log lines) go to a file. */
const startTwin = (logFile: string): Promise<Twin> =>
  new Promise((resolve, reject) => {
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
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'INFO' } },
    );
    child.stderr?.pipe(log);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      log.write(`${line}\n`);
      if (line.startsWith('{"ready"'))
        resolve({ endpoint: (JSON.parse(line) as { endpoint: string }).endpoint, process: child });
    });
    child.once('exit', (code) =>
      reject(new Error(`the twin exited (code ${code}) before it was ready; see ${logFile}`)),
    );
  });

/** Runs one CLI command as an operator would type it, echoing it and its output; returns code and output. */
const cli = async (endpoint: string, args: string[]): Promise<{ code: number; output: string }> => {
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
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'twin',
      AWS_SECRET_ACCESS_KEY: 'twin',
      CLUSTERSHIFT_CONFIG: DEMO_CONFIG,
    },
  });
  say();
  return { code, output };
};

class DemoFailed extends Error {}

const expect = (condition: boolean, what: string): void => {
  if (!condition) throw new DemoFailed(what);
};

/** The most recent execution whose name starts with `prefix` (the CLI names them cli-<action>-<cluster>-…). */
const latestExecution = async (endpoint: string, prefix: string): Promise<string> => {
  const sfn = new SFNClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'twin', secretAccessKey: 'twin' },
  });
  try {
    const { ListStateMachinesCommand } = await import('@aws-sdk/client-sfn');
    const machines = await sfn.send(new ListStateMachinesCommand({}));
    const arn = machines.stateMachines?.[0]?.stateMachineArn;
    expect(arn !== undefined, 'the twin has no state machine deployed');
    const executions = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 100 }));
    const match = executions.executions?.find((e) => e.name?.startsWith(prefix));
    expect(match?.executionArn !== undefined, `no execution named ${prefix}…`);
    return match?.executionArn ?? '';
  } finally {
    sfn.destroy();
  }
};

/**
 * The CLI's SDK clients take credentials from the standard chain, which reads this process's
 * environment: the demo talks only to the twin, so it gives them the twin's fake ones.
 */
const useTwinCredentials = (): void => {
  process.env.AWS_ACCESS_KEY_ID = 'twin';
  process.env.AWS_SECRET_ACCESS_KEY = 'twin';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
};

const main = async (): Promise<number> => {
  const { values } = parseArgs({ options: { help: { type: 'boolean', default: false } } });
  if (values.help) {
    say(
      'npm start: drains and restores cluster blue of a demo fleet on the local twin (no AWS account needed).',
    );
    say(`Writes .clustershift/demo/twin.log and an HTML report; exits 0 when every step went as expected.`);
    return 0;
  }
  const started = Date.now();
  useTwinCredentials();
  mkdirSync(DEMO_DIR, { recursive: true });
  const logFile = join(DEMO_DIR, 'twin.log');
  say(bold('clustershift demo on the local twin'));
  say(
    `Synthesizing the demo stack and starting the twin (time runs ${TIME_SCALE}x: a 2-minute bake takes 2 s)…`,
  );
  const twin = await startTwin(logFile);
  try {
    say(
      `twin: ${twin.endpoint} (log: ${relative(process.cwd(), logFile)}), ready after ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    say();

    say(bold('1. Where traffic is: two clusters, nine services, one of them (reports) only on blue.'));
    expect((await cli(twin.endpoint, ['status'])).code === 0, 'status failed');

    say(bold('2. Drain blue for its upgrade. The workflow refuses: reports would go dark.'));
    const refused = await cli(twin.endpoint, [
      'drain',
      'blue',
      '--reason',
      REASON,
      '--wait',
      '--interval',
      '1',
    ]);
    expect(refused.code === 1, `the refused drain exited ${refused.code}, not 1`);
    expect(
      refused.output.includes('single-cluster-route') && refused.output.includes('reports.demo.example.com'),
      'the refusal did not name single-cluster-route and reports.demo.example.com',
    );

    say(
      bold(
        '3. Drain blue, forcing single-cluster-route: reports stays on blue, the other routes move in 4 steps.',
      ),
    );
    say(
      '   (The honest fix is to deploy reports to green first; forcing is shown because it is recorded in history.)',
    );
    const drain = await cli(twin.endpoint, [
      'drain',
      'blue',
      '--force',
      'single-cluster-route',
      '--reason',
      REASON,
      '--watch',
      '--interval',
      '1',
    ]);
    expect(drain.code === 0, `the drain exited ${drain.code}`);

    say(
      bold(
        '4. Blue is drained (verified above from its RequestCount): it now serves only reports, held on purpose.',
      ),
    );
    expect((await cli(twin.endpoint, ['status', '--minutes', '1'])).code === 0, 'status failed');

    say(bold('5. Blue is upgraded; restore it to its baseline weights.'));
    const restore = await cli(twin.endpoint, [
      'restore',
      'blue',
      '--reason',
      'blue upgraded',
      '--watch',
      '--interval',
      '1',
    ]);
    expect(restore.code === 0, `the restore exited ${restore.code}`);
    expect((await cli(twin.endpoint, ['history'])).code === 0, 'history failed');

    say(bold('6. The shift report of the drain.'));
    const drainArn = await latestExecution(twin.endpoint, 'cli-drain-blue');
    const reportFile = join(DEMO_DIR, 'report-drain-blue.html');
    expect((await cli(twin.endpoint, ['report', drainArn, '--out', reportFile])).code === 0, 'report failed');

    say(bold(`Demo done in ${((Date.now() - started) / 1000).toFixed(1)} s. Report: ${reportFile}`));
    return 0;
  } catch (error) {
    if (!(error instanceof DemoFailed)) throw error;
    say(`demo failed: ${error.message} (twin log: ${logFile})`);
    return 1;
  } finally {
    twin.process.kill('SIGTERM');
  }
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`clustershift demo: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
