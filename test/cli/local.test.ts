import { run } from '../../cli/main';

const close = jest.fn(async () => {});
const startTwin = jest.fn(async (_options: object) => ({ endpoint: 'http://127.0.0.1:4599', close }));
const setUpDemo = jest.fn(async (_twin: object, _template: string) => ({}));

// The twin and the demo are tested under test/local; here only what the command does with them.
jest.mock('../../local/server', () => ({ startTwin: (options: object) => startTwin(options) }));
jest.mock('../../local/demo', () => ({
  DEMO_CONFIG_FILE: '/nonexistent/clustershift.demo.yaml',
  synthesizeDemo: async () => ({ templateFile: '/tmp/demo.template.json' }),
  setUpDemo: (twin: object, template: string) => setUpDemo(twin, template),
}));

const runLocal = async (argv: string[], signal: AbortSignal) => {
  let stdout = '';
  let stderr = '';
  const code = await run(['local', ...argv], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    signal,
  });
  return { code, stdout, stderr };
};

beforeEach(() => {
  startTwin.mockClear();
  setUpDemo.mockClear();
  close.mockClear();
});

describe('clustershift local', () => {
  it('starts the twin, deploys the demo fleet on it, prints the variables to use, and closes it when interrupted', async () => {
    // Prepare
    const controller = new AbortController();
    startTwin.mockImplementationOnce(async () => {
      queueMicrotask(() => controller.abort());
      return { endpoint: 'http://127.0.0.1:4599', close };
    });

    // Act
    const result = await runLocal(['--port', '4599', '--time-scale', '60'], controller.signal);

    // Assert
    expect(result.code).toBe(0);
    expect(startTwin).toHaveBeenCalledWith({ port: 4599, host: '127.0.0.1', timeScale: 60 });
    expect(setUpDemo).toHaveBeenCalledWith(
      expect.objectContaining({ endpoint: 'http://127.0.0.1:4599' }),
      '/tmp/demo.template.json',
    );
    expect(result.stdout).toContain('local twin on http://127.0.0.1:4599 (time x60), demo fleet deployed');
    expect(result.stdout).toContain('  export AWS_ENDPOINT_URL=http://127.0.0.1:4599');
    expect(result.stdout).toContain('  export CLUSTERSHIFT_CONFIG=/nonexistent/clustershift.demo.yaml');
    expect(close).toHaveBeenCalledTimes(1);
    expect(result.stderr).toContain('local twin stopped');
  });

  it('needs no fleet config', async () => {
    const controller = new AbortController();
    controller.abort();

    const result = await runLocal([], controller.signal);

    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('fleet config');
  });

  it.each([
    [['--port', '70000'], '--port: expected 0-65535, got 70000'],
    [['--time-scale', '0'], '--time-scale: expected a number > 0, got "0"'],
  ])('exits 2 on %j without starting anything', async (argv, message) => {
    const result = await runLocal(argv, new AbortController().signal);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(startTwin).not.toHaveBeenCalled();
  });
});
