import { CliHarness } from './harness';

const cli = new CliHarness();

beforeAll(() => cli.start());
afterAll(() => cli.stop());
beforeEach(() => {
  cli.reset();
  cli.addService('api.example.com', { blue: 50, green: 50 });
});

describe('clustershift usage errors', () => {
  it('exits 2 on an unknown command, naming it', async () => {
    // Act
    const result = await cli.run(['upgrade']);

    // Assert
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'upgrade'");
    expect(cli.callCount()).toBe(0);
  });

  it('exits 2 on an unknown option', async () => {
    const result = await cli.run(['drain', 'blue', '--reason', 'x', '--frobnicate']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--frobnicate'");
    expect(cli.callCount()).toBe(0);
  });

  it('exits 0 and prints the commands on --help', async () => {
    const result = await cli.run(['--help'], { config: false });

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('drain [options] <cluster>');
    expect(result.stdout).toContain('watch [options] [execution]');
  });

  it.each([[['help']], [['help', 'drain']]])(
    'exits 0 and prints the help on stdout for %j, as for --help',
    async (argv) => {
      // Act
      const result = await cli.run(argv, { config: false });

      // Assert
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: clustershift ${argv[1] ?? '[options] [command]'}`);
      expect(result.stderr).toBe('');
    },
  );

  it.each([[[]], [['help', 'upgrade']]])(
    'exits 2 for %j, printing the help on stderr: no command was named',
    async (argv) => {
      // Act
      const result = await cli.run(argv, { config: false });

      // Assert
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('Usage: clustershift [options] [command]');
      expect(cli.callCount()).toBe(0);
    },
  );

  it('exits 2 when the config file does not exist, saying how to name one', async () => {
    const result = await cli.run(['status', '--config', 'missing.yaml'], { config: false });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('fleet config missing.yaml not found');
    expect(result.stderr).toContain('--config <path>');
    expect(cli.callCount()).toBe(0);
  });

  it('exits 2 on an invalid config, printing every error with its field path', async () => {
    // Prepare
    const path = cli.writeConfig(
      {
        fleet: 'Bad_Name',
        region: 'eu-west-1',
        loadBalancers: [],
        clusters: [{ name: 'blue' }, { name: 'blue' }],
      },
      'bad.yaml',
    );

    // Act
    const result = await cli.run(['drain', 'blue', '--reason', 'upgrade', '--config', path], {
      config: false,
    });

    // Assert
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`invalid fleet config ${path}:`);
    expect(result.stderr).toMatch(/^ {2}fleet: fleet names are lowercase/m);
    expect(result.stderr).toMatch(/^ {2}loadBalancers: at least one load balancer/m);
    expect(result.stderr).toMatch(/^ {2}clusters\.1\.name: duplicate cluster "blue"/m);
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(cli.callCount()).toBe(0);
  });

  it('exits 2 on YAML that does not parse', async () => {
    const path = cli.writeConfig('fleet: [unclosed', 'broken.yaml');

    const result = await cli.run(['status', '--config', path], { config: false });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('(yaml):');
  });

  it.each([
    ['a pair without a percent', 'blue=20,green', '--weights: expected cluster=percent, got "green"'],
    [
      'a fraction',
      'blue=20.5,green=79.5',
      '--weights: blue: percent must be a whole number 0-100, got "20.5"',
    ],
    ['a cluster given twice', 'blue=20,blue=80', '--weights: blue is given twice'],
  ])('exits 2 on --weights with %s, sending nothing', async (_case, weights, message) => {
    const result = await cli.run(['shift', '--weights', weights, '--reason', 'canary']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(cli.callCount()).toBe(0);
  });

  it('exits 2 on weights that do not sum to 100 or name an unknown cluster, sending nothing', async () => {
    const result = await cli.run(['shift', '--weights', 'blue=20,purple=70', '--reason', 'canary']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('invalid request:');
    expect(result.stderr).toContain('--weights purple: unknown cluster (known: blue, green)');
    expect(result.stderr).toContain('--weights: percentages must sum to 100, got 90');
    expect(cli.callCount()).toBe(0);
  });

  it('exits 2 on an unknown cluster, naming the known ones, and writes nothing', async () => {
    const result = await cli.run(['drain', 'purple', '--reason', 'typo']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('<cluster>: unknown cluster "purple" (known: blue, green)');
    expect(cli.writes()).toEqual([]);
    expect(cli.callCount()).toBe(0);
  });

  it('exits 2 when a shift has no reason, pointing at --reason', async () => {
    const result = await cli.run(['drain', 'blue']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--reason: a reason is required (it goes into the history)');
    expect(cli.callCount()).toBe(0);
  });

  it('exits 2 on an unknown guardrail in --force, and on forcing empty-route', async () => {
    const unknown = await cli.run(['drain', 'blue', '--reason', 'x', '--force', 'everything']);
    const never = await cli.run(['drain', 'blue', '--reason', 'x', '--force', 'empty-route']);

    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--force 0: /);
    expect(never.code).toBe(2);
    expect(never.stderr).toContain('--force: empty-route can never be forced');
    expect(cli.callCount()).toBe(0);
  });

  it('exits 2 on a plan for an unknown action', async () => {
    const result = await cli.run(['plan', 'evacuate', 'blue']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown action "evacuate" (one of drain, restore, shift, failover)');
  });

  it('exits 2 naming the stack when it is not deployed', async () => {
    // Prepare
    cli.stackExists = false;

    // Act
    const result = await cli.run(['history']);

    // Assert
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`stack ClusterShift-${cli.fleet} not found in eu-west-1`);
    expect(result.stderr).toContain('--stack <name>');
  });

  it('looks the deployment up under --stack when given', async () => {
    const result = await cli.run(['history', '--stack', 'Other']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('stack Other not found');
  });

  it('prints a stack trace only with --debug', async () => {
    // Prepare
    cli.alb.describeListeners = () => {
      throw new TypeError('unexpected');
    };

    // Act
    const quiet = await cli.run(['status']);
    const loud = await cli.run(['status', '--debug']);

    // Assert
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    expect(loud.stderr).toMatch(/\n\s+at /);
  });
});
