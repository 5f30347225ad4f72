import { Command, CommanderError } from 'commander';
import { register as abort } from './commands/abort';
import { register as approve } from './commands/approve';
import { register as drain } from './commands/drain';
import { register as freeze } from './commands/freeze';
import { register as history } from './commands/history';
import { register as local } from './commands/local';
import { register as pause } from './commands/pause';
import { register as plan } from './commands/plan';
import { register as report } from './commands/report';
import { register as restore } from './commands/restore';
import { register as resume } from './commands/resume';
import { register as shift } from './commands/shift';
import { register as status } from './commands/status';
import { register as unfreeze } from './commands/unfreeze';
import { register as watch } from './commands/watch';
import { describeError, EXIT } from './errors';
import { type CliIo, processIo } from './io';
import { Runner } from './runner';

const COMMANDS = [
  status,
  plan,
  drain,
  restore,
  shift,
  pause,
  resume,
  approve,
  abort,
  freeze,
  unfreeze,
  history,
  report,
  watch,
  local,
];

/**
 * Commander outcomes that are not errors: help or version asked for (`--help` ends as helpDisplayed,
 * `help [command]` as help). They count only with commander's exit code 0: a bare `clustershift` or
 * `help <unknown>` also ends as help, printed to stderr with exit code 1, and stays a usage error.
 */
const CLEAN_EXITS = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

const buildProgram = (io: CliIo, runner: Runner): Command => {
  const program = new Command('clustershift')
    .description('shift traffic between the clusters behind an Application Load Balancer, safely')
    .option(
      '--config <path>',
      'fleet config file (env CLUSTERSHIFT_CONFIG)',
      io.env.CLUSTERSHIFT_CONFIG ?? 'clustershift.yaml',
    )
    .option('--region <region>', 'AWS region (default: the config’s region)')
    .option('--profile <name>', 'AWS profile from ~/.aws (default: AWS_PROFILE or the standard chain)')
    .option('--endpoint-url <url>', 'send every AWS call here, e.g. the local twin (or AWS_ENDPOINT_URL)')
    .option('--stack <name>', 'CloudFormation stack of the deployment (default: ClusterShift-<fleet>)')
    .option('--json', 'machine-readable output on stdout')
    .option('--debug', 'print stack traces of unexpected errors')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError(
      '(clustershift --help lists the commands; clustershift <command> --help their options)',
    );
  // Settings above are copied to each subcommand when it is created, so commands come last.
  for (const register of COMMANDS) register(program, runner);
  return program;
};

/**
 * Runs the CLI in-process and returns its exit code: 0 ok, 1 refused or failed (guardrail, lock
 * held, failed execution, AWS error), 2 usage or configuration error. Errors go to stderr, one
 * line each plus detail lines; a stack trace only with --debug.
 */
export const run = async (argv: readonly string[], io: CliIo = processIo()): Promise<number> => {
  const runner = new Runner(io);
  const program = buildProgram(io, runner);
  // Commander's `help` command ends with the host's process.exitCode: an in-process run (tests, the
  // console) must not inherit whatever the host set before it.
  const hostExitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return runner.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already written its message (and the hint) to stderr.
      return CLEAN_EXITS.has(error.code) && error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const { exitCode, headline, details } = describeError(error);
    io.stderr.write(`${[headline, ...details].join('\n')}\n`);
    if (argv.includes('--debug') && error instanceof Error && error.stack !== undefined) {
      io.stderr.write(`${error.stack}\n`);
    }
    return exitCode;
  } finally {
    process.exitCode = hostExitCode;
  }
};
