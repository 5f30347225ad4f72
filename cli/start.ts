// `npm start`: the demo on the local twin. Starts the twin (which synthesizes the demo stack and
// deploys it: the same handlers, ASL and SDK clients that ship), then runs the real CLI against it.
// `npm start -- --scenario <name>` picks the story; `npm start -- --help` lists them.
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { drainScenario } from './demo/drain';
import { failoverScenario } from './demo/failover';
import { bold, DEMO_DIR, DemoFailed, DemoSession, say, TIME_SCALE } from './demo/session';

const SCENARIOS: Record<
  string,
  { readonly about: string; readonly play: (demo: DemoSession) => Promise<string> }
> = {
  drain: {
    about:
      'drain blue before its upgrade: refused by a guardrail, then drained step by step, verified, restored',
    play: drainScenario,
  },
  failover: {
    about:
      "green's targets fail, its alarm fires, traffic moves to blue with no operator; then both sick: no shift",
    play: failoverScenario,
  },
};

const usage = (): string =>
  [
    'npm start [-- --scenario <name>]   the clustershift demo on the local twin (no AWS account needed)',
    '',
    'scenarios:',
    ...Object.entries(SCENARIOS).map(
      ([name, { about }]) => `  ${name.padEnd(10)} ${about}${name === 'drain' ? ' (default)' : ''}`,
    ),
    '',
    'Writes .clustershift/demo/twin.log and an HTML report; exits 0 when every step went as expected.',
  ].join('\n');

const main = async (): Promise<number> => {
  let values: { help?: boolean; scenario?: string };
  try {
    ({ values } = parseArgs({
      options: { help: { type: 'boolean', default: false }, scenario: { type: 'string', default: 'drain' } },
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage()}\n`);
    return 2;
  }
  if (values.help) {
    say(usage());
    return 0;
  }
  const scenario = SCENARIOS[values.scenario ?? 'drain'];
  if (scenario === undefined || !Object.hasOwn(SCENARIOS, values.scenario ?? '')) {
    process.stderr.write(`unknown scenario ${values.scenario}\n${usage()}\n`);
    return 2;
  }
  const started = Date.now();
  const logFile = join(DEMO_DIR, 'twin.log');
  say(bold(`clustershift demo on the local twin: ${values.scenario}`));
  say(
    `Synthesizing the demo stack and starting the twin (time runs ${TIME_SCALE}x: a 2-minute bake takes 2 s)…`,
  );
  const demo = await DemoSession.start(logFile);
  try {
    say(
      `twin: ${demo.endpoint} (log: ${relative(process.cwd(), logFile)}), ready after ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    say();
    const reportFile = await scenario.play(demo);
    say(bold(`Demo done in ${((Date.now() - started) / 1000).toFixed(1)} s. Report: ${reportFile}`));
    return 0;
  } catch (error) {
    if (!(error instanceof DemoFailed)) throw error;
    say(`demo failed: ${error.message} (twin log: ${logFile})`);
    return 1;
  } finally {
    demo.stop();
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
