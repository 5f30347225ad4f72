import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { setUpDemo, synthesizeDemo } from './demo';
import { parseScenario, runScenario } from './scenario';
import { startTwin } from './server';

/**
 * The twin as a process of its own: `node --import tsx local/main.ts [options]`. The first stdout
 * line is JSON ({"ready":true,"endpoint":…}) so a parent (npm start, tests) can wait for it; what
 * follows is the twin's log and the Lambda handlers' own log lines, as CloudWatch Logs would hold.
 */
const USAGE = `usage: local/main.ts [--port 4566] [--host 127.0.0.1] [--time-scale 1] [--demo]
       [--alarms metric|manual] [--seed elbv2-seed.json] [--template stack.template.json]
       [--scenario scenario.json] [--no-api-limits] [--lb-controllers blue,green]
       [--lb-controller-rate 1]

  --no-api-limits       turn off ELBv2's documented API throttling (on by default)
  --lb-controllers      simulated AWS Load Balancer Controllers, one per name (with --demo: one per
                        demo cluster unless given)
  --lb-controller-rate  describe calls per second per controller (default 1)`;

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4566' },
      host: { type: 'string', default: '127.0.0.1' },
      'time-scale': { type: 'string', default: '1' },
      demo: { type: 'boolean', default: false },
      seed: { type: 'string' },
      template: { type: 'string' },
      scenario: { type: 'string' },
      alarms: { type: 'string', default: 'metric' },
      'no-api-limits': { type: 'boolean', default: false },
      'lb-controllers': { type: 'string' },
      'lb-controller-rate': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  const timeScale = Number(values['time-scale']);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0–65535, got ${values.port}`);
  if (!(timeScale > 0))
    throw new UsageError(`--time-scale must be a number > 0, got ${values['time-scale']}`);
  const alarms = values.alarms;
  if (alarms !== 'metric' && alarms !== 'manual') {
    throw new UsageError(`--alarms must be metric or manual, got ${alarms}`);
  }
  const scenario =
    values.scenario === undefined
      ? undefined
      : parseScenario(JSON.parse(readFileSync(values.scenario, 'utf8')), values.scenario);
  const demoTemplate =
    values.demo && values.template === undefined ? (await synthesizeDemo()).templateFile : undefined;
  const log = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  const controllerRate =
    values['lb-controller-rate'] === undefined ? undefined : Number(values['lb-controller-rate']);
  if (controllerRate !== undefined && !(controllerRate >= 0)) {
    throw new UsageError(`--lb-controller-rate must be a number ≥ 0, got ${values['lb-controller-rate']}`);
  }
  const controllerNames = values['lb-controllers']
    ?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const twin = await startTwin({
    port,
    host: values.host,
    timeScale,
    seedFile: values.seed,
    log,
    ...(values['no-api-limits'] ? { apiLimits: false } : {}),
  });
  if (values.demo) {
    const config = await setUpDemo(twin, values.template ?? demoTemplate ?? '', { alarms });
    if (controllerNames !== undefined || controllerRate !== undefined) {
      twin.startLbControllers({
        clusters: controllerNames ?? config.clusters.map((cluster) => cluster.name),
        describesPerSecond: controllerRate,
      });
    }
  } else {
    if (values.template !== undefined) await twin.deploy(values.template);
    if (controllerNames !== undefined)
      twin.startLbControllers({ clusters: controllerNames, describesPerSecond: controllerRate });
  }
  process.stdout.write(`${JSON.stringify({ ready: true, endpoint: twin.endpoint, timeScale })}\n`);
  if (scenario !== undefined) {
    void runScenario(twin, scenario, undefined, (action, error) =>
      log(`scenario ${scenario.name}: at ${action.at}s ${error ? `failed: ${error.message}` : 'applied'}`),
    );
  }
  const stop = (): void => {
    twin.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
};

class UsageError extends Error {}

main().catch((error: unknown) => {
  process.stderr.write(`twin: ${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof UsageError) process.stderr.write(`${USAGE}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
