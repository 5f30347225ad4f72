import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidConfigError } from '../../../core/errors';
import { getFleetConfig, resetFleetConfig } from '../../../functions/shared/fleet-config';

const config = (fleet: string) => ({
  fleet,
  region: 'eu-west-1',
  loadBalancers: [
    { arn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/prod/50dc6c495c0c9188' },
  ],
  clusters: [{ name: 'blue' }, { name: 'green' }],
});

/** The InvalidConfigError `run` throws (fails the test if it throws anything else or nothing). */
const invalidConfig = (run: () => unknown): InvalidConfigError => {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidConfigError) return error;
    throw error;
  }
  throw new Error('expected InvalidConfigError, nothing was thrown');
};

describe('getFleetConfig', () => {
  const saved = { ...process.env };
  let taskRoot: string;

  beforeEach(() => {
    taskRoot = mkdtempSync(join(tmpdir(), 'clustershift-task-'));
    delete process.env.FLEET_CONFIG;
    delete process.env.FLEET_CONFIG_FILE;
    process.env.LAMBDA_TASK_ROOT = taskRoot;
    resetFleetConfig();
  });
  afterEach(() => {
    process.env = { ...saved };
    resetFleetConfig();
    rmSync(taskRoot, { recursive: true, force: true });
  });

  it("reads the file FLEET_CONFIG_FILE names relative to the function's code root (LAMBDA_TASK_ROOT)", () => {
    // Prepare
    writeFileSync(join(taskRoot, 'fleet-config.json'), JSON.stringify(config('from-file')));
    process.env.FLEET_CONFIG_FILE = 'fleet-config.json';

    // Act
    const read = getFleetConfig();

    // Assert: validated, defaults filled in
    expect(read.fleet).toBe('from-file');
    expect(read.clusterTagKey).toBe('clustershift:cluster');
  });

  it('reads an absolute FLEET_CONFIG_FILE as it is', () => {
    // Prepare
    const elsewhere = mkdtempSync(join(tmpdir(), 'clustershift-config-'));
    writeFileSync(join(elsewhere, 'fleet.json'), JSON.stringify(config('absolute')));
    process.env.FLEET_CONFIG_FILE = join(elsewhere, 'fleet.json');

    // Act
    const read = getFleetConfig();

    // Assert
    expect(read.fleet).toBe('absolute');
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it('reads the file once: the configuration is kept for the next invocations', () => {
    // Prepare
    const file = join(taskRoot, 'fleet-config.json');
    writeFileSync(file, JSON.stringify(config('first')));
    process.env.FLEET_CONFIG_FILE = 'fleet-config.json';
    getFleetConfig();
    writeFileSync(file, JSON.stringify(config('second')));

    // Act
    const again = getFleetConfig();

    // Assert
    expect(again.fleet).toBe('first');
  });

  it('prefers the file to an inline FLEET_CONFIG when both are set', () => {
    // Prepare
    writeFileSync(join(taskRoot, 'fleet-config.json'), JSON.stringify(config('from-file')));
    process.env.FLEET_CONFIG_FILE = 'fleet-config.json';
    process.env.FLEET_CONFIG = JSON.stringify(config('inline'));

    // Act + Assert
    expect(getFleetConfig().fleet).toBe('from-file');
  });

  it('reads an inline FLEET_CONFIG when no file is named', () => {
    // Prepare
    process.env.FLEET_CONFIG = JSON.stringify(config('inline'));

    // Act + Assert
    expect(getFleetConfig().fleet).toBe('inline');
  });

  it('fails with InvalidConfig naming FLEET_CONFIG_FILE, what a deployed function is given, when neither is set', () => {
    // Act
    const error = invalidConfig(getFleetConfig);

    // Assert
    expect(error.name).toBe('InvalidConfig');
    expect(error.message).toBe('invalid fleet config FLEET_CONFIG_FILE: (env): FLEET_CONFIG_FILE is not set');
  });

  it('fails with InvalidConfig naming the path it looked at when the file is missing', () => {
    // Prepare
    process.env.FLEET_CONFIG_FILE = 'fleet-config.json';

    // Act
    const error = invalidConfig(getFleetConfig);

    // Assert
    const path = join(taskRoot, 'fleet-config.json');
    expect(error.message).toBe(
      `invalid fleet config FLEET_CONFIG_FILE ${path}: (file): Error: ENOENT: no such file or directory, open '${path}'`,
    );
  });

  it('fails with InvalidConfig naming the file when it is not JSON', () => {
    // Prepare
    writeFileSync(join(taskRoot, 'fleet-config.json'), '{"fleet": ');
    process.env.FLEET_CONFIG_FILE = 'fleet-config.json';

    // Act
    const error = invalidConfig(getFleetConfig);

    // Assert
    expect(error.message).toContain(
      `FLEET_CONFIG_FILE ${join(taskRoot, 'fleet-config.json')}: (file): SyntaxError`,
    );
  });

  it('fails with InvalidConfig naming the variable when an inline FLEET_CONFIG is not JSON', () => {
    // Prepare
    process.env.FLEET_CONFIG = '{"fleet": ';

    // Act
    const error = invalidConfig(getFleetConfig);

    // Assert
    expect(error.message).toMatch(/^invalid fleet config FLEET_CONFIG: \(json\): SyntaxError/);
  });

  it('fails with InvalidConfig naming the file and the field when the config is invalid, and tries again next time', () => {
    // Prepare
    const file = join(taskRoot, 'fleet-config.json');
    writeFileSync(file, JSON.stringify(config('Not A Fleet Name')));
    process.env.FLEET_CONFIG_FILE = 'fleet-config.json';

    // Act
    const error = invalidConfig(getFleetConfig);
    writeFileSync(file, JSON.stringify(config('fixed')));
    const fixed = getFleetConfig();

    // Assert
    expect(error.message).toMatch(new RegExp(`^invalid fleet config FLEET_CONFIG_FILE ${file}: fleet: `));
    expect(error.issues.map((issue) => issue.path)).toEqual(['fleet']);
    expect(fixed.fleet).toBe('fixed');
  });
});
