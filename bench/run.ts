// `npm run bench`: measures the figures the project keeps, prints them and how they compare with
// bench/results.json (the previous run), then writes this run there.
// `npm run bench -- --skip-tests` reuses the previous `npm test` time (the suite takes minutes);
// `--strict` exits 1 when a figure is over its budget (by default the bench only reports it).
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { measureBundles } from './bundle-size';
import { measureChatHandling } from './chatops';
import { compareFigures, NOISE_TOLERANCE, tallyBudgets } from './compare';
import { FAILOVER_SETUP, measureFailoverLatency } from './failover';
import { figuresOf, figureValues } from './figures';
import { measureFleet } from './fleet';
import { type BenchResults, readPreviousResults, writeResults } from './results';
import {
  printBundles,
  printChat,
  printFailover,
  printFleet,
  printThroughput,
  printWallTimes,
} from './sections';
import { round } from './stats';
import { renderTable } from './table';
import { measureTwinThroughput } from './twin-throughput';
import { measureNpmStart, measureNpmTest } from './wall-time';

// `npm start` and `npm test` run with the environment the bench was started with, not the bench's.
const launchEnv = { ...process.env };
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_REGION ??= 'eu-west-1';
process.env.AWS_ACCESS_KEY_ID ??= 'bench';
process.env.AWS_SECRET_ACCESS_KEY ??= 'bench';

const root = join(__dirname, '..');
const resultsFile = join(root, 'bench', 'results.json');

const main = async (): Promise<number> => {
  const { values: flags } = parseArgs({
    options: {
      'skip-tests': { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
    },
  });
  const previous = readPreviousResults(resultsFile);
  // The machine is shared: what else ran shows in the load average, and explains outliers.
  const loadAtStart = round(loadavg()[0] ?? 0, 2);

  const bundles = await measureBundles(root);
  printBundles(bundles);
  // Drains of 100, 500 and 2,000 routes and a 2,000-route failover, on a time-compressed twin.
  const fleet = await measureFleet(root, [100, 500, 2_000], { failoverRoutes: 2_000 });
  printFleet(fleet);
  const failover = await measureFailoverLatency(root, [10, 100, 500]);
  printFailover(failover);
  const chat = await measureChatHandling();
  printChat(chat);
  const twinThroughput = await measureTwinThroughput(root);
  printThroughput(twinThroughput);
  const npmStart = await measureNpmStart(root, launchEnv);
  const npmTest = flags['skip-tests']
    ? previous?.npmTest && { ...previous.npmTest, reused: true }
    : await measureNpmTest(root, launchEnv);
  printWallTimes(npmStart, npmTest);

  const measured = {
    measuredAt: new Date().toISOString(),
    node: process.version,
    machine: {
      cpus: availableParallelism(),
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: round(loadavg()[0] ?? 0, 2),
    },
    bundles,
    fleet,
    chat,
    failover: { ...FAILOVER_SETUP, runs: failover },
    npmStart,
    ...(npmTest === undefined ? {} : { npmTest }),
    twinThroughput,
  };
  const previousFigures = previous === undefined ? {} : figureValues(figuresOf(previous));
  const rows = compareFigures(figuresOf(measured), previousFigures);
  const budgets = tallyBudgets(rows);
  console.log(
    `\nSummary, against the previous run (${previous?.measuredAt ?? 'none'}; ` +
      `same = within ±${NOISE_TOLERANCE * 100} %; ${measured.machine.cpus} CPUs, 1-minute load average ` +
      `${measured.machine.loadAverageAtStart.toFixed(1)} at the start, ${measured.machine.loadAverageAtEnd.toFixed(1)} at the end)`,
  );
  console.log(
    renderTable(
      ['figure', 'budget', 'previous', 'now', 'change', 'verdict'],
      rows.map((r) => [r.figure, r.budget, r.previous, r.now, r.change, r.verdict]),
    ),
  );

  const results: BenchResults = {
    ...measured,
    budgets,
    ...(previous?.measuredAt === undefined
      ? {}
      : { previous: { measuredAt: previous.measuredAt, figures: previousFigures } }),
  };
  writeResults(resultsFile, results);
  console.log('\nwrote bench/results.json');
  console.log(`budgets: ${budgets.ok} ok, ${budgets.over} over`);
  return flags.strict && budgets.over > 0 ? 1 : 0;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
