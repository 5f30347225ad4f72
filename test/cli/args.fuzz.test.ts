import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { validateFleetConfig } from '../../core/config';
import { validateShiftRequest } from '../../core/request';
import { CliHarness, executionArn, fleetYaml } from './harness';

/**
 * Fuzzing of the command line: `run(argv, io)` with random tokens, near-valid commands with wrong
 * options, numbers out of range, unknown clusters, flags without values, unicode and very long
 * values, against the CLI harness's fake AWS (in-memory ALB, Step Functions and CloudFormation
 * stubs, DynamoDB in dynalite). It always returns an exit code (never throws), a non-zero code
 * comes with a message on stderr, and a refused command writes nothing: no weight, no execution
 * started or stopped, no DynamoDB item, no twin started.
 */

jest.setTimeout(120_000);

const SEED = 20_260_606;

// `clustershift local` starts the twin: here a stand-in that only records that it was asked to.
const twinStarts: unknown[] = [];
let abortCurrent: () => void = () => {};
jest.mock('../../local/server', () => ({
  startTwin: async (options: unknown) => {
    twinStarts.push(options);
    // The twin runs until interrupted: interrupt it at once.
    queueMicrotask(() => abortCurrent());
    return { endpoint: 'http://127.0.0.1:4599', close: async () => {} };
  },
}));
jest.mock('../../local/demo', () => ({
  DEMO_CONFIG_FILE: '/nonexistent/clustershift.demo.yaml',
  synthesizeDemo: async () => ({ templateFile: '/tmp/demo.template.json' }),
  setUpDemo: async () => ({}),
}));

const cli = new CliHarness();
const sts = mockClient(STSClient);
/** DynamoDB writes that succeeded (the store writes through its DynamoDBClient). */
const tableWrites: string[] = [];

beforeAll(async () => {
  await cli.start();
  // A fuzzed --profile makes the SDK warn about credential sources on the console; only that is muted.
  const warn = console.warn;
  jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    if (!String(args[0]).includes('@aws-sdk/credential-provider')) warn(...args);
  });
  sts.on(GetCallerIdentityCommand).resolves({ Arn: 'arn:aws:iam::123456789012:user/fuzz' });
  const send = DynamoDBClient.prototype.send;
  jest.spyOn(DynamoDBClient.prototype, 'send').mockImplementation(async function (
    this: DynamoDBClient,
    command: { constructor: { name: string }; input?: { Item?: { pk?: { S?: string } } } },
    ...rest: unknown[]
  ) {
    const result = await (send as (...args: unknown[]) => Promise<unknown>).call(this, command, ...rest);
    const name = command.constructor.name;
    // The shared ELBv2 pacer's bucket (aws/store-pacer.ts) is pacing, not anything a command changed.
    const pacing = command.input?.Item?.pk?.S?.startsWith('pacer#') === true;
    if (/^(PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems)Command$/.test(name) && !pacing)
      tableWrites.push(name);
    return result;
  } as never);
});
afterAll(async () => {
  jest.restoreAllMocks();
  sts.restore();
  await cli.stop();
});

/** A fresh fleet with one service and one execution the control commands can find. */
const freshFleet = () => {
  cli.reset();
  cli.addService('api.example.com', { blue: 50, green: 50 });
  cli.addExecution('cli-drain-blue-20261123T100000-abcd', ['RUNNING']);
};

/** Runs one argv and sums up what it changed. */
const runOnce = async (argv: readonly string[], withConfig = true) => {
  const controller = new AbortController();
  abortCurrent = () => controller.abort();
  let sleeps = 0;
  // --wait, --watch and watch poll until the execution ends: stop following after a few polls.
  cli.onSleep = () => {
    sleeps += 1;
    if (sleeps >= 3) controller.abort();
  };
  const writesBefore = tableWrites.length;
  const twinsBefore = twinStarts.length;
  let result: { code: number; stdout: string; stderr: string } | { threw: string };
  try {
    result = await cli.run(argv, { config: withConfig, signal: controller.signal });
  } catch (error) {
    result = { threw: `${(error as Error).name}: ${(error as Error).message}` };
  }
  return {
    result,
    writes: [
      ...cli.writes(),
      ...tableWrites.slice(writesBefore),
      ...twinStarts.slice(twinsBefore).map(() => 'startTwin'),
    ],
  };
};

/** The exit code contract: a number, 0/1/2 (or 130 when following was interrupted), a message on stderr when not 0. */
const expectExitContract = (
  argv: readonly string[],
  outcome: Awaited<ReturnType<typeof runOnce>>,
): number => {
  const { result } = outcome;
  expect({ argv, threw: 'threw' in result ? result.threw : undefined }).toEqual({ argv, threw: undefined });
  if ('threw' in result) return -1;
  const seen = { argv, code: result.code, stderr: result.stderr.slice(0, 300) };
  expect({ ...seen, known: [0, 1, 2, 130].includes(result.code) }).toEqual({ ...seen, known: true });
  if (result.code !== 0)
    expect({ ...seen, said: result.stderr.trim() !== '' }).toEqual({ ...seen, said: true });
  return result.code;
};

/** A refused command (usage error, or refused/failed before following anything) writes nothing. */
const expectNothingWrittenWhenRefused = (
  argv: readonly string[],
  code: number,
  writes: readonly string[],
): void => {
  if (code === 0 || code === 130) return;
  expect({ argv, code, writes }).toEqual({ argv, code, writes: [] });
};

const COMMANDS = [
  'status',
  'plan',
  'drain',
  'restore',
  'shift',
  'pause',
  'resume',
  'approve',
  'abort',
  'freeze',
  'unfreeze',
  'history',
  'report',
  'watch',
  'local',
  'help',
];
const OPTIONS = [
  '--reason',
  '--weights',
  '--force',
  '--steps',
  '--bake',
  '--pause-before',
  '--dry-run',
  '--wait',
  '--watch',
  '--interval',
  '--execution',
  '--through',
  '--stop',
  '--limit',
  '--minutes',
  '--out',
  '--period',
  '--port',
  '--host',
  '--time-scale',
  '--json',
  '--debug',
  '--help',
  '--version',
  '--region',
  '--stack',
  '--endpoint-url',
  '--config',
  '-h',
  '--',
  '--reason=upgrade',
  '--steps=0.5,1',
];
const VALUES = [
  'blue',
  'green',
  'red',
  'BLUE',
  'all',
  'drain',
  'shift',
  'failover',
  'upgrade',
  'EKS 1.31 upgrade',
  '',
  ' ',
  '0',
  '1',
  '-1',
  '1.5',
  '60',
  '86401',
  '99999999999999999999',
  '1e3',
  'NaN',
  '0.5,1',
  '0.5,0.2,1',
  '0,1',
  '1,1',
  ',',
  'blue=20,green=80',
  'blue=120',
  'blue=20,blue=80',
  'blue=20,green=80,red=0',
  '=50',
  'blue=',
  'cooldown',
  'empty-route',
  'frozen,cooldown',
  'cli-drain-blue-20261123T100000-abcd',
  executionArn('cli-drain-blue-20261123T100000-abcd'),
  'arn:aws:states:eu-west-1:123456789012:execution:someone-else:x',
  '/etc/passwd',
  '../../outside.html',
  'http://127.0.0.1:1',
  'not a url',
  '70000',
  '0.0.0.0',
  'é',
  '😀',
  '\u202e',
  '\u0000',
  '$(id)',
  'x'.repeat(2_000),
];
const token = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...VALUES) },
  { weight: 2, arbitrary: fc.constantFrom(...OPTIONS) },
  { weight: 1, arbitrary: fc.constantFrom(...COMMANDS) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
);

describe('the CLI, fuzzed', () => {
  it('answers random argv with an exit code and a message, and writes nothing when it refuses', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .oneof(
            fc
              .tuple(fc.constantFrom(...COMMANDS), fc.array(token, { maxLength: 6 }))
              .map(([c, rest]) => [c, ...rest]),
            fc.array(token, { maxLength: 6 }),
          )
          // `clustershift help …` has a test of its own below.
          .filter((argv) => argv[0] !== 'help'),
        async (argv) => {
          // Prepare
          freshFleet();

          // Act
          const outcome = await runOnce(argv);

          // Assert
          const code = expectExitContract(argv, outcome);
          expectNothingWrittenWhenRefused(argv, code, outcome.writes);
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('answers near-valid shift commands with an exit code; a refused one writes nothing, a started one sends a valid request', async () => {
    // Mostly right, so that commands get past validation often enough for the started ones to be checked.
    const value = (...good: string[]) =>
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...good) },
        { weight: 1, arbitrary: fc.constantFrom(...VALUES) },
      );
    /** An option: present (weights of present vs absent), its value apart, missing or glued on with `=`. */
    const option = (name: string, arbitrary: fc.Arbitrary<string>, present: number, absent: number) =>
      fc.oneof(
        { weight: absent, arbitrary: fc.constant([] as string[]) },
        {
          weight: present,
          arbitrary: fc.oneof(
            { weight: 8, arbitrary: arbitrary.map((v) => [name, v]) },
            { weight: 1, arbitrary: fc.constant([name]) },
            { weight: 1, arbitrary: arbitrary.map((v) => [`${name}=${v}`]) },
          ),
        },
      );
    const shiftCommand = fc
      .tuple(
        fc.constantFrom('drain', 'restore', 'shift', 'plan'),
        fc.constantFrom('drain', 'restore', 'shift'),
      )
      .chain(([command, planAction]) => {
        const plan = command === 'plan';
        const split = command === 'shift' || (plan && planAction === 'shift');
        return fc
          .record({
            target: option('', value('blue', 'green'), split ? 1 : 8, split ? 8 : 1),
            reason: option(
              '--reason',
              value('EKS 1.31 upgrade', 'node pool rotation'),
              plan ? 1 : 8,
              plan ? 8 : 1,
            ),
            weights: option(
              '--weights',
              value('blue=20,green=80', 'blue=0,green=100'),
              split ? 8 : 1,
              split ? 1 : 8,
            ),
            steps: option('--steps', value('0.5,1', '0.25,0.5,0.75,1'), 1, 2),
            bake: option('--bake', value('0', '60', '300'), 1, 2),
            pause: option('--pause-before', value('1', '2', '1,2'), 1, 3),
            force: option('--force', value('cooldown', 'receiver-alarm'), 1, 3),
            interval: option('--interval', value('1', '5'), 1, 3),
            flags: fc.subarray(['--dry-run', '--wait', '--watch', '--json'], { maxLength: 2 }),
          })
          .map(({ target, flags, ...options }) => [
            command,
            ...(plan ? [planAction] : []),
            // The cluster is a positional argument: its value alone.
            ...target.filter((part) => part !== ''),
            ...Object.values(options).flat(),
            ...flags,
          ]);
      });
    await fc.assert(
      fc.asyncProperty(shiftCommand, async (argv) => {
        // Prepare
        freshFleet();

        // Act
        const outcome = await runOnce(argv);

        // Assert
        const code = expectExitContract(argv, outcome);
        expectNothingWrittenWhenRefused(argv, code, outcome.writes);
        // Whatever was started is what the workflow will accept.
        const config = validateFleetConfig(fleetYaml(cli.fleet));
        for (const input of cli.startedInputs())
          expect(() => validateShiftRequest(input, config)).not.toThrow();
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('answers `help` and `help <command>` as it answers --help: the help on stdout and exit 0', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom([], ...COMMANDS.filter((c) => c !== 'help').map((c) => [c])),
        async (rest) => {
          // Prepare
          freshFleet();
          const argv = ['help', ...rest];

          // Act
          const outcome = await runOnce(argv);

          // Assert
          const code = expectExitContract(argv, outcome);
          expect({ argv, code }).toEqual({ argv, code: 0 });
          expect('stdout' in outcome.result && outcome.result.stdout).toContain('Usage: clustershift');
          expect(outcome.writes).toEqual([]);
        },
      ),
      { seed: SEED, numRuns: 16 },
    );
  });

  it('names a cluster given twice in --weights only when it was given twice', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.oneof(
            fc.constantFrom(
              'blue',
              'green',
              'red',
              'constructor',
              'toString',
              '__proto__',
              'hasOwnProperty',
              'valueOf',
            ),
            fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/),
          ),
          { minLength: 1, maxLength: 3 },
        ),
        async (clusters) => {
          // Prepare: each cluster once
          freshFleet();
          const weights = clusters.map((name, i) => `${name}=${i === 0 ? 100 : 0}`).join(',');

          // Act
          const outcome = await runOnce(['plan', 'shift', '--weights', weights]);

          // Assert
          const code = expectExitContract(['plan', 'shift', '--weights', weights], outcome);
          if ('stderr' in outcome.result) {
            expect({ weights, code, stderr: outcome.result.stderr }).not.toMatchObject({
              stderr: expect.stringContaining('given twice'),
            });
          }
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('answers any config file path and global options with an exit code and a message', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('status', 'history', 'plan drain blue', 'drain blue --reason x'),
        fc.array(
          fc
            .tuple(
              fc.constantFrom('--config', '--region', '--profile', '--endpoint-url', '--stack'),
              fc.oneof(fc.constantFrom(...VALUES), fc.string({ maxLength: 20 })),
            )
            // An empty --endpoint-url sends DynamoDB calls to AWS itself (reported): kept off the network.
            .filter(([name, value]) => !(name === '--endpoint-url' && value.trim() === '')),
          { minLength: 1, maxLength: 3 },
        ),
        async (command, globals) => {
          // Prepare
          freshFleet();
          const argv = [...globals.flat(), ...command.split(' ')];

          // Act
          const outcome = await runOnce(argv, !globals.some(([name]) => name === '--config'));

          // Assert
          const code = expectExitContract(argv, outcome);
          expectNothingWrittenWhenRefused(argv, code, outcome.writes);
        },
      ),
      { seed: SEED, numRuns: 100 },
    );
  });
});
